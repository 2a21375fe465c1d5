using System.Runtime.InteropServices;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;
using Ingest.Tests.Arrow;
using Ingest.Tests.Support;

namespace Ingest.Tests.Pipeline.Batching;

public class ArrowBatchEncoderTests
{
    internal static StreamSchema HeartRateSchema { get; } = new(
        [
            new ColumnSpec { Name = "heart_rate", Kind = ColumnKind.UInt16, Unit = "/min", Description = "beats per minute" },
            new ColumnSpec { Name = "energy", Kind = ColumnKind.UInt16, Unit = "kJ", Nullable = true },
            new ColumnSpec { Name = "rr_interval", Kind = ColumnKind.List, ElementKind = ColumnKind.UInt16, Unit = "s", Scale = 1.0 / 1024 },
            new ColumnSpec { Name = "temperature", Kind = ColumnKind.Float32, Unit = "Cel", Nullable = true, Offset = -0.5 },
        ],
        hasDeviceTime: true);

    internal static StreamDescription HeartRateDescription { get; } = new("test-strap", "1.0.0", "heart-rate-measurement");

    private static readonly BatchIdentity s_identity = new("hub-7", "p-0042/heart-rate", 12);

    /// <summary>Five rows: device_time null in row 2, energy null in odd rows, 0..4 RR intervals, NaN temperature in row 4.</summary>
    internal static StreamColumns HeartRateRows(StreamColumns? reuse = null)
    {
        var columns = reuse ?? new StreamColumns(HeartRateSchema, 4);
        for (var i = 0; i < 5; i++)
        {
            columns.HubTime.Append(1_763_805_600_000_000_000 + (i * 1_000_000_000L));
            if (i == 2)
            {
                columns.DeviceTime!.AppendNull();
            }
            else
            {
                columns.DeviceTime!.Append(1_000 + i);
            }

            columns.Values<ushort>(0).Append((ushort)(60 + i));
            if (i % 2 == 0)
            {
                columns.Values<ushort>(1).Append((ushort)(100 * i));
            }
            else
            {
                columns.Values<ushort>(1).AppendNull();
            }

            var rr = columns.List<ushort>(2);
            rr.BeginRow();
            for (var k = 0; k < i; k++)
            {
                rr.Elements.Append((ushort)(1000 + k));
            }

            rr.EndRow();
            columns.Values<float>(3).Append(i == 4 ? float.NaN : 36.5f + i);
            Assert.True(columns.TryCommit(out _));
        }

        return columns;
    }

    private static byte[] Encode(StreamColumns columns, BatchIdentity identity, BatchCompression compression = BatchCompression.None)
    {
        using var encoder = new ArrowBatchEncoder(HeartRateSchema, HeartRateDescription, new BatchEncodingOptions { Compression = compression });
        return encoder.EncodeStream(columns, identity).ToArray();
    }

    private static (Schema Schema, RecordBatch Batch) ReadBack(byte[] bytes)
    {
        var reader = new ArrowStreamReader(bytes, new Apache.Arrow.Compression.CompressionCodecFactory());
        var batch = reader.ReadNextRecordBatch();
        Assert.NotNull(batch);
        Assert.Null(reader.ReadNextRecordBatch());
        return (reader.Schema, batch);
    }

