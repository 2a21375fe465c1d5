using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Polar;
using static Ingest.Tests.Pipeline.Decoding.Polar.PolarPmdTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Polar;

/// <summary>
/// A PMD stream that declares several frame types (settings.frameTypes, ADR 0010): each frame is decoded by its own type
/// byte into the union schema, undeclared types are rejected, and the declarations are validated with their JSON paths.
/// </summary>
public sealed class PolarPmdFrameTypeTests
{
    /// <summary>Every ECG frame type the decoder supports, in one stream.</summary>
    internal const string EcgAll = """
        { "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [
          { "type": 0, "columns": ["ecg"] },
          { "type": 1, "columns": ["ecg", "over_sampling", "skin_contact", "contact_impedance"] },
          { "type": 2, "columns": ["ecg", "ecg_data_tag", "pace_data_tag"] },
          { "type": 3, "columns": ["ecg_data0", "ecg_data1", "ecg_status"] },
          { "type": 0, "compressed": true, "columns": ["ecg"] } ] }
        """;

    /// <summary>Every ACC frame type; compressed type 0 (G × FACTOR × 1000) has its own columns since its scale differs.</summary>
    internal const string AccAll = """
        { "measurement": "acc", "sampleRateHz": 52, "resolutionBits": 16, "frameTypes": [
          { "type": 0, "columns": ["x", "y", "z"] },
          { "type": 1, "columns": ["x", "y", "z"] },
          { "type": 2, "columns": ["x", "y", "z"] },
          { "type": 0, "compressed": true, "factor": 0.0009765625, "columns": ["x_g", "y_g", "z_g"] },
          { "type": 1, "compressed": true, "columns": ["x", "y", "z"] } ] }
        """;

    /// <summary>Every PPG frame type with a 4-channel sample layout.</summary>
    internal const string PpgAll = """
        { "measurement": "ppg", "sampleRateHz": 55, "resolutionBits": 22, "frameTypes": [
          { "type": 0, "columns": ["ppg0", "ppg1", "ppg2", "ambient"] },
          { "type": 0, "compressed": true, "columns": ["ppg0", "ppg1", "ppg2", "ambient"] } ] }
        """;

    private static readonly string[] s_all = [EcgAll, AccAll, PpgAll];

    [Fact]
    public void Schema_EcgAllTypes_IsTheUnionWithNullableColumnsAndFrameType()
    {
        var schema = Create(EcgAll).Schema;

        Assert.Equal(
            ["ecg", "over_sampling", "skin_contact", "contact_impedance", "ecg_data_tag", "pace_data_tag", "ecg_data0", "ecg_data1", "ecg_status", "frame_type"],
            schema.Columns.Select(c => c.Name));
        Assert.True(schema.Columns[0].Nullable);   // type 3 does not fill it
        Assert.False(schema.Columns[^1].Nullable);
        Assert.Equal(ColumnKind.UInt8, schema.Columns[^1].Kind);
    }

    [Fact]
    public void Schema_AccRawTypes_WidenToTheWidestDeclared()
    {
        var schema = Create(AccAll).Schema;

        Assert.Equal(ColumnKind.Int32, schema.Columns[schema.IndexOf("x")].Kind);
        Assert.Equal(0.9765625, schema.Columns[schema.IndexOf("x_g")].Scale, 12);
        Assert.Equal(1.0, schema.Columns[schema.IndexOf("x")].Scale);
    }

    [Fact]
    public void Schema_SingleDeclaredType_HasNoFrameTypeColumnAndNoNulls()
    {
        var schema = Create("""{ "measurement": "acc", "sampleRateHz": 200, "frameTypes": [ { "type": 1, "columns": ["ax", "ay", "az"] } ] }""").Schema;

        Assert.Equal(["ax", "ay", "az"], schema.Columns.Select(c => c.Name));
        Assert.All(schema.Columns, c => Assert.False(c.Nullable));
        Assert.All(schema.Columns, c => Assert.Equal(ColumnKind.Int16, c.Kind));
    }

    [Theory]
    [InlineData(0x81)] // ECG compressed 1: the SDK defines none
    [InlineData(0x02)] // declared stream has only raw 0 and 1
    public void Decode_UndeclaredFrameType_RejectedAsBadFrameTypeWithoutRows(int typeByte)
    {
        var stream = Stream("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 0, "columns": ["ecg"] }, { "type": 1, "columns": ["ecg", "o", "s", "c"] } ] }""");
        var frame = new byte[PmdFrameHeader.Size + 9];
        PmdFrameHeader.Write(frame, PmdMeasurementType.Ecg, 1_000_000_000, typeByte & 0x7F, (typeByte & 0x80) != 0);

        var result = stream.Decode(frame, 5);

        Assert.Equal(RejectReason.BadFrameType, result.Reason);
        Assert.Contains($"0x{typeByte:X2}", result.Detail, StringComparison.Ordinal);
        Assert.Contains("declared: raw 0, raw 1", result.Detail, StringComparison.Ordinal);
        Assert.Equal(0, stream.Columns.RowCount);
    }

