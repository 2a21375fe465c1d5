using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;

namespace Ingest.Tests.Arrow;

/// <summary>
/// A stream with one nullable column of every <see cref="ColumnKind"/> the hub writes and one list column per
/// element kind, filled deterministically with edge values (min/max, NaN, −0, ±∞, empty lists, nulls).
/// </summary>
internal static class AllKindsStream
{
    private static readonly ColumnKind[] s_scalarKinds =
    [
        ColumnKind.Int8, ColumnKind.Int16, ColumnKind.Int32, ColumnKind.Int64, ColumnKind.UInt8, ColumnKind.UInt16,
        ColumnKind.UInt32, ColumnKind.UInt64, ColumnKind.Float32, ColumnKind.Float64, ColumnKind.TimestampNs,
    ];

    public static StreamSchema Schema { get; } = BuildSchema();

    public static StreamDescription Description { get; } = new("all-kinds", "2.0.1", "test-decoder");

    public static StreamColumns Rows(int rows, int seed)
    {
        var random = new Random(seed);
        var columns = new StreamColumns(Schema, 4);
        for (var row = 0; row < rows; row++)
        {
            columns.HubTime.Append(1_763_805_600_000_000_000 + (row * 7_812_500L) + seed);
            if ((row + seed) % 6 == 2)
            {
                columns.DeviceTime!.AppendNull();
            }
            else
            {
                columns.DeviceTime!.Append(-1_000_000_000L + (row * 3L));
            }

            for (var c = 0; c < s_scalarKinds.Length; c++)
            {
                var isNull = (row + c + seed) % 7 == 3;
                AppendScalar(columns[c], s_scalarKinds[c], isNull, row, random);
            }

            for (var c = 0; c < s_scalarKinds.Length; c++)
            {
                var column = columns[s_scalarKinds.Length + c];
                if ((row + c + seed) % 9 == 4)
                {
                    AppendNullList(column);
                    continue;
                }

                var count = (row + c) % 4; // 0..3 elements, so empty lists occur too
                AppendList(column, s_scalarKinds[c], count, row, random);
            }

            Assert.True(columns.TryCommit(out _));
        }

        return columns;
    }

    private static StreamSchema BuildSchema()
    {
        var specs = new List<ColumnSpec>();
        foreach (var kind in s_scalarKinds)
        {
            specs.Add(new ColumnSpec { Name = "v_" + kind.ToString().ToLowerInvariant(), Kind = kind, Nullable = true, Unit = "u" + (int)kind, Scale = 0.25, Offset = -3, Description = $"a {kind} column" });
        }

        foreach (var kind in s_scalarKinds)
        {
            specs.Add(new ColumnSpec { Name = "list_" + kind.ToString().ToLowerInvariant(), Kind = ColumnKind.List, ElementKind = kind, Nullable = true });
        }

        return new StreamSchema(specs, hasDeviceTime: true);
    }

    private static void AppendScalar(ColumnBuffer column, ColumnKind kind, bool isNull, int row, Random random)
    {
        var edge = row % 5; // rows 0..4 of every batch hit the edges
        switch (column)
        {
            case PrimitiveColumnBuffer<sbyte> c: AppendOrNull(c, isNull, edge switch { 0 => sbyte.MinValue, 1 => sbyte.MaxValue, _ => (sbyte)random.Next(-128, 128) }); break;
            case PrimitiveColumnBuffer<short> c: AppendOrNull(c, isNull, edge switch { 0 => short.MinValue, 1 => short.MaxValue, _ => (short)random.Next(-32768, 32768) }); break;
            case PrimitiveColumnBuffer<int> c: AppendOrNull(c, isNull, edge switch { 0 => int.MinValue, 1 => int.MaxValue, _ => random.Next() - (1 << 30) }); break;
            case PrimitiveColumnBuffer<long> c when kind == ColumnKind.TimestampNs: AppendOrNull(c, isNull, edge switch { 0 => 0, 1 => -1, _ => 1_763_805_600_123_456_789 + random.Next() }); break;
            case PrimitiveColumnBuffer<long> c: AppendOrNull(c, isNull, edge switch { 0 => long.MinValue, 1 => long.MaxValue, _ => random.NextInt64(long.MinValue, long.MaxValue) }); break;
            case PrimitiveColumnBuffer<byte> c: AppendOrNull(c, isNull, edge switch { 0 => byte.MinValue, 1 => byte.MaxValue, _ => (byte)random.Next(256) }); break;
            case PrimitiveColumnBuffer<ushort> c: AppendOrNull(c, isNull, edge switch { 0 => ushort.MinValue, 1 => ushort.MaxValue, _ => (ushort)random.Next(65536) }); break;
            case PrimitiveColumnBuffer<uint> c: AppendOrNull(c, isNull, edge switch { 0 => uint.MinValue, 1 => uint.MaxValue, _ => (uint)random.NextInt64(uint.MaxValue) }); break;
            case PrimitiveColumnBuffer<ulong> c: AppendOrNull(c, isNull, edge switch { 0 => ulong.MinValue, 1 => ulong.MaxValue, _ => (ulong)random.NextInt64() * 2 }); break;
            case PrimitiveColumnBuffer<float> c: AppendOrNull(c, isNull, edge switch { 0 => float.NaN, 1 => -0.0f, 2 => float.PositiveInfinity, 3 => float.Epsilon, _ => (float)((random.NextDouble() - 0.5) * 1e4) }); break;
            case PrimitiveColumnBuffer<double> c: AppendOrNull(c, isNull, edge switch { 0 => double.NaN, 1 => -0.0, 2 => double.NegativeInfinity, 3 => double.MaxValue, _ => (random.NextDouble() - 0.5) * 1e-3 }); break;
            default: throw new InvalidOperationException($"no test values for {column.GetType().Name}");
        }
    }

