namespace Ingest.Pipeline.Decoding;

/// <summary>
/// A decoder whose frames carry the tracker's own clock (Polar PMD: each frame's timestamp, the time of its last sample).
/// The service pairs each reading with the frame's hub receive time to estimate the device → hub clock mapping and to
/// notice clock resets (<c>Ingest.Pipeline.Clocks.DeviceClockEstimator</c>, the <c>{device}.clock</c> stream).
/// </summary>
public interface IDeviceClockReporter
{
    /// <summary>
    /// After a frame (accepted, or rejected only because its time went backwards, which is what a clock reset looks
    /// like): true with the device time of the frame's last sample, in Unix ns as the device's clock reads it. The hub
    /// receive time of that sample is the notification's. Each reading is reported once.
    /// </summary>
    bool TryTakeDeviceTime(out long deviceTimeNs);
}
