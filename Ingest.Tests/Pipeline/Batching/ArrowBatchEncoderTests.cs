using System.Text.Json;
using Ingest.Arrow;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;
using Ingest.Tests.Support;

namespace Ingest.Tests.Pipeline.Batching;

public class ArrowBatchEncoderTests
{
    private static readonly StreamSchema s_schema = new(
        [
            new ColumnSpec { Name = "heart_rate", Kind = ColumnKind.UInt16, Unit = "/min", Description = "beats per minute" },
            new ColumnSpec { Name = "energy", Kind = ColumnKind.UInt16, Unit = "kJ", Nullable = true },
            new ColumnSpec { Name = "rr_interval", Kind = ColumnKind.List, ElementKind = ColumnKind.UInt16, Unit = "s", Scale = 1.0 / 1024 },
            new ColumnSpec { Name = "temperature", Kind = ColumnKind.Float32, Unit = "Cel", Nullable = true },
        ],
        hasDeviceTime: true);

    private static readonly StreamDescription s_description = new("test-strap", "1.0.0", "heart-rate-measurement");

    private static StreamColumns SampleRows()
    {
        var columns = new StreamColumns(s_schema, 4);
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

    private static byte[] Encode(StreamColumns columns, BatchIdentity identity)
    {
        using var buffer = new ArrowBufferWriter();
        new ArrowBatchEncoder(s_schema, s_description).EncodeStream(columns, identity, buffer);
        return buffer.WrittenSpan.ToArray();
    }

    [Fact]
    public void EncodeStream_ReadBackWithOurReader_ValuesTypesAndMetadataSurvive()
    {
        var bytes = Encode(SampleRows(), new BatchIdentity("hub-7", "p-0042/heart-rate", 12));

        var content = ArrowIpcReader.ReadStream(bytes);

        Assert.Equal(5, content.RowCount);
        var schema = content.Schema;
        Assert.Equal(["hub_time", "device_time", "heart_rate", "energy", "rr_interval", "temperature"], schema.Fields.Select(f => f.Name));
        Assert.Equal("UTC", schema.Fields[0].Type.TimeZone);
        Assert.Null(schema.Fields[1].Type.TimeZone);
        Assert.Equal(ArrowTypeId.List, schema.Fields[4].Type.Id);
        Assert.Equal("/min", schema.Fields[2].GetMetadata("unit"));
        Assert.Equal("0.0009765625", schema.Fields[4].GetMetadata("scale"));
        Assert.Equal("hub-7", schema.GetMetadata(BatchMetadataKeys.Hub));
        Assert.Equal("12", schema.GetMetadata(BatchMetadataKeys.Sequence));
        Assert.Equal("test-strap", schema.GetMetadata(BatchMetadataKeys.ProfileId));
        Assert.Equal("2025-11-22T10:00:00.000000000Z", schema.GetMetadata(BatchMetadataKeys.FirstHubTime));
        Assert.Equal("2025-11-22T10:00:04.000000000Z", schema.GetMetadata(BatchMetadataKeys.LastHubTime));

        var batch = content.RecordBatches[0];
        Assert.True(batch.Column("device_time").IsNull(2));
        Assert.Equal(64, batch.Column("heart_rate").GetInt64(4));
        Assert.True(batch.Column("energy").IsNull(1));
        Assert.Equal(200, batch.Column("energy").GetInt64(2));
        // Rows 0..2 hold 0, 1 and 2 RR intervals, so row 3's three start at element 3.
        Assert.Equal((3, 3), batch.Column("rr_interval").GetListRange(3));
        Assert.True(double.IsNaN(batch.Column("temperature").GetDouble(4)));
    }

    [Fact]
    public void EncodeStream_SameRowsAndIdentity_SameBytes()
    {
        var identity = new BatchIdentity("hub-7", "p-0042/heart-rate", 3);
        Assert.Equal(Encode(SampleRows(), identity), Encode(SampleRows(), identity));
    }

    [Fact]
    public async Task EncodeStream_ReadByApacheArrowJs_EveryValueAndMetadataMatches()
    {
        var node = Peers.RequireNodeWithPackages();
        var path = Path.Combine(Peers.NewScratchDirectory("batch-js"), "batch.arrows");
        await File.WriteAllBytesAsync(path, Encode(SampleRows(), new BatchIdentity("hub-7", "p-0042/heart-rate", 12)));

        var (exit, output) = await PeerProcess.RunAsync(node, [Path.Combine(Peers.NodePeersDirectory, "arrow-read.mjs"), path],
            TimeSpan.FromSeconds(60), Peers.NodePeersDirectory);

        Assert.True(exit == 0, output);
        using var js = JsonDocument.Parse(output);
        var root = js.RootElement;
        Assert.Equal("stream", root.GetProperty("format").GetString());
        Assert.Equal("hub-7", root.GetProperty("schema").GetProperty("metadata").GetProperty(BatchMetadataKeys.Hub).GetString());
        var fields = root.GetProperty("schema").GetProperty("fields");
        Assert.Equal("kJ", fields[3].GetProperty("metadata").GetProperty("unit").GetString());
        var batch = root.GetProperty("batches")[0];
        Assert.Equal(5, batch.GetProperty("length").GetInt32());
        var columns = batch.GetProperty("columns");
        Assert.Equal("1763805600000000000", columns[0][0].GetString());
        Assert.Equal(JsonValueKind.Null, columns[1][2].ValueKind);
        Assert.Equal(62, columns[2][2].GetInt32());
        Assert.Equal(JsonValueKind.Null, columns[3][3].ValueKind);
        Assert.Equal("[1000,1001,1002]", columns[4][3].GetRawText());
        Assert.Equal("[]", columns[4][0].GetRawText());
        Assert.Equal("36.5", columns[5][0].GetString());
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
