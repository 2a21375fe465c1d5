using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Intake;

/// <summary>
/// One GATT notification (or indication) as the hub received it: from which device and characteristic, its value
/// bytes and the hub's receive time. The radio backend and the simulator deliver exactly this, so nothing
/// downstream can tell them apart.
/// <para>
/// Ownership: the payload lives in a pooled <see cref="NotificationBuffer"/>. Whoever reads the notification from
/// the source's channel owns it and must call <see cref="Release"/> exactly once, after the last read of
/// <see cref="Payload"/> (including on failure paths). Reading the payload after the release, or releasing twice,
/// throws <see cref="InvalidOperationException"/>. Copies of this struct share the one buffer: release one of them.
/// </para>
/// </summary>
public readonly struct Notification
{
    private readonly NotificationBuffer? _buffer;
    private readonly int _token;

    /// <summary>
    /// Wraps <paramref name="length"/> bytes already written to the start of <paramref name="buffer"/>; ownership of
    /// the buffer passes to the notification.
    /// </summary>
    public Notification(DeviceHandle device, Guid characteristic, long hubTimeNs, NotificationBuffer buffer, int length)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, DecodeLimits.MaxFrameBytes);
        Device = device;
        Characteristic = characteristic;
        HubTimeNs = hubTimeNs;
        Length = length;
        _buffer = buffer;
        _token = buffer.Token;
    }

    private Notification(in Notification source, long hubTimeNs)
    {
        Device = source.Device;
        Characteristic = source.Characteristic;
        Length = source.Length;
        _buffer = source._buffer;
        _token = source._token;
        HubTimeNs = hubTimeNs;
    }

    /// <summary>The device that sent it.</summary>
    public DeviceHandle Device { get; }

    /// <summary>
    /// The characteristic's UUID (a 16-bit SIG UUID in its 128-bit form). Several streams may share one characteristic
    /// (Polar PMD data carries ECG, ACC, PPG and PPI frames); the decode stage tells them apart by the frame.
    /// </summary>
    public Guid Characteristic { get; }

    /// <summary>When the hub received it: UTC ns since the Unix epoch.</summary>
    public long HubTimeNs { get; }

    /// <summary>Payload length in bytes (0 to <see cref="DecodeLimits.MaxFrameBytes"/>).</summary>
    public int Length { get; }

    /// <summary>True for a default (empty) instance that wraps no buffer.</summary>
    public bool IsDefault => _buffer is null;

    /// <summary>The attribute value bytes; valid until <see cref="Release"/>.</summary>
    public ReadOnlySpan<byte> Payload => _buffer is null ? default : _buffer.Read(_token, Length);

    /// <summary>The same notification (same buffer, same owner) received at <paramref name="hubTimeNs"/>: for a source that holds frames back.</summary>
    internal Notification WithHubTime(long hubTimeNs) => new(this, hubTimeNs);

    /// <summary>Gives the payload buffer back to its source's pool. Call exactly once.</summary>
    public void Release() => _buffer?.Release(_token);
}
