using System.Buffers.Binary;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding.InfiniTime;

/// <summary>
/// InfiniTime step count, characteristic <c>00030001-78fc-48fe-8e23-433b3a1942d0</c> (protocols.md §4.9): exactly
/// one u32 LE, the steps counted today (the watch resets it at midnight), notified when it changes.
/// </summary>
public sealed class InfiniTimeStepsDecoder : IFrameDecoder
{
    /// <summary>The decoder name profiles use.</summary>
    public const string Name = "infinitime-steps";

    /// <summary>Notification length: one uint32.</summary>
    public const int FrameSize = 4;

    private static readonly StreamSchema s_schema = new(
        [new ColumnSpec { Name = "steps", Kind = ColumnKind.UInt32, Unit = "{steps}", Description = "steps counted today (reset at midnight)" }],
        hasDeviceTime: false);

    /// <summary>The factory profiles reach this decoder through.</summary>
    public static IDecoderFactory Factory { get; } = new DecoderFactory(
        Name, "InfiniTime (PineTime) step count: uint32 steps today", [],
        static settings =>
        {
            settings.RejectUnknown();
            return new InfiniTimeStepsDecoder();
        });

    /// <inheritdoc />
    public StreamSchema Schema => s_schema;

    /// <inheritdoc />
    public DecodeOutcome Decode(ReadOnlySpan<byte> frame, long hubTimeNs, StreamColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (frame.Length != FrameSize)
        {
            return frame.Length < FrameSize
                ? DecodeOutcome.Truncated("step count (uint32)", FrameSize, frame.Length)
                : DecodeOutcome.Reject(RejectReason.TrailingBytes, $"step count is {FrameSize} bytes; notification has {frame.Length}");
        }

        columns.HubTime.Append(hubTimeNs);
        columns.Values<uint>(0).Append(BinaryPrimitives.ReadUInt32LittleEndian(frame));
        return DecodeOutcome.Accepted;
    }

    /// <inheritdoc />
    public void Reset()
    {
        // Stateless.
    }
}
