namespace Ingest.Gateway.Registry;

/// <summary>What the running service last reported about a tracker (<see cref="EnrollmentRegistry.UpdateDeviceStatus"/>).</summary>
/// <param name="Device">Device pseudonym.</param>
/// <param name="Connected">Connected at the time of the report.</param>
/// <param name="LastDataNs">Hub time (UTC ns since the Unix epoch) of the last sample, or null when none yet.</param>
/// <param name="BatteryPercent">Battery level 0–100, or null when unknown.</param>
/// <param name="SamplesToday">Samples received since midnight UTC.</param>
/// <param name="Completeness">Received ÷ expected samples today (0–1), or null when not computable.</param>
/// <param name="UpdatedAt">When the service wrote this report (UTC).</param>
internal sealed record DeviceStatus(
    string Device,
    bool Connected,
    long? LastDataNs,
    int? BatteryPercent,
    long SamplesToday,
    double? Completeness,
    DateTimeOffset UpdatedAt);
