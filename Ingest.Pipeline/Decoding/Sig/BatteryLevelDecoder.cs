using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Decoding.Sig;

/// <summary>
/// Battery Level 0x2A19 (Battery Service 0x180F): one uint8, 0–100 % (protocols.md §4.2). Values above 100
/// are reserved and rejected.
/// </summary>
public sealed class BatteryLevelDecoder : IFrameDecoder
{
    /// <summary>The decoder name profiles use.</summary>
    public const string Name = "battery-level";

    private const int LevelColumn = 0;

    private static readonly StreamSchema s_schema = new(
        [new ColumnSpec { Name = "battery_level", Kind = ColumnKind.UInt8, Unit = "%", Description = "battery charge" }],
        hasDeviceTime: false);

    /// <summary>The factory profiles reach this decoder through.</summary>
    public static IDecoderFactory Factory { get; } = DecoderFactory.WithoutSettings<BatteryLevelDecoder>(
        Name, "Bluetooth SIG Battery Level (0x2A19): percent charge", [BleUuid.FromShort(0x2A19)]);

    /// <inheritdoc />
    public StreamSchema Schema => s_schema;

    /// <inheritdoc />
    public DecodeOutcome Decode(ReadOnlySpan<byte> frame, long hubTimeNs, StreamColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (frame.Length != 1)
        {
            return frame.Length == 0
                ? DecodeOutcome.Truncated("battery level", 1, 0)
                : DecodeOutcome.Reject(RejectReason.TrailingBytes, $"battery level is 1 byte; notification has {frame.Length}");
        }

        var level = frame[0];
        if (level > 100)
        {
            return DecodeOutcome.Reject(RejectReason.InvalidValue, $"battery level {level} % is above 100 (reserved)");
        }

        columns.HubTime.Append(hubTimeNs);
        columns.Values<byte>(LevelColumn).Append(level);
        return DecodeOutcome.Accepted;
    }

    /// <inheritdoc />
    public void Reset()
    {
        // Stateless.
    }
}
