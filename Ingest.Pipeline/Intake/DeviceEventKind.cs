namespace Ingest.Pipeline.Intake;

/// <summary>What happened to a device's link. Values are stable: they are recorded in gap records.</summary>
public enum DeviceEventKind
{
    /// <summary>The link is up and the device's streams are set up; notifications follow.</summary>
    Connected = 1,

    /// <summary>The link went down; no notifications follow until the next <see cref="Connected"/>.</summary>
    Disconnected = 2,
}
