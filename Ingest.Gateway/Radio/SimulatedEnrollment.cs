using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Simulation.Radio;

namespace Ingest.Gateway.Radio;

/// <summary>
/// Enrollment for <c>run --simulate</c>: every tracker of the simulated fleet is enrolled, tracker <c>n</c> as device
/// <c>sim-00n</c> worn by participant <c>sim-00n</c> (the same names on every run with the same options, so a restart on
/// the same data directory continues the same streams). Any other peripheral in the simulated room (a neighbour added
/// by a test or demo) is not enrolled, exactly as on a real hub.
/// </summary>
public sealed class SimulatedEnrollment : IEnrolledTrackers
{
    private readonly Dictionary<string, EnrolledTracker> _byAddress = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<EnrolledTracker> _all = [];
    private long _refusals;

    /// <summary>Enrolls every fleet tracker of <paramref name="central"/> in <paramref name="study"/> and <paramref name="site"/>.</summary>
    public SimulatedEnrollment(SimulatedCentral central, string study, string site)
    {
        ArgumentNullException.ThrowIfNull(central);
        var peripherals = central.Peripherals.ToDictionary(static p => p.Id, StringComparer.Ordinal);
        for (var i = 0; i < central.Trackers.Count; i++)
        {
            var tracker = central.Trackers[i];
            var name = Pipeline.Service.SimulatedAdmission.Pseudonym(tracker.Device);
            var enrolled = new EnrolledTracker(name, name, study, site, tracker.ProfileId);
            _all.Add(enrolled);
            _byAddress[peripherals[central.FleetPeripheralIds[i]].Address] = enrolled;
        }
    }

    /// <summary>Trackers seen, matching a profile, and refused (neighbours).</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <inheritdoc />
    public long Version => 1;

    /// <inheritdoc />
    public IReadOnlyList<EnrolledTracker> List() => _all;

    /// <inheritdoc />
    public EnrolledTracker? Find(string address, BleAddressType addressType) => _byAddress.GetValueOrDefault(address);

    /// <inheritdoc />
    public void RecordRefusal(string address, string? profileId, string reason) => Interlocked.Increment(ref _refusals);

    /// <inheritdoc />
    /// <remarks>Enrolled trackers keep their <c>sim-00n</c> names; others get <c>sim-</c> and a hash of the address (no study key here).</remarks>
    public string? PseudonymOf(string address) => _byAddress.TryGetValue(address, out var enrolled) ? enrolled.DevicePseudonym
        : "sim-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(address.ToUpperInvariant())))[..12];
}