    [Fact]
    public void Decode_AccRaw0IntoWidenedColumns_KeepsSignedValues()
    {
        var stream = Stream(AccAll);
        var frame = new byte[64];
        var length = PmdFrameEncoder.EncodeAccRaw(frame, 1_000_000_000, 0, [-128, 127], [5, -6], [0, -1]);

        Assert.True(stream.Decode(frame.AsSpan(0, length), 5).IsAccepted);

        var x = stream.Schema.IndexOf("x");
        Assert.Equal([-128, 127], stream.Columns.Values<int>(x).Values.ToArray());
        Assert.Equal([-6], stream.Columns.Values<int>(x + 1).Values[1..].ToArray());
        Assert.False(stream.Columns[stream.Schema.IndexOf("x_g")].IsValid(0));
        Assert.Equal([0x00, 0x00], stream.Columns.Values<byte>(stream.Schema.IndexOf("frame_type")).Values.ToArray());
    }

    [Fact]
    public void AllFrameTypes_RandomFramesInterleaved_RoundTripExactlyWithNullsAndFrameType()
    {
        var gen =
            from measurement in Gen.Choose(0, 2)
            from frames in Gen.Choose(1, 8)
            from seed in Gen.Choose(0, int.MaxValue)
            select (measurement, frames, seed);

        Prop.ForAll(Arb.From(gen), c =>
        {
            var random = new Random(c.seed);
            var decoder = Create(s_all[c.measurement]);
            var stream = new StreamDecoder(decoder);
            var expected = new List<Dictionary<string, long>>();
            var frame = new byte[DecodeLimits.MaxFrameBytes * 4];
            ulong ts = 600_000_000_000_000_000;
            for (var f = 0; f < c.frames; f++)
            {
                var type = decoder.Settings.FrameTypes[random.Next(decoder.Settings.FrameTypes.Count)];
                var n = random.Next(1, 30);
                ts += (ulong)n * 20_000_000;
                var length = EncodeRandom(frame, decoder.Settings, type, ts, n, random, expected);
                var result = stream.Decode(frame.AsSpan(0, length), 1000 + f);
                if (!result.IsAccepted || result.Rows != n)
                {
                    throw new InvalidOperationException($"{type.Label}: {result.Reason} {result.Detail}");
                }
            }

            var columns = stream.Columns;
            if (columns.RowCount != expected.Count)
            {
                return false;
            }

            for (var row = 0; row < expected.Count; row++)
            {
                for (var col = 0; col < columns.ValueColumnCount; col++)
                {
                    var name = columns.Schema.Columns[col].Name;
                    var actual = ValueAt(columns[col], row);
                    long? want = expected[row].TryGetValue(name, out var v) ? v : null;
                    if (actual != want)
                    {
                        throw new InvalidOperationException($"row {row} column {name}: expected {want?.ToString() ?? "null"}, found {actual?.ToString() ?? "null"}");
                    }
                }
            }

            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void AllFrameTypes_RandomBytes_NeverThrow()
    {
        var gen =
            from settings in Gen.Choose(0, s_all.Length - 1)
            from measurement in Gen.Choose(0, 3)
            from typeByte in Gen.Choose(0, 255)
            from body in Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))
            select (settings, measurement, typeByte, body);

        var streams = s_all.Select(Stream).ToArray();
        Prop.ForAll(Arb.From(gen), c =>
        {
            var frame = new byte[PmdFrameHeader.Size + c.body.Length];
            PmdFrameHeader.Write(frame, (PmdMeasurementType)c.measurement, 123_456_789, c.typeByte & 0x7F, (c.typeByte & 0x80) != 0);
            c.body.CopyTo(frame, PmdFrameHeader.Size);
            var stream = streams[c.settings];
            var before = stream.Columns.RowCount;
            var result = stream.Decode(frame, 1);
            return result.IsAccepted ? stream.Columns.RowCount == before + result.Rows : stream.Columns.RowCount == before;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Theory]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": {} }""", "$.settings.frameTypes")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [] }""", "$.settings.frameTypes")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameType": 1, "frameTypes": [ { "type": 1, "columns": ["ecg", "a", "b", "c"] } ] }""", "$.settings.frameType")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ 3 ] }""", "$.settings.frameTypes[0]")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 4, "columns": ["ecg"] } ] }""", "$.settings.frameTypes[0].type")]
    [InlineData("""{ "measurement": "ppg", "sampleRateHz": 55, "frameTypes": [ { "type": 7, "compressed": true, "columns": ["ppg0"] } ] }""", "$.settings.frameTypes[0].compressed")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 0, "columns": ["ecg"] }, { "type": 0, "columns": ["ecg"] } ] }""", "$.settings.frameTypes[1].type")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 0 } ] }""", "$.settings.frameTypes[0].columns")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 1, "columns": ["ecg"] } ] }""", "$.settings.frameTypes[0].columns")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 0, "columns": ["ECG"] } ] }""", "$.settings.frameTypes[0].columns[0]")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 0, "columns": ["frame_type"] } ] }""", "$.settings.frameTypes[0].columns[0]")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 2, "columns": ["ecg", "t", "t"] } ] }""", "$.settings.frameTypes[0].columns[2]")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 0, "factor": 2, "columns": ["ecg"] } ] }""", "$.settings.frameTypes[0].factor")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 0, "colums": ["ecg"] } ] }""", "$.settings.frameTypes[0].colums")]
    [InlineData("""{ "measurement": "acc", "sampleRateHz": 52, "frameTypes": [ { "type": 1, "columns": ["x", "y", "z"] }, { "type": 0, "compressed": true, "factor": 0.001, "columns": ["x", "y", "z"] } ] }""", "$.settings.frameTypes[1].columns[0]")]
    [InlineData("""{ "measurement": "ecg", "sampleRateHz": 130, "frameTypes": [ { "type": 1, "columns": ["ecg", "flag", "s", "c"] }, { "type": 3, "columns": ["flag", "d1", "st"] } ] }""", "$.settings.frameTypes[1].columns[0]")]
    public void Create_InvalidFrameTypes_ThrowsNamingThePath(string json, string path)
    {
        var error = Assert.Throws<ProfileException>(() => Create(json));

        Assert.Equal(path, error.JsonPath);
        Assert.False(string.IsNullOrWhiteSpace(error.Problem));
    }

    [Fact]
    public void ProfileLoader_BadFrameTypeInAProfile_NamesTheFileAndTheFullJsonPath()
    {
        using var folder = new Ingest.Tests.Support.TemporaryDirectory("pmd-profile");
        var profileFolder = Directory.CreateDirectory(Path.Combine(folder.Path, "pmd-bad")).FullName;
        var profile = Path.Combine(profileFolder, "profile.json");
        File.WriteAllText(profile, """
            { "id": "pmd-bad", "version": "1.0.0", "name": "bad", "match": { "manufacturerId": 107 }, "streams": [
              { "id": "acc", "service": "fb005c80-02e7-f387-1cad-8acd2d8df0c8", "characteristic": "fb005c82-02e7-f387-1cad-8acd2d8df0c8",
                "decoder": "polar-pmd", "nominalRateHz": 52,
                "settings": { "measurement": "acc", "sampleRateHz": 52, "frameTypes": [ { "type": 1, "columns": ["x", "y", "z"] }, { "type": 3, "columns": ["x", "y", "z"] } ] },
                "columns": [ { "name": "x", "type": "int16" } ] } ] }
            """);

        var error = Assert.Throws<ProfileException>(() => ProfileLoader.Load(profileFolder));

        Assert.Equal("$.streams[0].settings.frameTypes[1].type", error.JsonPath);
        Assert.Contains("acc frames of raw 3 are not supported; supported: raw 0, 1, 2; compressed 0, 1", error.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_MultiTypeStreamFrames_AllocateNothing()
    {
        var decoder = Create(AccAll);
        var columns = new StreamColumns(decoder.Schema, 4096);
        var raw = new byte[250];
        var compressed = new byte[400];
        var values = new int[40];
        var rawLength = PmdFrameEncoder.EncodeAccRaw(raw, 1_000_000_000_000, 0, values, values, values);
        var compressedLength = PmdFrameEncoder.EncodeDelta(compressed, PmdMeasurementType.Acc, 2_000_000_000_000, 0, 3, 16, new int[120]);
        decoder.Decode(raw.AsSpan(0, rawLength), HubTimeNs, columns);
        decoder.Decode(compressed.AsSpan(0, compressedLength), HubTimeNs, columns);
        columns.Clear();
        decoder.Reset();

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            decoder.Decode(raw.AsSpan(0, rawLength), HubTimeNs, columns);
            decoder.Decode(compressed.AsSpan(0, compressedLength), HubTimeNs, columns);
            columns.TryCommit(out _);
            columns.Clear();
            decoder.Reset();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private const long HubTimeNs = 1_763_805_600_000_000_000;

    private static int EncodeRandom(byte[] frame, PolarPmdSettings settings, PmdFrameType type, ulong ts, int n, Random random, List<Dictionary<string, long>> expected)
    {
        int[] Values(int min, int max) => Enumerable.Range(0, n).Select(_ => random.Next(min, max + 1)).ToArray();
        byte[] Bytes(int max) => Enumerable.Range(0, n).Select(_ => (byte)random.Next(max + 1)).ToArray();
        void Expect(params (int Slot, int[] Values)[] fields)
        {
            for (var i = 0; i < n; i++)
            {
                var row = new Dictionary<string, long>(StringComparer.Ordinal);
                foreach (var (slot, values) in fields)
                {
                    row[type.Columns[slot]] = values[i];
                }

                if (settings.FrameTypes.Count > 1)
                {
                    row[PolarPmdSchemas.FrameTypeColumn] = type.TypeByte;
                }

                expected.Add(row);
            }
        }

        static int[] Ints(byte[] bytes) => [.. bytes.Select(b => (int)b)];

        if (type.Compressed)
        {
            var half = 1 << (settings.ReferenceBits - 2);
            var channels = type.Channels;
            var perChannel = Enumerable.Range(0, channels).Select(_ => Values(-half, half - 1)).ToArray();
            var interleaved = new int[n * channels];
            for (var i = 0; i < n; i++)
            {
                for (var ch = 0; ch < channels; ch++)
                {
                    interleaved[(i * channels) + ch] = perChannel[ch][i];
                }
            }

            Expect([.. perChannel.Select((values, slot) => (slot, values))]);
            return PmdFrameEncoder.EncodeDelta(frame, settings.Measurement, ts, type.Type, channels, settings.ReferenceBits, interleaved, random.Next(1, 256));
        }

        switch (type.Layout)
        {
            case PmdFrameLayout.EcgRaw0:
                {
                    var ecg = Values(-(1 << 23), (1 << 23) - 1);
                    Expect((0, ecg));
                    return PmdFrameEncoder.EncodeEcgRaw0(frame, ts, ecg);
                }

            case PmdFrameLayout.EcgRaw1:
                {
                    var (ecg, o, s, i) = (Values(0, 0x3FFF), Bytes(1), Bytes(3), Bytes(3));
                    Expect((0, ecg), (1, Ints(o)), (2, Ints(s)), (3, Ints(i)));
                    return PmdFrameEncoder.EncodeEcgRaw1(frame, ts, ecg, o, s, i);
                }

            case PmdFrameLayout.EcgRaw2:
                {
                    var (ecg, tag, pace) = (Values(0, 0x3FFFF), Bytes(7), Bytes(7));
                    Expect((0, ecg), (1, Ints(tag)), (2, Ints(pace)));
                    return PmdFrameEncoder.EncodeEcgRaw2(frame, ts, ecg, tag, pace);
                }

            case PmdFrameLayout.EcgRaw3:
                {
                    var (d0, d1, status) = (Values(-(1 << 23), (1 << 23) - 1), Values(-(1 << 23), (1 << 23) - 1), Bytes(255));
                    Expect((0, d0), (1, d1), (2, Ints(status)));
                    return PmdFrameEncoder.EncodeEcgRaw3(frame, ts, d0, d1, status);
                }

            case PmdFrameLayout.PpgRaw0:
                {
                    var ch = Enumerable.Range(0, 4).Select(_ => Values(-(1 << 23), (1 << 23) - 1)).ToArray();
                    Expect((0, ch[0]), (1, ch[1]), (2, ch[2]), (3, ch[3]));
                    return PmdFrameEncoder.EncodePpgRaw0(frame, ts, ch[0], ch[1], ch[2], ch[3]);
                }

            default:
                {
                    var bits = 8 * (type.Type + 1);
                    var (x, y, z) = (Values(-(1 << (bits - 1)), (1 << (bits - 1)) - 1), Values(-(1 << (bits - 1)), (1 << (bits - 1)) - 1), Values(-(1 << (bits - 1)), (1 << (bits - 1)) - 1));
                    Expect((0, x), (1, y), (2, z));
                    return PmdFrameEncoder.EncodeAccRaw(frame, ts, type.Type, x, y, z);
                }
        }
    }

    private static long? ValueAt(ColumnBuffer column, int row)
    {
        if (!column.IsValid(row))
        {
            return null;
        }

        return column switch
        {
            PrimitiveColumnBuffer<int> v => v.Values[row],
            PrimitiveColumnBuffer<short> v => v.Values[row],
            PrimitiveColumnBuffer<sbyte> v => v.Values[row],
            PrimitiveColumnBuffer<byte> v => v.Values[row],
            PrimitiveColumnBuffer<ushort> v => v.Values[row],
            _ => throw new InvalidOperationException(column.Spec.TypeName),
        };
    }
}