    [Theory]
    [InlineData(BatchCompression.None)]
    [InlineData(BatchCompression.Lz4Frame)]
    [InlineData(BatchCompression.Zstd)]
    public void EncodeStream_ReadBackWithApacheArrow_ValuesTypesAndMetadataSurvive(BatchCompression compression)
    {
        var (schema, batch) = ReadBack(Encode(HeartRateRows(), s_identity, compression));

        Assert.Equal(5, batch.Length);
        Assert.Equal(["hub_time", "device_time", "heart_rate", "energy", "rr_interval", "temperature"], schema.FieldsList.Select(f => f.Name));
        Assert.Equal("UTC", ((TimestampType)schema.FieldsList[0].DataType).Timezone);
        Assert.False(schema.FieldsList[0].IsNullable);
        Assert.True(string.IsNullOrEmpty(((TimestampType)schema.FieldsList[1].DataType).Timezone));
        Assert.Equal(TimeUnit.Nanosecond, ((TimestampType)schema.FieldsList[1].DataType).Unit);
        var rrType = Assert.IsType<ListType>(schema.FieldsList[4].DataType);
        Assert.IsType<UInt16Type>(rrType.ValueDataType);
        Assert.False(rrType.ValueField.IsNullable);
        Assert.Equal("/min", schema.FieldsList[2].Metadata["unit"]);
        Assert.Equal("beats per minute", schema.FieldsList[2].Metadata["description"]);
        Assert.Equal("0.0009765625", schema.FieldsList[4].Metadata["scale"]);
        Assert.Equal("-0.5", schema.FieldsList[5].Metadata["offset"]);
        Assert.False(schema.FieldsList[2].Metadata.ContainsKey("scale"));
        Assert.Equal("hub-7", schema.Metadata[BatchMetadataKeys.Hub]);
        Assert.Equal("p-0042/heart-rate", schema.Metadata[BatchMetadataKeys.Stream]);
        Assert.Equal("12", schema.Metadata[BatchMetadataKeys.Sequence]);
        Assert.Equal("test-strap", schema.Metadata[BatchMetadataKeys.ProfileId]);
        Assert.Equal("1.0.0", schema.Metadata[BatchMetadataKeys.ProfileVersion]);
        Assert.Equal("heart-rate-measurement", schema.Metadata[BatchMetadataKeys.Decoder]);
        Assert.Equal("2025-11-22T10:00:00.000000000Z", schema.Metadata[BatchMetadataKeys.FirstHubTime]);
        Assert.Equal("2025-11-22T10:00:04.000000000Z", schema.Metadata[BatchMetadataKeys.LastHubTime]);

        Assert.Equal(1_763_805_604_000_000_000, ((TimestampArray)batch.Column(0)).Values[4]);
        var deviceTime = (TimestampArray)batch.Column(1);
        Assert.True(deviceTime.IsNull(2));
        Assert.Equal(1_003, deviceTime.Values[3]);
        Assert.Equal((ushort)64, ((UInt16Array)batch.Column(2)).GetValue(4));
        var energy = (UInt16Array)batch.Column(3);
        Assert.Equal(2, energy.NullCount);
        Assert.Null(energy.GetValue(1));
        Assert.Equal((ushort)200, energy.GetValue(2));
        var rr = (ListArray)batch.Column(4);
        // Rows 0..2 hold 0, 1 and 2 RR intervals, so row 3's three start at element 3.
        Assert.Equal(3, rr.ValueOffsets[3]);
        Assert.Equal(3, rr.GetValueLength(3));
        Assert.Equal([1000, 1001, 1002], ((UInt16Array)rr.Values).Values.Slice(3, 3).ToArray().Select(v => (int)v));
        Assert.True(float.IsNaN(((FloatArray)batch.Column(5)).Values[4]));
    }

    [Theory]
    [InlineData(BatchCompression.None)]
    [InlineData(BatchCompression.Lz4Frame)]
    [InlineData(BatchCompression.Zstd)]
    public void EncodeStream_SameRowsAndIdentity_SameBytesWhateverCameBefore(BatchCompression compression)
    {
        var fresh = Encode(HeartRateRows(), s_identity, compression);

        // The same buffers after a longer batch with nulls everywhere: stale values and validity bits lie past the rows.
        var reused = new StreamColumns(HeartRateSchema, 4);
        for (var i = 0; i < 13; i++)
        {
            reused.HubTime.Append(i);
            reused.DeviceTime!.AppendNull();
            reused.Values<ushort>(0).Append(ushort.MaxValue);
            reused.Values<ushort>(1).AppendNull();
            reused.List<ushort>(2).AppendNull();
            reused.Values<float>(3).AppendNull();
            Assert.True(reused.TryCommit(out _));
        }

        using var encoder = new ArrowBatchEncoder(HeartRateSchema, HeartRateDescription, new BatchEncodingOptions { Compression = compression });
        encoder.EncodeStream(reused, s_identity);
        reused.Clear();
        var again = encoder.EncodeStream(HeartRateRows(reused), s_identity).ToArray();

        Assert.Equal(fresh, again);
        Assert.Equal(fresh, Encode(HeartRateRows(), s_identity, compression));
    }

