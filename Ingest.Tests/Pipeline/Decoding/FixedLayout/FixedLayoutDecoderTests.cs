using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.FixedLayout;
using Ingest.Pipeline.Profiles;

namespace Ingest.Tests.Pipeline.Decoding.FixedLayout;

public sealed class FixedLayoutDecoderTests
{
    private const long HubTime = 1_763_805_600_000_000_000;

    /// <summary>A made-up IMU frame: flags, sequence, optional temperature, count, then count × (x, y, z).</summary>
    internal const string Imu = """
        {
          "fields": [
            { "name": "flags", "type": "u8", "flags": true },
            { "name": "sequence", "type": "u16", "column": "uint16", "description": "frame counter" },
            { "name": "temperature", "type": "i16le", "column": "float32", "unit": "Cel", "scale": 0.01, "presentIf": { "field": "flags", "mask": 1 } },
            { "name": "battery", "type": "u8", "column": "uint8", "unit": "%", "presentIf": { "field": "flags", "mask": "0x02" } },
            { "name": "count", "type": "u8" }
          ],
          "samples": {
            "count": "count",
            "sampleRateHz": 100,
            "fields": [
              { "name": "x", "type": "i16", "column": "int16", "unit": "mg", "scale": 0.122 },
              { "name": "y", "type": "i16", "column": "int16", "unit": "mg", "scale": 0.122 },
              { "name": "z", "type": "i16", "column": "int16", "unit": "mg", "scale": 0.122 }
            ]
          }
        }
        """;

