using System.Runtime.InteropServices;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;
using Ingest.Tests.Arrow;

namespace Ingest.Tests.Pipeline.Batching;

/// <summary>
/// Arbitrary streams of the supported column kinds (any values, any null pattern, empty and long batches, buffers
/// reused after another batch): the encoder never throws, Apache.Arrow reads back exactly the rows, nulls and value
/// bytes, and re-encoding gives the same bytes.
/// </summary>
public sealed class ArrowBatchEncoderPropertyTests
{
    private static readonly ColumnKind[] s_kinds =
    [
        ColumnKind.Int8, ColumnKind.Int16, ColumnKind.Int32, ColumnKind.Int64, ColumnKind.UInt8, ColumnKind.UInt16,
        ColumnKind.UInt32, ColumnKind.UInt64, ColumnKind.Float32, ColumnKind.Float64, ColumnKind.TimestampNs,
    ];

    private static readonly BatchCompression[] s_compressions = [BatchCompression.None, BatchCompression.Lz4Frame, BatchCompression.Zstd];

    /// <summary>What FsCheck varies (and shrinks); values come from a Random seeded with <see cref="Seed"/>.</summary>
    public sealed record StreamCase(int Seed, int Columns, int Rows, int PreviousRows, bool DeviceTime, int NullEvery, int Compression);

    private static Gen<StreamCase> Cases =>
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from columns in Gen.Choose(1, 8)
        from rows in Gen.Frequency((3, Gen.Choose(0, 40)), (1, Gen.Choose(41, 2000)))
        from previous in Gen.Choose(0, 100)
        from deviceTime in Gen.Elements(true, false)
        from nullEvery in Gen.Choose(0, 5)
        from compression in Gen.Choose(0, 2)
        select new StreamCase(seed, columns, rows, previous, deviceTime, nullEvery, compression);

    [Fact]
    public void EncodeStream_ArbitraryColumns_ReadsBackExactlyAndRepeatsBytes()
    {
        Prop.ForAll(Arb.From(Cases), c =>
        {
            var random = new Random(c.Seed);
            var specs = new List<ColumnSpec>();
            for (var i = 0; i < c.Columns; i++)
            {
                var isList = random.Next(3) == 0;
                var kind = s_kinds[random.Next(s_kinds.Length)];
                specs.Add(isList
                    ? new ColumnSpec { Name = $"c{i}", Kind = ColumnKind.List, ElementKind = kind, Nullable = c.NullEvery > 0 }
                    : new ColumnSpec { Name = $"c{i}", Kind = kind, Nullable = c.NullEvery > 0 });
            }

            var schema = new StreamSchema(specs, c.DeviceTime);
            var columns = new StreamColumns(schema, 1);
            Fill(columns, c.PreviousRows, c.NullEvery, random);
            columns.Clear();
            Fill(columns, c.Rows, c.NullEvery, random);
            using var encoder = new ArrowBatchEncoder(schema, new StreamDescription("p", "1", "d"), new BatchEncodingOptions { Compression = s_compressions[c.Compression] });
            var identity = new BatchIdentity("hub", "stream", c.Seed);

            var bytes = encoder.EncodeStream(columns, identity).ToArray();

            var reader = new ArrowStreamReader(bytes, new Apache.Arrow.Compression.CompressionCodecFactory());
            using var batch = reader.ReadNextRecordBatch();
            Assert.NotNull(batch);
            Assert.Equal(c.Rows, batch.Length);
            var column = 0;
            AssertSameValues(columns.HubTime, batch.Column(column++), c.Rows);
            if (columns.DeviceTime is { } deviceTime)
            {
                AssertSameValues(deviceTime, batch.Column(column++), c.Rows);
            }

            for (var i = 0; i < columns.ValueColumnCount; i++)
            {
                AssertSameValues(columns[i], batch.Column(column++), c.Rows);
            }

            Assert.Equal(bytes, encoder.EncodeStream(columns, identity).ToArray());
            return true;
        }).QuickCheckThrowOnFailure();
    }

    private static void AssertSameValues(ColumnBuffer expected, IArrowArray actual, int rows)
    {
        Assert.Equal(rows, actual.Length);
        Assert.Equal(expected.NullCount, actual.NullCount);
        for (var row = 0; row < rows; row++)
        {
            Assert.Equal(expected.IsValid(row), actual.IsValid(row));
        }

        if (expected is IListColumn list)
        {
            var listArray = Assert.IsType<ListArray>(actual);
            Assert.Equal(MemoryMarshal.Cast<byte, int>(list.OffsetMemory.Span).ToArray(), listArray.ValueOffsets[..(rows + 1)].ToArray());
            AssertSameBytes(list.ElementColumn.ValueMemory.Span, listArray.Values);
            return;
        }

        AssertSameBytes(((IFixedWidthColumn)expected).ValueMemory.Span, actual);
    }

