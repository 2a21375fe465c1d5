using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>A schema with every supported type and batches of known values: extremes, unicode, nulls.</summary>
internal static class ArrowSamples
{
    public static readonly string[] DeviceNames = ["polar-h10", "pinetime", "oxi", "", "心拍計 ❤️"];

    private static readonly string[] s_strings = ["", "a", "héllo wörld", "心拍数", "🫀🏃‍♀️ emoji ZWJ", "e\u0301 combining", "tab\tnew\nline", "\u0000nul inside", new string('x', 300)];

    public static ArrowSchema AllTypesSchema { get; } = new ArrowSchema.Builder()
        .Metadata("wearable:profile", "polar-h10/pmd-v2")
        .Metadata("wearable:participant", "P-0042")
        .Metadata("wearable:empty", string.Empty)
        .Field("seq", ArrowType.Int32, isNullable: false, metadata: [new("wearable:unit", "1"), new("wearable:scale", "1.0")])
        .Field("nothing", ArrowType.Null)
        .Field("flag", ArrowType.Boolean)
        .Field("i8", ArrowType.Int8)
        .Field("i16", ArrowType.Int16)
        .Field("i32", ArrowType.Int32)
        .Field("i64", ArrowType.Int64)
        .Field("u8", ArrowType.UInt8)
        .Field("u16_no_nulls", ArrowType.UInt16)
        .Field("u32", ArrowType.UInt32)
        .Field("u64", ArrowType.UInt64)
        .Field("f16", ArrowType.Float16)
        .Field("f32", ArrowType.Float32, metadata: [new("wearable:unit", "m/s²")])
        .Field("f64", ArrowType.Float64)
        .Field("ts_s_paris", ArrowType.Timestamp(ArrowTimeUnit.Second, "Europe/Paris"))
        .Field("ts_ms", ArrowType.Timestamp(ArrowTimeUnit.Millisecond))
        .Field("ts_us_utc", ArrowType.Timestamp(ArrowTimeUnit.Microsecond, "UTC"))
        .Field("ts_ns", ArrowType.Timestamp(ArrowTimeUnit.Nanosecond))
        .Field("date32", ArrowType.Date32)
        .Field("date64", ArrowType.Date64)
        .Field("time32_ms", ArrowType.Time32(ArrowTimeUnit.Millisecond))
        .Field("time64_ns", ArrowType.Time64(ArrowTimeUnit.Nanosecond))
        .Field("duration_us", ArrowType.Duration(ArrowTimeUnit.Microsecond))
        .Field("text", ArrowType.Utf8)
        .Field("blob", ArrowType.Binary)
        .Field("mac", ArrowType.FixedSizeBinary(6))
        .Field(new ArrowField("device", ArrowType.Utf8, true, [new("wearable:identity", "device")], new ArrowDictionaryEncoding(7, ArrowType.Int32)))
        .Field(new ArrowField("unit_code", ArrowType.Utf8, true, null, new ArrowDictionaryEncoding(3, ArrowType.Int8)))
        .Field("rr_ms", ArrowType.List(new ArrowField("item", ArrowType.Int32)))
        .Field("xyz", ArrowType.FixedSizeList(new ArrowField("item", ArrowType.Float32, isNullable: false), 3))
        .Field("reading", ArrowType.Struct(
            new ArrowField("hr", ArrowType.UInt8),
            new ArrowField("label", ArrowType.Utf8),
            new ArrowField("at", ArrowType.Timestamp(ArrowTimeUnit.Millisecond, "UTC"))))
        .Build();

    public static readonly string[] UnitCodes = ["bpm", "mg/dL", "%SpO₂"];

    /// <summary>The dictionaries of <see cref="AllTypesSchema"/> in DictionaryFields order.</summary>
    public static ArrowColumn[] AllTypesDictionaries() =>
        [ColumnFactory.Strings(DeviceNames).Column, ColumnFactory.Strings(UnitCodes).Column];

