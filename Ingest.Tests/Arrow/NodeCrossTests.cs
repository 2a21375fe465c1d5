using System.Buffers;
using System.Text.Json;
using Ingest.Arrow;
using Ingest.Tests.Support;

namespace Ingest.Tests.Arrow;

/// <summary>
/// Cross-checks with the real apache-arrow (JS) 21.2.0 peer: it reads what we write, we read what it writes,
/// and every value is compared. A missing node or npm install fails with install advice.
/// </summary>
public sealed class NodeCrossTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData(ArrowIpcFormat.Stream)]
    [InlineData(ArrowIpcFormat.File)]
    public async Task ApacheArrowJs_ReadsOurOutput_EveryValueMatches(ArrowIpcFormat format)
    {
        var node = Peers.RequireNodeWithPackages();
        var scratch = Peers.NewScratchDirectory("arrow-js-read");
        var output = new ArrayBufferWriter<byte>();
        var samples = new List<SampleColumn[]>();
        var batches = new[] { (17, 0, true), (0, 1, true), (1, 2, false), (300, 3, true) };
        if (format == ArrowIpcFormat.File)
        {
            var writer = new ArrowFileWriter(output, ArrowSamples.AllTypesSchema);
            writer.WriteStart(ArrowSamples.AllTypesDictionaries());
            foreach (var (rows, seed, nulls) in batches)
            {
                samples.Add(ArrowSamples.AllTypes(rows, seed, nulls));
                writer.WriteBatch(rows, ArrowSamples.Columns(samples[^1]));
            }

            writer.Finish();
        }
        else
        {
            var writer = new ArrowStreamWriter(output, ArrowSamples.AllTypesSchema);
            writer.WriteStart(ArrowSamples.AllTypesDictionaries());
            foreach (var (rows, seed, nulls) in batches)
            {
                samples.Add(ArrowSamples.AllTypes(rows, seed, nulls));
                writer.WriteBatch(rows, ArrowSamples.Columns(samples[^1]));
            }

            writer.WriteEnd();
        }

        var path = Path.Combine(scratch, format == ArrowIpcFormat.File ? "ours.arrow" : "ours.arrows");
        await File.WriteAllBytesAsync(path, output.WrittenMemory.ToArray());
        var js = await RunNodeAsync(node, "arrow-read.mjs", path);

        Assert.Equal(format == ArrowIpcFormat.File ? "file" : "stream", js.RootElement.GetProperty("format").GetString());
        var ours = ArrowIpcReader.Read(output.WrittenMemory);
        for (var b = 0; b < samples.Count; b++)
        {
            ArrowAssert.BatchEquals(samples[b], ours.RecordBatches[b]);
        }

        ArrowAssert.MatchesJs(js.RootElement, ours);
    }

    [Fact]
    public async Task ApacheArrowJs_ReadsOneShotMessages_EveryValueMatches()
    {
        var node = Peers.RequireNodeWithPackages();
        var scratch = Peers.NewScratchDirectory("arrow-js-oneshot");
        foreach (var rows in new[] { 0, 1, 120 })
        {
            var sample = ArrowSamples.AllTypes(rows, rows, withNulls: true);
            using var buffer = new ArrowBufferWriter();
            ArrowIpc.WriteStream(buffer, ArrowSamples.AllTypesSchema, rows, ArrowSamples.Columns(sample), ArrowSamples.AllTypesDictionaries());
            var path = Path.Combine(scratch, $"message-{rows}.arrows");
            await File.WriteAllBytesAsync(path, buffer.WrittenMemory.ToArray());
            var js = await RunNodeAsync(node, "arrow-read.mjs", path);
            var ours = ArrowIpcReader.Read(buffer.WrittenMemory.ToArray());
            ArrowAssert.BatchEquals(sample, ours.RecordBatches[0]);
            ArrowAssert.MatchesJs(js.RootElement, ours);
        }
    }

    [Fact]
    public async Task ApacheArrowJs_ReadsDictionaryReplacement_LaterBatchesUseNewValues()
    {
        var node = Peers.RequireNodeWithPackages();
        var schema = new ArrowSchema.Builder()
            .Field(new ArrowField("device", ArrowType.Utf8, true, null, new ArrowDictionaryEncoding(0, ArrowType.Int32)))
            .Build();
        var output = new ArrayBufferWriter<byte>();
        var writer = new ArrowStreamWriter(output, schema);
        writer.WriteStart([ColumnFactory.Strings(["h10", "verity"]).Column]);
        writer.WriteBatch(2, [ColumnFactory.Fixed(new int?[] { 1, 0 }, v => v).Column]);
        writer.WriteDictionary(0, ColumnFactory.Strings(["pinetime", "oxi", "bangle"]).Column);
        writer.WriteBatch(3, [ColumnFactory.Fixed(new int?[] { 2, null, 0 }, v => v).Column]);
        writer.WriteEnd();
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-js-replace"), "replace.arrows");
        await File.WriteAllBytesAsync(path, output.WrittenMemory.ToArray());

        using var js = await RunNodeAsync(node, "arrow-read.mjs", path);
        var ours = ArrowIpcReader.Read(output.WrittenMemory);
        Assert.Equal("bangle", ours.RecordBatches[1].Columns[0].GetString(0));
        ArrowAssert.MatchesJs(js.RootElement, ours);
    }

    [Fact]
    public async Task OurReader_ReadsApacheArrowJsOutput_EveryValueMatches()
    {
        var node = Peers.RequireNodeWithPackages();
        var scratch = Peers.NewScratchDirectory("arrow-js-write");
        var (exitCode, log) = await PeerProcess.RunAsync(node, [Path.Combine(Peers.NodePeersDirectory, "arrow-write.mjs"), scratch], s_timeout, Peers.NodePeersDirectory);
        Assert.True(exitCode == 0, $"arrow-write.mjs failed: {log}");
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(scratch, "js.expected.json")));

        var file = ArrowIpcReader.Read(await File.ReadAllBytesAsync(Path.Combine(scratch, "js.arrow")));
        Assert.Equal(ArrowIpcFormat.File, file.Format);
        ArrowAssert.MatchesJs(expected.RootElement, file);

        var stream = ArrowIpcReader.Read(await File.ReadAllBytesAsync(Path.Combine(scratch, "js.arrows")));
        Assert.Equal(ArrowIpcFormat.Stream, stream.Format);
        ArrowAssert.MatchesJs(expected.RootElement, stream);
        Assert.Equal(3, stream.RecordBatches.Count);
        Assert.Equal(48, stream.RowCount);
    }

    private static async Task<JsonDocument> RunNodeAsync(string node, string script, string argument)
    {
        var (exitCode, output) = await PeerProcess.RunAsync(node, [Path.Combine(Peers.NodePeersDirectory, script), argument], s_timeout, Peers.NodePeersDirectory);
        Assert.True(exitCode == 0, $"{script} failed on {argument}: {output}");
        return JsonDocument.Parse(output);
    }
}