    [Fact]
    public void Decode_CountedGroup_OneRowPerRepetitionWithHeaderRepeated()
    {
        var stream = Stream(Imu);
        // flags 0x01, seq 0x0102, temperature 0x0929 = 2345 → 23.45 °C, count 2, (1, −1, 1000), (2, −2, −1000).
        var result = stream.Decode(Hex("01 02 01 29 09 02 01 00 FF FF E8 03 02 00 FE FF 18 FC"), HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        var c = stream.Columns;
        Assert.Equal(2, result.Rows);
        Assert.Equal([258, 258], c.Values<ushort>(0).Values.ToArray());
        Assert.Equal([23.45f, 23.45f], c.Values<float>(1).Values.ToArray());
        Assert.False(c[2].IsValid(0));
        Assert.False(c[2].IsValid(1));
        Assert.Equal([1, 2], c.Values<short>(3).Values.ToArray());
        Assert.Equal([-1, -2], c.Values<short>(4).Values.ToArray());
        Assert.Equal([1000, -1000], c.Values<short>(5).Values.ToArray());
        Assert.Equal([HubTime - 10_000_000, HubTime], c.HubTime.Values.ToArray());
    }

    [Fact]
    public void Decode_FlagClear_FieldReadsNoBytesAndIsNull()
    {
        var stream = Stream(Imu);
        // flags 0x02: no temperature, battery 87 %, count 1.
        var result = stream.Decode(Hex("02 05 00 57 01 0A 00 14 00 1E 00"), HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        var c = stream.Columns;
        Assert.False(c[1].IsValid(0));
        Assert.Equal([87], c.Values<byte>(2).Values.ToArray());
        Assert.Equal([30], c.Values<short>(5).Values.ToArray());
        Assert.True(stream.Schema.Columns[1].Nullable);
        Assert.False(stream.Schema.Columns[0].Nullable);
    }

    [Theory]
    [InlineData("01 02 01 29", RejectReason.Truncated)]                          // temperature cut
    [InlineData("00 02 01 02 01 00 FF FF E8 03", RejectReason.Truncated)]        // second sample missing
    [InlineData("00 02 01 01 01 00 FF FF E8 03 00", RejectReason.TrailingBytes)] // byte after the counted samples
    public void Decode_MalformedImuFrame_Rejects(string hex, RejectReason expected)
    {
        var stream = Stream(Imu);

        Assert.Equal(expected, stream.Decode(Hex(hex), HubTime).Reason);
        Assert.Equal(0, stream.Columns.RowCount);
    }

    [Fact]
    public void Decode_GroupToEnd_RepeatsUntilFrameEnds()
    {
        var stream = Stream("""{ "samples": { "fields": [ { "name": "v", "type": "u16be", "column": "uint16" } ] } }""");

        var result = stream.Decode(Hex("00 01 00 02 01 00"), HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal([1, 2, 256], stream.Columns.Values<ushort>(0).Values.ToArray());
        Assert.Equal([HubTime, HubTime, HubTime], stream.Columns.HubTime.Values.ToArray());
        Assert.Equal(RejectReason.Truncated, stream.Decode(Hex("00 01 00"), HubTime).Reason);
    }

    [Fact]
    public void Decode_EveryWireType_ReadsBothByteOrders()
    {
        var stream = Stream("""
            { "fields": [
              { "name": "a", "type": "u24", "column": "uint32" },
              { "name": "b", "type": "i24be", "column": "int32" },
              { "name": "c", "type": "u64be", "column": "uint64" },
              { "name": "d", "type": "i64", "column": "int64" },
              { "name": "e", "type": "f32be", "column": "float32" },
              { "name": "f", "type": "f64", "column": "float64", "scale": 2, "offset": 1 },
              { "name": "g", "type": "i8", "column": "float64", "scale": 0.5 },
              { "name": "h", "type": "u32be", "column": "int64" }
            ] }
            """);
        var frame = Hex("01 02 03  FF FF FE  01 02 03 04 05 06 07 08  FF FF FF FF FF FF FF FF  3F C0 00 00  00 00 00 00 00 00 F8 3F  FC  80 00 00 00");

        var result = stream.Decode(frame, HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        var c = stream.Columns;
        Assert.Equal(0x030201u, c.Values<uint>(0).Values[0]);
        Assert.Equal(-2, c.Values<int>(1).Values[0]);
        Assert.Equal(0x0102030405060708UL, c.Values<ulong>(2).Values[0]);
        Assert.Equal(-1L, c.Values<long>(3).Values[0]);
        Assert.Equal(1.5f, c.Values<float>(4).Values[0]);
        Assert.Equal(4.0, c.Values<double>(5).Values[0]); // 1.5 × 2 + 1
        Assert.Equal(-2.0, c.Values<double>(6).Values[0]); // −4 × 0.5
        Assert.Equal(0x80000000L, c.Values<long>(7).Values[0]);
    }

    [Fact]
    public void Schema_IntegerColumn_KeepsRawValuesWithScaleAsMetadata()
    {
        var schema = Create(Imu).Schema;

        Assert.Equal(0.122, schema.Columns[3].Scale);
        Assert.Equal("mg", schema.Columns[3].Unit);
        Assert.Equal(1.0, schema.Columns[1].Scale); // float column: scale applied to the value
        Assert.False(schema.HasDeviceTime);
    }

    [Theory]
    [InlineData("""{ "fields": [ { "name": "a", "type": "u8", "column": "uint8" }, { "name": "b", "type": "u8" }, { "name": "c", "type": "u8" }, { "name": "d", "type": "u12" } ] }""",
        "$.settings.fields[3].type", "unknown wire type 'u12'; use one of u8, i8")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "u8", "column": "uint8", "presentIf": { "field": "f", "mask": 1 } }, { "name": "f", "type": "u8", "flags": true } ] }""",
        "$.settings.fields[0].presentIf.field", "'f' is declared later (fields[1])")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "u8", "column": "uint8", "presentIf": { "field": "g", "mask": 1 } } ] }""",
        "$.settings.fields[0].presentIf.field", "no field is named 'g'")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "u8", "column": "uint8", "presentIf": { "field": "f", "mask": 1 } } ], "samples": { "fields": [ { "name": "f", "type": "u8", "flags": true } ] } }""",
        "$.settings.fields[0].presentIf.field", "'f' is declared later (samples.fields[0])")]
    [InlineData("""{ "fields": [ { "name": "f", "type": "u8" }, { "name": "a", "type": "u8", "column": "uint8", "presentIf": { "field": "f", "mask": 1 } } ] }""",
        "$.settings.fields[1].presentIf.field", "not a flags field")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "u8", "column": "uint8" } ], "samples": { "fields": [] } }""",
        "$.settings.samples.fields", "at least one field")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "u8", "column": "uint8" }, { "name": "a", "type": "u8", "column": "uint8" } ] }""",
        "$.settings.fields[1].name", "duplicate name 'a' (also fields[0])")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "u16", "column": "int16" } ] }""",
        "$.settings.fields[0].column", "cannot hold every u16 value")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "f32", "column": "int32" } ] }""",
        "$.settings.fields[0].column", "use float32 or float64")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "u8" } ] }""",
        "$.settings.fields", "outputs no column")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "u8", "column": "uint8", "units": "%" } ] }""",
        "$.settings.fields[0].units", "unknown key 'units'")]
    [InlineData("""{ "fields": [ { "name": "f", "type": "u8", "flags": true }, { "name": "n", "type": "u8", "presentIf": { "field": "f", "mask": 1 } } ], "samples": { "count": "n", "fields": [ { "name": "v", "type": "u8", "column": "uint8" } ] } }""",
        "$.settings.samples.count", "conditional")]
    [InlineData("""{ "fields": [ { "name": "f", "type": "u8", "flags": true } ], "samples": { "fields": [ { "name": "v", "type": "u8", "column": "uint8", "presentIf": { "field": "f", "mask": 1 } } ] } }""",
        "$.settings.samples.fields", "always present")]
    [InlineData("""{ "fields": [ { "name": "f", "type": "u8", "flags": true }, { "name": "v", "type": "u8", "column": "uint8", "presentIf": { "field": "f", "mask": 256 } } ] }""",
        "$.settings.fields[1].presentIf.mask", "selects no bit")]
    [InlineData("""{ "fields": [ { "name": "Hub", "type": "u8", "column": "uint8" } ] }""",
        "$.settings.fields[0].name", "lower snake case")]
    [InlineData("""{ "fields": [ { "name": "hub_time", "type": "u8", "column": "uint8" } ] }""",
        "$.settings.fields[0].name", "reserved")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "u8le", "column": "uint8" } ] }""",
        "$.settings.fields[0].type", "unknown wire type 'u8le'")]
    [InlineData("""{ "samples": { "sampleRateHz": 0, "fields": [ { "name": "a", "type": "u8", "column": "uint8" } ] } }""",
        "$.settings.samples.sampleRateHz", "above 0")]
    [InlineData("""{ "fields": [ { "name": "a", "type": "u8", "scale": 2 } ] }""",
        "$.settings.fields[0].scale", "applies to an output column")]
    public void Create_ImpossibleLayout_ThrowsNamingThePath(string json, string path, string problem)
    {
        var error = Assert.Throws<ProfileException>(() => Create(json));

        Assert.Equal(path, error.JsonPath);
        Assert.Contains(problem, error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_GroupFlagsInsideGroup_ApplyPerRepetition()
    {
        var stream = Stream("""
            { "samples": { "fields": [
              { "name": "f", "type": "u8", "flags": true },
              { "name": "v", "type": "u8", "column": "uint8", "presentIf": { "field": "f", "mask": 1 } }
            ] } }
            """);

        var result = stream.Decode(Hex("01 07 00 01 09"), HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal(3, result.Rows);
        Assert.True(stream.Columns[0].IsValid(0));
        Assert.False(stream.Columns[0].IsValid(1));
        Assert.Equal(9, stream.Columns.Values<byte>(0).Values[2]);
    }

    [Fact]
    public void Decode_AcceptedFrames_AllocateNothing()
    {
        var decoder = Create(Imu);
        var columns = new StreamColumns(decoder.Schema, 4096);
        var frame = Hex("03 02 01 29 09 50 02 01 00 FF FF E8 03 02 00 FE FF 18 FC");
        decoder.Decode(frame, HubTime, columns);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            decoder.Decode(frame, HubTime, columns);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Decode_RandomFrames_NeverThrowAndRejectionsKeepEarlierRows()
    {
        var layouts = new[]
        {
            Imu,
            """{ "samples": { "fields": [ { "name": "f", "type": "u8", "flags": true }, { "name": "v", "type": "i24be", "column": "int32", "presentIf": { "field": "f", "mask": 3 } } ] } }""",
            """{ "fields": [ { "name": "a", "type": "f64", "column": "float32" }, { "name": "b", "type": "u8", "column": "uint8" } ] }""",
        };
        var gen =
            from layout in Gen.Choose(0, layouts.Length - 1)
            from bytes in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
            select (layout, bytes);

        Prop.ForAll(Arb.From(gen), c =>
        {
            var stream = Stream(layouts[c.layout]);
            var first = c.layout switch
            {
                0 => Hex("00 01 00 01 01 00 02 00 03 00"),
                1 => Hex("01 00 00 05"),
                _ => Hex("00 00 00 00 00 00 F0 3F 07"),
            };
            if (!stream.Decode(first, HubTime).IsAccepted)
            {
                return false;
            }

            var rows = stream.Columns.RowCount;
            var hub = stream.Columns.HubTime.Values.ToArray();
            var result = stream.Decode(c.bytes, HubTime + 1);
            return result.Reason != RejectReason.DecoderFault
                && stream.Columns.RowCount == rows + result.Rows
                && stream.Columns.HubTime.Values[..rows].SequenceEqual(hub);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void Decode_RandomImuSamples_RoundTrip()
    {
        var gen =
            from count in Gen.Choose(0, 20)
            from values in Gen.ArrayOf(Gen.Choose(short.MinValue, short.MaxValue), count * 3)
            from temperature in Gen.Choose(short.MinValue, short.MaxValue)
            from flags in Gen.Choose(0, 3)
            select (count, values, temperature, flags);

        Prop.ForAll(Arb.From(gen), c =>
        {
            var frame = new List<byte> { (byte)c.flags, 0x34, 0x12 };
            if ((c.flags & 1) != 0)
            {
                frame.Add((byte)c.temperature);
                frame.Add((byte)(c.temperature >> 8));
            }

            if ((c.flags & 2) != 0)
            {
                frame.Add(50);
            }

            frame.Add((byte)c.count);
            foreach (var v in c.values)
            {
                frame.Add((byte)v);
                frame.Add((byte)(v >> 8));
            }

            var stream = Stream(Imu);
            var result = stream.Decode(frame.ToArray(), HubTime);
            if (!result.IsAccepted || result.Rows != c.count)
            {
                return false;
            }

            for (var i = 0; i < c.count; i++)
            {
                if (stream.Columns.Values<short>(3).Values[i] != c.values[3 * i]
                    || stream.Columns.Values<short>(5).Values[i] != c.values[(3 * i) + 2]
                    || stream.Columns[1].IsValid(i) != ((c.flags & 1) != 0)
                    || ((c.flags & 1) != 0 && stream.Columns.Values<float>(1).Values[i] != (float)(c.temperature * 0.01)))
                {
                    return false;
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    internal static FixedLayoutDecoder Create(string json) =>
        (FixedLayoutDecoder)FixedLayoutDecoder.Factory.Create(DecoderSettings.Parse(json, "test", "$.settings"));

    private static StreamDecoder Stream(string json) => new(Create(json));

    private static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