    /// <summary>One batch of <paramref name="rows"/> rows for <see cref="AllTypesSchema"/>.</summary>
    public static SampleColumn[] AllTypes(int rows, int seed, bool withNulls)
    {
        bool Valid(int i) => !withNulls || (i + seed) % 4 != 1;
        T? V<T>(int i, T value)
            where T : struct => Valid(i) ? value : null;
        T Pick<T>(int i, T[] values) => values[(i + seed) % values.Length];
        var n = Enumerable.Range(0, rows).ToArray();
        return
        [
            ColumnFactory.Fixed(Array.ConvertAll(n, i => (int?)(i + (seed * 1000))), v => (long)v),
            new SampleColumn(ArrowColumn.Null(rows), new object?[rows]),
            ColumnFactory.Booleans(Array.ConvertAll(n, i => V(i, (i + seed) % 3 == 0))),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new sbyte[] { sbyte.MinValue, sbyte.MaxValue, 0, -1, (sbyte)i }))), v => (long)v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new short[] { short.MinValue, short.MaxValue, 0, (short)(i * 7) }))), v => (long)v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new[] { int.MinValue, int.MaxValue, 0, i * -13 }))), v => (long)v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new[] { long.MinValue, long.MaxValue, 0L, i * 1_000_000_007L }))), v => v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new byte[] { 0, byte.MaxValue, (byte)i }))), v => (ulong)v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => (ushort?)Pick(i, new ushort[] { 0, ushort.MaxValue, (ushort)i })), v => (ulong)v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new uint[] { 0, uint.MaxValue, (uint)i * 3 }))), v => (ulong)v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new ulong[] { 0, ulong.MaxValue, (ulong)i << 40 }))), v => v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new[] { Half.MaxValue, Half.Epsilon, (Half)(-0.0f), (Half)1.5f, (Half)(i / 4f) }))), v => (double)v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new[] { float.MaxValue, float.Epsilon, float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, i / 3f }))), v => (double)v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new[] { double.MaxValue, double.Epsilon, double.NaN, double.NegativeInfinity, -0d, Math.PI * i }))), v => v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, 1_700_000_000L + i)), v => v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new[] { -62_135_596_800_000L, 253_402_300_799_999L, 1_700_000_000_000L + i }))), v => v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, 1_700_000_000_000_000L + (i * 1_000_001L))), v => v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new[] { long.MinValue + 1, long.MaxValue, 1_700_000_000_123_456_789L + i }))), v => v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, 19_000 + i)), v => (long)v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, 1_700_000_000_000L + (i * 86_400_000L))), v => v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, (i * 1_001) % 86_400_000)), v => (long)v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, (i * 1_000_000_007L) % 86_400_000_000_000L)), v => v),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => V(i, Pick(i, new[] { long.MinValue, -1L, i * 250_000L }))), v => v),
            ColumnFactory.Strings(Array.ConvertAll(n, i => Valid(i) ? Pick(i, s_strings) : null)),
            ColumnFactory.Binaries(Array.ConvertAll(n, i => Valid(i) ? Enumerable.Range(0, (i + seed) % 5).Select(j => (byte)(j * 51 + i)).ToArray() : null)),
            ColumnFactory.FixedBinaries(Array.ConvertAll(n, i => Valid(i) ? new byte[] { 0xC0, 0xFF, 0xEE, 0, (byte)i, (byte)seed } : null), 6),
            ColumnFactory.DictionaryIndices(Array.ConvertAll(n, i => V(i, (i + seed) % DeviceNames.Length)), DeviceNames),
            ColumnFactory.Fixed(Array.ConvertAll(n, i => (sbyte?)(sbyte)((i * 7) % UnitCodes.Length)), v => v)
                with { Expected = Array.ConvertAll(n, i => (object?)UnitCodes[(i * 7) % UnitCodes.Length]) },
            ColumnFactory.Int32Lists(Array.ConvertAll(n, i => Valid(i) ? Enumerable.Range(0, (i + seed) % 4).Select(j => j == 2 ? (int?)null : (int?)(800 + (i * 10) + j)).ToArray() : null)),
            ColumnFactory.Float32FixedLists(Array.ConvertAll(n, i => Valid(i) ? new[] { i * 0.5f, -i * 0.25f, 9.81f } : null), 3),
            ColumnFactory.Struct(rows, Valid,
                ColumnFactory.Fixed(Array.ConvertAll(n, i => (i + seed) % 5 == 2 ? null : (byte?)(60 + (i % 120))), v => (ulong)v),
                ColumnFactory.Strings(Array.ConvertAll(n, i => (i % 3) == 0 ? null : $"r{i}·{seed}")),
                ColumnFactory.Fixed(Array.ConvertAll(n, i => (long?)(1_700_000_000_000L + i)), v => v)),
        ];
    }

    public static ArrowColumn[] Columns(SampleColumn[] sample) => Array.ConvertAll(sample, c => c.Column);
}
