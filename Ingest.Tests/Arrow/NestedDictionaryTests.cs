using System.Buffers;
using System.Text.Json;
using Ingest.Arrow;
using Ingest.Tests.Support;

namespace Ingest.Tests.Arrow;

/// <summary>Dictionary-encoded fields inside a struct and a list: pre-order dictionary order, ids, and JS agreement.</summary>
public sealed class NestedDictionaryTests
{
    private static readonly ArrowSchema s_schema = new ArrowSchema.Builder()
        .Field("sensor", ArrowType.Struct(
            new ArrowField("id", ArrowType.UInt16),
            new ArrowField("kind", ArrowType.Utf8, true, null, new ArrowDictionaryEncoding(11, ArrowType.Int16))))
        .Field("tags", ArrowType.List(new ArrowField("item", ArrowType.Utf8, true, null, new ArrowDictionaryEncoding(4, ArrowType.UInt8))))
        .Build();

    private static readonly string[] s_kinds = ["acc", "ppg", "ecg"];
    private static readonly string[] s_tags = ["rest", "walk", "sleep", "ü-tag"];

    [Fact]
    public void Schema_DictionaryFields_ArePreOrder()
    {
        Assert.Equal([11L, 4L], s_schema.DictionaryFields.Select(f => f.Dictionary!.Id));
    }

    [Fact]
    public async Task WriteStream_NestedDictionaries_OurReaderAndJsAgree()
    {
        var (bytes, sensor, tags) = Write();
        var content = ArrowIpcReader.Read(bytes);
        var batch = content.RecordBatches[0];
        ArrowAssert.ColumnEquals(sensor.Expected, batch.Columns[0]);
        ArrowAssert.ColumnEquals(tags.Expected, batch.Columns[1]);
        Assert.Equal(s_schema, content.Schema);

        var node = Peers.RequireNodeWithPackages();
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-nested-dict"), "nested.arrows");
        await File.WriteAllBytesAsync(path, bytes);
        var (exitCode, output) = await PeerProcess.RunAsync(node, [Path.Combine(Peers.NodePeersDirectory, "arrow-read.mjs"), path], TimeSpan.FromSeconds(60), Peers.NodePeersDirectory);
        Assert.True(exitCode == 0, output);
        using var js = JsonDocument.Parse(output);
        ArrowAssert.MatchesJs(js.RootElement, content);
    }

    private static (byte[] Bytes, SampleColumn Sensor, SampleColumn Tags) Write()
    {
        var ids = ColumnFactory.Fixed(new ushort?[] { 1, 2, null, 4 }, v => (ulong)v);
        var kinds = ColumnFactory.Fixed(new short?[] { 2, null, 0, 1 }, v => v);
        kinds = kinds with { Expected = [s_kinds[2], null, s_kinds[0], s_kinds[1]] };
        var sensor = ColumnFactory.Struct(4, i => i != 3, ids, kinds);

        var items = ColumnFactory.Fixed(new byte?[] { 0, 3, null, 2, 1 }, v => v);
        var offsets = ColumnFactory.ToBytes(new[] { 0, 2, 2, 3, 5 });
        var tags = new SampleColumn(
            ArrowColumn.List(4, offsets, new[] { items.Column }, new byte[] { 0b1101 }, 1),
            [new object?[] { s_tags[0], s_tags[3] }, null, new object?[] { null }, new object?[] { s_tags[2], s_tags[1] }]);

        var output = new ArrayBufferWriter<byte>();
        ArrowIpc.WriteStream(output, s_schema, 4, [sensor.Column, tags.Column],
            [ColumnFactory.Strings(s_kinds).Column, ColumnFactory.Strings(s_tags).Column]);
        return (output.WrittenSpan.ToArray(), sensor, tags);
    }
}