    [Fact]
    public void EncodeStream_OtherSequence_OtherBytes()
    {
        Assert.NotEqual(Encode(HeartRateRows(), s_identity), Encode(HeartRateRows(), s_identity with { Sequence = 13 }));
    }

    [Fact]
    public void ToRecordBatch_ArraysWrapExactSlicesOfTheColumnBuffers()
    {
        var columns = HeartRateRows();
        using var encoder = new ArrowBatchEncoder(HeartRateSchema, HeartRateDescription);

        using var batch = encoder.ToRecordBatch(columns, encoder.FileSchema());

        AssertSameMemory(columns.HubTime.ValueMemory, ((TimestampArray)batch.Column(0)).ValueBuffer.Memory);
        AssertSameMemory(columns.Values<ushort>(1).ValidityMemory, ((UInt16Array)batch.Column(3)).NullBitmapBuffer.Memory);
        Assert.True(((UInt16Array)batch.Column(2)).NullBitmapBuffer.IsEmpty, "a column without nulls gets no bitmap");
        var rr = (ListArray)batch.Column(4);
        AssertSameMemory(columns.List<ushort>(2).OffsetMemory, rr.ValueOffsetsBuffer.Memory);
        AssertSameMemory(columns.List<ushort>(2).Elements.ValueMemory, ((UInt16Array)rr.Values).ValueBuffer.Memory);
        Assert.Equal(5 * sizeof(long), ((TimestampArray)batch.Column(0)).ValueBuffer.Length);
        Assert.Equal(1, ((UInt16Array)batch.Column(3)).NullBitmapBuffer.Length);
        Assert.Equal(6 * sizeof(int), rr.ValueOffsetsBuffer.Length);
    }

    private static void AssertSameMemory(ReadOnlyMemory<byte> expected, ReadOnlyMemory<byte> actual)
    {
        Assert.True(MemoryMarshal.TryGetArray(expected, out var e));
        Assert.True(MemoryMarshal.TryGetArray(actual, out var a));
        Assert.Same(e.Array, a.Array);
        Assert.Equal(e.Offset, a.Offset);
        Assert.Equal(e.Count, a.Count);
    }