    private static void AssertSameBytes(ReadOnlySpan<byte> expected, IArrowArray actual)
    {
        var values = actual.Data.Buffers[1].Span;
        Assert.True(expected.SequenceEqual(values[..expected.Length]), $"{actual.Data.DataType.Name} values differ");
    }

    private static void Fill(StreamColumns columns, int rows, int nullEvery, Random random)
    {
        for (var row = 0; row < rows; row++)
        {
            columns.HubTime.Append(random.NextInt64());
            if (columns.DeviceTime is { } deviceTime)
            {
                AppendValue(deviceTime, nullEvery, random);
            }

            for (var i = 0; i < columns.ValueColumnCount; i++)
            {
                AppendValue(columns[i], nullEvery, random);
            }

            Assert.True(columns.TryCommit(out _));
        }
    }

    private static void AppendValue(ColumnBuffer column, int nullEvery, Random random)
    {
        var isNull = column.Spec.Nullable && nullEvery > 0 && random.Next(nullEvery + 1) == 0;
        switch (column)
        {
            case PrimitiveColumnBuffer<sbyte> c: AllKindsStream.AppendOrNull(c, isNull, (sbyte)random.Next()); break;
            case PrimitiveColumnBuffer<short> c: AllKindsStream.AppendOrNull(c, isNull, (short)random.Next()); break;
            case PrimitiveColumnBuffer<int> c: AllKindsStream.AppendOrNull(c, isNull, random.Next(int.MinValue, int.MaxValue)); break;
            case PrimitiveColumnBuffer<long> c: AllKindsStream.AppendOrNull(c, isNull, random.NextInt64(long.MinValue, long.MaxValue)); break;
            case PrimitiveColumnBuffer<byte> c: AllKindsStream.AppendOrNull(c, isNull, (byte)random.Next()); break;
            case PrimitiveColumnBuffer<ushort> c: AllKindsStream.AppendOrNull(c, isNull, (ushort)random.Next()); break;
            case PrimitiveColumnBuffer<uint> c: AllKindsStream.AppendOrNull(c, isNull, (uint)random.NextInt64()); break;
            case PrimitiveColumnBuffer<ulong> c: AllKindsStream.AppendOrNull(c, isNull, (ulong)random.NextInt64(long.MinValue, long.MaxValue)); break;
            // Any bit pattern, NaN payloads and subnormals included.
            case PrimitiveColumnBuffer<float> c: AllKindsStream.AppendOrNull(c, isNull, BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue))); break;
            case PrimitiveColumnBuffer<double> c: AllKindsStream.AppendOrNull(c, isNull, BitConverter.Int64BitsToDouble(random.NextInt64(long.MinValue, long.MaxValue))); break;
            case ListColumnBuffer<sbyte> c: PutList(c, isNull, random, r => (sbyte)r.Next()); break;
            case ListColumnBuffer<short> c: PutList(c, isNull, random, r => (short)r.Next()); break;
            case ListColumnBuffer<int> c: PutList(c, isNull, random, r => r.Next()); break;
            case ListColumnBuffer<long> c: PutList(c, isNull, random, r => r.NextInt64()); break;
            case ListColumnBuffer<byte> c: PutList(c, isNull, random, r => (byte)r.Next()); break;
            case ListColumnBuffer<ushort> c: PutList(c, isNull, random, r => (ushort)r.Next()); break;
            case ListColumnBuffer<uint> c: PutList(c, isNull, random, r => (uint)r.NextInt64()); break;
            case ListColumnBuffer<ulong> c: PutList(c, isNull, random, r => (ulong)r.NextInt64()); break;
            case ListColumnBuffer<float> c: PutList(c, isNull, random, r => BitConverter.Int32BitsToSingle(r.Next())); break;
            case ListColumnBuffer<double> c: PutList(c, isNull, random, r => BitConverter.Int64BitsToDouble(r.NextInt64())); break;
            default: throw new InvalidOperationException($"no generator for {column.GetType().Name}");
        }
    }

    private static void PutList<T>(ListColumnBuffer<T> column, bool isNull, Random random, Func<Random, T> value)
        where T : unmanaged
    {
        if (isNull)
        {
            column.AppendNull();
            return;
        }

        column.BeginRow();
        var count = random.Next(5);
        for (var i = 0; i < count; i++)
        {
            column.Elements.Append(value(random));
        }

        column.EndRow();
    }
}
