using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Service;

/// <summary>
/// The admission stage's question: may this connected device's notifications be decoded, and whose are they? Only an
/// admitted device gets decoders; everything from any other device is counted (<see cref="IngestStatus.NotificationsNotAdmitted"/>)
/// and dropped before decoding. The radio's enrollment registry (issue 10) and the simulator's stand-in implement it.
/// Called on the decode loop when a device connects: must not block.
/// </summary>
public interface IDeviceAdmission
{
    /// <summary>The admitted device, or null when <paramref name="device"/> is not enrolled.</summary>
    /// <param name="device">The source's handle.</param>
    /// <param name="profileId">The firmware profile the source matched the device to, if any.</param>
    AdmittedDevice? Admit(DeviceHandle device, string? profileId);
}

/// <summary>An enrolled device: its pseudonym, its participant and the profile that decodes it.</summary>
/// <param name="Device">Device pseudonym (stable across restarts: stream keys and sequences hang off it).</param>
/// <param name="Participant">Participant pseudonym.</param>
/// <param name="Profile">The firmware profile.</param>
public sealed record AdmittedDevice(string Device, string Participant, FirmwareProfile Profile);
