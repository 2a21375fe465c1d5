namespace Ingest.Pipeline.Intake;

/// <summary>A change in a device's link, which gap records are built from.</summary>
/// <param name="Kind">Connected or disconnected.</param>
/// <param name="Device">The device.</param>
/// <param name="HubTimeNs">When the hub saw it (UTC ns since the Unix epoch), on the same clock as <see cref="Notification.HubTimeNs"/>.</param>
/// <param name="ProfileId">The firmware profile the source matched the device to (set on <see cref="DeviceEventKind.Connected"/>).</param>
/// <param name="Reason">Why the link went down (<see cref="DisconnectReason.None"/> on connect).</param>
public readonly record struct DeviceEvent(DeviceEventKind Kind, DeviceHandle Device, long HubTimeNs, string? ProfileId, DisconnectReason Reason);