    public static void AppendOrNull<T>(PrimitiveColumnBuffer<T> column, bool isNull, T value)
        where T : unmanaged
    {
        if (isNull)
        {
            column.AppendNull();
        }
        else
        {
            column.Append(value);
        }
    }

    private static void AppendNullList(ColumnBuffer column)
    {
        switch (column)
        {
            case ListColumnBuffer<sbyte> c: c.AppendNull(); break;
            case ListColumnBuffer<short> c: c.AppendNull(); break;
            case ListColumnBuffer<int> c: c.AppendNull(); break;
            case ListColumnBuffer<long> c: c.AppendNull(); break;
            case ListColumnBuffer<byte> c: c.AppendNull(); break;
            case ListColumnBuffer<ushort> c: c.AppendNull(); break;
            case ListColumnBuffer<uint> c: c.AppendNull(); break;
            case ListColumnBuffer<ulong> c: c.AppendNull(); break;
            case ListColumnBuffer<float> c: c.AppendNull(); break;
            case ListColumnBuffer<double> c: c.AppendNull(); break;
            default: throw new InvalidOperationException($"not a list column: {column.GetType().Name}");
        }
    }

    private static void AppendList(ColumnBuffer column, ColumnKind kind, int count, int row, Random random)
    {
        switch (column)
        {
            case ListColumnBuffer<sbyte> c: Fill(c, count, i => (sbyte)(row - i)); break;
            case ListColumnBuffer<short> c: Fill(c, count, i => (short)(row * 100 - i)); break;
            case ListColumnBuffer<int> c: Fill(c, count, i => row * -1000 + i); break;
            case ListColumnBuffer<long> c when kind == ColumnKind.TimestampNs: Fill(c, count, i => 1_763_805_600_000_000_000 + (row * 1_000L) + i); break;
            case ListColumnBuffer<long> c: Fill(c, count, i => random.NextInt64(long.MinValue, long.MaxValue)); break;
            case ListColumnBuffer<byte> c: Fill(c, count, i => (byte)(row + i)); break;
            case ListColumnBuffer<ushort> c: Fill(c, count, i => (ushort)(800 + row + i)); break;
            case ListColumnBuffer<uint> c: Fill(c, count, i => uint.MaxValue - (uint)i); break;
            case ListColumnBuffer<ulong> c: Fill(c, count, i => ulong.MaxValue - (ulong)row); break;
            case ListColumnBuffer<float> c: Fill(c, count, i => i == 1 ? float.NaN : row / 8f); break;
            case ListColumnBuffer<double> c: Fill(c, count, i => i == 2 ? double.PositiveInfinity : row / -16.0); break;
            default: throw new InvalidOperationException($"not a list column: {column.GetType().Name}");
        }
    }

    private static void Fill<T>(ListColumnBuffer<T> column, int count, Func<int, T> value)
        where T : unmanaged
    {
        column.BeginRow();
        for (var i = 0; i < count; i++)
        {
            column.Elements.Append(value(i));
        }

        column.EndRow();
    }
}
