using System.Buffers.Binary;
using System.Text;
using Ingest.Pipeline.Batching;

namespace Ingest.Pipeline.Spool;

/// <summary>
/// The spool record codec (docs/wire/spool.md): a pure function over bytes. All integers little-endian.
/// <code>
///  0 u32 magic "WSPL"   4 u8 version (1)   5 u8 kind (1 = batch)   6 u16 flags (0)
///  8 i64 segment       16 i64 record number   24 i64 batch sequence
/// 32 i32 row count     36 u16 hub length      38 u16 stream length   40 i32 payload length
/// 44 u32 CRC-32C of bytes 0..43
/// 48 hub (UTF-8), stream (UTF-8), payload (Arrow IPC stream)
///    u32 CRC-32C of hub + stream + payload
/// </code>
/// </summary>
internal static class SpoolRecordFormat
{
    /// <summary>"WSPL" read as a little-endian u32.</summary>
    public const uint Magic = 0x4C505357;

    public const byte Version = 1;

    public const byte KindBatch = 1;

    public const int HeaderBytes = 48;

    public const int TrailerBytes = 4;

    private const int HeaderCrcOffset = 44;

    /// <summary>Bytes the record for this identity and payload length will take.</summary>
    public static int Measure(BatchIdentity identity, int payloadLength)
    {
        var (hub, stream) = IdentityLengths(identity);
        CheckPayload(payloadLength, 0);
        return checked(HeaderBytes + hub + stream + payloadLength + TrailerBytes);
    }

