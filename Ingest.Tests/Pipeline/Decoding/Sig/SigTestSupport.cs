using System.Globalization;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

/// <summary>Helpers shared by the SIG decoder tests.</summary>
internal static class SigTestSupport
{
    /// <summary>A realistic hub receive time: 2026-11-22T10:00:00Z in ns.</summary>
    public const long HubTime = 1_795_341_600_000_000_000;

    /// <summary>Bytes from hex text with optional spaces.</summary>
    public static byte[] Hex(string text)
    {
        var digits = text.Replace(" ", "", StringComparison.Ordinal);
        var bytes = new byte[digits.Length / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = byte.Parse(digits.AsSpan(i * 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        }

        return bytes;
    }

    /// <summary>Decodes one frame into fresh columns, committing the row when accepted.</summary>
    public static DecodeOutcome DecodeOne(IFrameDecoder decoder, ReadOnlySpan<byte> frame, out StreamColumns columns, long hubTime = HubTime)
    {
        columns = new StreamColumns(decoder.Schema, 4);
        var outcome = decoder.Decode(frame, hubTime, columns);
        if (outcome.IsAccepted)
        {
            Assert.True(columns.TryCommit(out var rows), "columns must grow evenly");
            Assert.Equal(1, rows);
        }

        return outcome;
    }

    /// <summary>Decodes a frame that must be accepted; returns its columns.</summary>
    public static StreamColumns Accept(IFrameDecoder decoder, ReadOnlySpan<byte> frame)
    {
        var outcome = DecodeOne(decoder, frame, out var columns);
        Assert.True(outcome.IsAccepted, $"expected acceptance, got {outcome.Reason}: {outcome.Detail}");
        return columns;
    }

    /// <summary>Decodes a frame that must be rejected with <paramref name="reason"/>, and checks nothing was appended.</summary>
    public static DecodeOutcome Reject(IFrameDecoder decoder, ReadOnlySpan<byte> frame, RejectReason reason)
    {
        var outcome = DecodeOne(decoder, frame, out var columns);
        Assert.Equal(reason, outcome.Reason);
        Assert.False(string.IsNullOrEmpty(outcome.Detail));
        AssertNothingAppended(columns, 0);
        return outcome;
    }

    /// <summary>Checks that every column (time columns included) still holds exactly <paramref name="rows"/> values.</summary>
    public static void AssertNothingAppended(StreamColumns columns, int rows)
    {
        Assert.Equal(rows, columns.HubTime.Length);
        if (columns.DeviceTime is not null)
        {
            Assert.Equal(rows, columns.DeviceTime.Length);
        }

        for (var i = 0; i < columns.ValueColumnCount; i++)
        {
            Assert.Equal(rows, columns[i].Length);
        }
    }

    /// <summary>The value in row <paramref name="row"/> of column <paramref name="name"/>, or null.</summary>
    public static T? Value<T>(StreamColumns columns, string name, int row = 0)
        where T : unmanaged
    {
        var column = columns.Values<T>(Index(columns, name));
        return column.IsValid(row) ? column.Values[row] : null;
    }

    /// <summary>The list in row <paramref name="row"/> of list column <paramref name="name"/>, or null.</summary>
    public static T[]? List<T>(StreamColumns columns, string name, int row = 0)
        where T : unmanaged
    {
        var column = columns.List<T>(Index(columns, name));
        return column.IsValid(row) ? column.Row(row).ToArray() : null;
    }

    /// <summary>The device time of row <paramref name="row"/>, or null.</summary>
    public static long? DeviceTime(StreamColumns columns, int row = 0) =>
        columns.DeviceTime!.IsValid(row) ? columns.DeviceTime.Values[row] : null;

    /// <summary>
    /// A canonical byte image of the first <paramref name="rows"/> rows of every column (validity and values), to
    /// prove that later frames never disturb earlier rows.
    /// </summary>
    public static byte[] Snapshot(StreamColumns columns, int rows)
    {
        using var stream = new MemoryStream();
        Write(stream, columns.HubTime, rows);
        if (columns.DeviceTime is not null)
        {
            Write(stream, columns.DeviceTime, rows);
        }

        for (var i = 0; i < columns.ValueColumnCount; i++)
        {
            Write(stream, columns[i], rows);
        }

        return stream.ToArray();
    }

    private static void Write(MemoryStream stream, ColumnBuffer column, int rows)
    {
        for (var row = 0; row < rows; row++)
        {
            stream.WriteByte(column.IsValid(row) ? (byte)1 : (byte)0);
        }

        switch (column)
        {
            case PrimitiveColumnBuffer<byte> c: stream.Write(c.ValueBytes[..rows]); break;
            case PrimitiveColumnBuffer<ushort> c: stream.Write(c.ValueBytes[..(rows * 2)]); break;
            case PrimitiveColumnBuffer<uint> c: stream.Write(c.ValueBytes[..(rows * 4)]); break;
            case PrimitiveColumnBuffer<float> c: stream.Write(c.ValueBytes[..(rows * 4)]); break;
            case PrimitiveColumnBuffer<double> c: stream.Write(c.ValueBytes[..(rows * 8)]); break;
            case PrimitiveColumnBuffer<long> c: stream.Write(c.ValueBytes[..(rows * 8)]); break;
            case ListColumnBuffer<ushort> c:
                for (var row = 0; row < rows; row++)
                {
                    foreach (var value in c.Row(row))
                    {
                        stream.WriteByte((byte)value);
                        stream.WriteByte((byte)(value >> 8));
                    }

                    stream.WriteByte(0xEE); // row separator
                }

                break;
            default: throw new NotSupportedException(column.GetType().Name);
        }
    }

    private static int Index(StreamColumns columns, string name)
    {
        var index = columns.Schema.IndexOf(name);
        Assert.True(index >= 0, $"no column '{name}'");
        return index;
    }
}