    [Fact]
    public void EncodeStream_HalfAppendedFrame_ThrowsNamingTheColumn()
    {
        var columns = HeartRateRows();
        columns.HubTime.Append(1);
        using var encoder = new ArrowBatchEncoder(HeartRateSchema, HeartRateDescription);

        var ex = Assert.Throws<InvalidOperationException>(() => encoder.EncodeStream(columns, s_identity));

        Assert.Contains("column 'hub_time' has 6 values for 5 committed rows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EncodeStream_ColumnsOfAnotherStream_Throws()
    {
        using var encoder = new ArrowBatchEncoder(HeartRateSchema, HeartRateDescription);
        var other = new StreamColumns(new StreamSchema([new ColumnSpec { Name = "x", Kind = ColumnKind.Int8 }], hasDeviceTime: false));

        Assert.Throws<ArgumentException>(() => encoder.EncodeStream(other, s_identity));
    }

    [Fact]
    public void EncodeStream_AfterDispose_Throws()
    {
        var encoder = new ArrowBatchEncoder(HeartRateSchema, HeartRateDescription);
        encoder.Dispose();
        Assert.Throws<ObjectDisposedException>(() => encoder.EncodeStream(HeartRateRows(), s_identity));
    }

    [Theory]
    [InlineData(BatchCompression.Lz4Frame, 3, "a compression level only applies to zstd")]
    [InlineData(BatchCompression.None, 3, "a compression level only applies to zstd")]
    [InlineData(BatchCompression.Zstd, 0, "zstd compression level 0 is outside 1–22")]
    [InlineData(BatchCompression.Zstd, 23, "zstd compression level 23 is outside 1–22")]
    [InlineData((BatchCompression)7, null, "compression 7 is not one of none, lz4, zstd")]
    public void Options_Invalid_RejectedByTheEncoderNamingTheSetting(BatchCompression compression, int? level, string message)
    {
        var options = new BatchEncodingOptions { Compression = compression, CompressionLevel = level };

        var ex = Assert.Throws<ArgumentException>(() => new ArrowBatchEncoder(HeartRateSchema, HeartRateDescription, options));

        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_ZstdLevel_SmallerThanDefaultLevelOnCompressibleRows()
    {
        var columns = new StreamColumns(HeartRateSchema, 4096);
        for (var i = 0; i < 4096; i++)
        {
            columns.HubTime.Append(1_763_805_600_000_000_000 + (i * 7_812_500L));
            columns.DeviceTime!.Append(i);
            columns.Values<ushort>(0).Append((ushort)(60 + (i % 7)));
            columns.Values<ushort>(1).Append((ushort)(i / 100));
            var rr = columns.List<ushort>(2);
            rr.BeginRow();
            rr.EndRow();
            columns.Values<float>(3).Append(36.5f);
            Assert.True(columns.TryCommit(out _));
        }

        using var plain = new ArrowBatchEncoder(HeartRateSchema, HeartRateDescription);
        using var zstd = new ArrowBatchEncoder(HeartRateSchema, HeartRateDescription, new BatchEncodingOptions { Compression = BatchCompression.Zstd, CompressionLevel = 19 });

        var plainLength = plain.EncodeStream(columns, s_identity).Length;
        var zstdBytes = zstd.EncodeStream(columns, s_identity).ToArray();

        Assert.True(zstdBytes.Length * 4 < plainLength, $"zstd-19 {zstdBytes.Length} B vs uncompressed {plainLength} B");
        Assert.Equal(4096, ReadBack(zstdBytes).Batch.Length);
    }

    [Fact]
    public async Task EncodeStream_ReadByApacheArrowJs_EveryValueAndMetadataMatches()
    {
        var node = Peers.RequireNodeWithPackages();
        var path = Path.Combine(Peers.NewScratchDirectory("batch-js"), "batch.arrows");
        var bytes = Encode(HeartRateRows(), s_identity);
        await File.WriteAllBytesAsync(path, bytes);

        var (exit, output) = await PeerProcess.RunAsync(node, [Path.Combine(Peers.NodePeersDirectory, "arrow-read.mjs"), path],
            TimeSpan.FromSeconds(60), Peers.NodePeersDirectory);

        Assert.True(exit == 0, output);
        using var js = JsonDocument.Parse(output);
        Assert.Equal("stream", js.RootElement.GetProperty("format").GetString());
        var (schema, batch) = ReadBack(bytes);
        ArrowJsAssert.MatchesJs(js.RootElement, schema, [batch]);
        var columns = js.RootElement.GetProperty("batches")[0].GetProperty("columns");
        Assert.Equal("1763805600000000000", columns[0][0].GetString());
        Assert.Equal("[1000,1001,1002]", columns[4][3].GetRawText());
        Assert.Equal("NaN", columns[5][4].GetString());
    }

    [Fact]
    public async Task DecodeFormatArrow_FileReadByApacheArrowJs()
    {
        var node = Peers.RequireNodeWithPackages();
        var path = Path.Combine(Peers.NewScratchDirectory("decode-arrow"), "battery.arrow");

        var (exit, text) = await Cli.RunAsync(["decode", "--uuid", "2a19", "--hex", "2026-11-22T10:00:00Z 55", "--hex", "56", "--format", "arrow", "--out", path]);
        Assert.Equal(0, exit);
        var (nodeExit, output) = await PeerProcess.RunAsync(node, [Path.Combine(Peers.NodePeersDirectory, "arrow-read.mjs"), path],
            TimeSpan.FromSeconds(60), Peers.NodePeersDirectory);

        Assert.True(nodeExit == 0, output + text);
        using var js = JsonDocument.Parse(output);
        Assert.Equal("file", js.RootElement.GetProperty("format").GetString());
        Assert.Equal("battery-level", js.RootElement.GetProperty("schema").GetProperty("metadata").GetProperty(BatchMetadataKeys.Decoder).GetString());
        var columns = js.RootElement.GetProperty("batches")[0].GetProperty("columns");
        Assert.Equal("[85,86]", columns[1].GetRawText());
    }
}
