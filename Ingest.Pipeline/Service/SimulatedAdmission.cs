using System.Globalization;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Service;

/// <summary>
/// Admission for the simulated fleet: every virtual tracker is enrolled, tracker <c>n</c> as device <c>sim-00n</c> worn by
/// participant <c>sim-00n</c>. The simulator's handles are stable for the same options, so a restart on the same data
/// directory continues the same streams' sequences.
/// </summary>
public sealed class SimulatedAdmission : IDeviceAdmission
{
    private readonly Dictionary<string, FirmwareProfile> _profiles = new(StringComparer.Ordinal);

    /// <summary>Admits devices of any of <paramref name="profiles"/>.</summary>
    public SimulatedAdmission(IEnumerable<FirmwareProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        foreach (var profile in profiles)
        {
            _profiles[profile.Id] = profile;
        }
    }

    /// <summary>The pseudonym of simulated tracker <paramref name="device"/>.</summary>
    public static string Pseudonym(DeviceHandle device) => "sim-" + device.Value.ToString("D3", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public AdmittedDevice? Admit(DeviceHandle device, string? profileId) =>
        profileId is not null && _profiles.TryGetValue(profileId, out var profile)
            ? new AdmittedDevice(Pseudonym(device), Pseudonym(device), profile)
            : null;
}