    /// <summary>
    /// Writes one record with segment and record number 0 (the group commit patches them with
    /// <see cref="Patch"/>; they are outside the body checksum). Returns the bytes written.
    /// </summary>
    public static int Write(Span<byte> destination, BatchIdentity identity, int rowCount, ReadOnlySpan<byte> payload)
    {
        var (hubLength, streamLength) = IdentityLengths(identity);
        CheckPayload(payload.Length, rowCount);
        var total = checked(HeaderBytes + hubLength + streamLength + payload.Length + TrailerBytes);
        if (destination.Length < total)
        {
            throw new ArgumentException("Destination too small for the record.", nameof(destination));
        }

        var header = destination[..HeaderBytes];
        header.Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(header, Magic);
        header[4] = Version;
        header[5] = KindBatch;
        BinaryPrimitives.WriteInt64LittleEndian(header[24..], identity.Sequence);
        BinaryPrimitives.WriteInt32LittleEndian(header[32..], rowCount);
        BinaryPrimitives.WriteUInt16LittleEndian(header[36..], (ushort)hubLength);
        BinaryPrimitives.WriteUInt16LittleEndian(header[38..], (ushort)streamLength);
        BinaryPrimitives.WriteInt32LittleEndian(header[40..], payload.Length);

        var body = destination.Slice(HeaderBytes, hubLength + streamLength + payload.Length);
        Encoding.UTF8.GetBytes(identity.Hub, body);
        Encoding.UTF8.GetBytes(identity.Stream, body[hubLength..]);
        payload.CopyTo(body[(hubLength + streamLength)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[(HeaderBytes + body.Length)..], SpoolCrc.Compute(body));
        Patch(destination, 0, 0);
        return total;
    }

    /// <summary>Sets the segment and record number of an encoded record and re-computes its header checksum.</summary>
    public static void Patch(Span<byte> record, long segment, long recordNumber)
    {
        BinaryPrimitives.WriteInt64LittleEndian(record[8..], segment);
        BinaryPrimitives.WriteInt64LittleEndian(record[16..], recordNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(record[HeaderCrcOffset..], SpoolCrc.Compute(record[..HeaderCrcOffset]));
    }

    /// <summary>
    /// Reads the record at the start of <paramref name="data"/>. Every length is checked against
    /// <see cref="SpoolLimits"/> before it is used; nothing is allocated.
    /// </summary>
    public static SpoolReadStatus TryRead(ReadOnlySpan<byte> data, long expectedSegment, out SpoolRecordHeader header)
    {
        header = default;
        if (data.Length < HeaderBytes)
        {
            return data.Length >= 4 && BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
                ? SpoolReadStatus.BadHeader
                : SpoolReadStatus.NeedMoreData;
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(data) != Magic
            || data[4] != Version
            || data[5] != KindBatch
            || BinaryPrimitives.ReadUInt32LittleEndian(data[HeaderCrcOffset..]) != SpoolCrc.Compute(data[..HeaderCrcOffset]))
        {
            return SpoolReadStatus.BadHeader;
        }

        var rowCount = BinaryPrimitives.ReadInt32LittleEndian(data[32..]);
        var hubLength = (int)BinaryPrimitives.ReadUInt16LittleEndian(data[36..]);
        var streamLength = (int)BinaryPrimitives.ReadUInt16LittleEndian(data[38..]);
        var payloadLength = BinaryPrimitives.ReadInt32LittleEndian(data[40..]);
        // Limits before arithmetic: a checksum only proves the bytes are the ones written, not that a writer was sane.
        if (rowCount < 0 || rowCount > SpoolLimits.MaxRowCount
            || hubLength > SpoolLimits.MaxHubBytes
            || streamLength > SpoolLimits.MaxStreamBytes
            || payloadLength < 0 || payloadLength > SpoolLimits.MaxPayloadBytes)
        {
            return SpoolReadStatus.BadHeader;
        }

        header = new SpoolRecordHeader(
            BinaryPrimitives.ReadInt64LittleEndian(data[8..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[16..]),
            BinaryPrimitives.ReadInt64LittleEndian(data[24..]),
            rowCount,
            hubLength,
            streamLength,
            payloadLength);
        var total = header.TotalLength; // ≤ SpoolLimits.MaxRecordBytes: every part checked above
        if (data.Length < total)
        {
            return SpoolReadStatus.NeedMoreData;
        }

        var body = data.Slice(HeaderBytes, total - HeaderBytes - TrailerBytes);
        if (BinaryPrimitives.ReadUInt32LittleEndian(data[(total - TrailerBytes)..]) != SpoolCrc.Compute(body))
        {
            return SpoolReadStatus.BadBody;
        }

        return header.Segment == expectedSegment ? SpoolReadStatus.Valid : SpoolReadStatus.OtherSegment;
    }

    /// <summary>The identity of a record that <see cref="TryRead"/> found valid.</summary>
    public static BatchIdentity ReadIdentity(ReadOnlySpan<byte> record, in SpoolRecordHeader header) =>
        new(
            Encoding.UTF8.GetString(record.Slice(HeaderBytes, header.HubLength)),
            Encoding.UTF8.GetString(record.Slice(HeaderBytes + header.HubLength, header.StreamLength)),
            header.Sequence);

    /// <summary>The payload of a record that <see cref="TryRead"/> found valid.</summary>
    public static ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> record, in SpoolRecordHeader header) =>
        record.Slice(HeaderBytes + header.HubLength + header.StreamLength, header.PayloadLength);

    /// <summary>The payload of a record that <see cref="TryRead"/> found valid, as a slice of the record's own memory (no copy).</summary>
    public static ReadOnlyMemory<byte> Payload(ReadOnlyMemory<byte> record, in SpoolRecordHeader header) =>
        record.Slice(HeaderBytes + header.HubLength + header.StreamLength, header.PayloadLength);

    private static (int Hub, int Stream) IdentityLengths(BatchIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity.Hub);
        ArgumentNullException.ThrowIfNull(identity.Stream);
        var hub = Encoding.UTF8.GetByteCount(identity.Hub);
        var stream = Encoding.UTF8.GetByteCount(identity.Stream);
        if (hub > SpoolLimits.MaxHubBytes || stream > SpoolLimits.MaxStreamBytes)
        {
            throw new ArgumentException(
                $"Hub ({hub} B) or stream ({stream} B) longer than the spool limits ({SpoolLimits.MaxHubBytes} B, {SpoolLimits.MaxStreamBytes} B).",
                nameof(identity));
        }

        return (hub, stream);
    }

    private static void CheckPayload(int payloadLength, int rowCount)
    {
        if (payloadLength > SpoolLimits.MaxPayloadBytes)
        {
            throw new ArgumentException($"Payload of {payloadLength} B exceeds {SpoolLimits.MaxPayloadBytes} B.", nameof(payloadLength));
        }

        if (rowCount < 0 || rowCount > SpoolLimits.MaxRowCount)
        {
            throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, $"Row count must be 0..{SpoolLimits.MaxRowCount}.");
        }
    }
}
