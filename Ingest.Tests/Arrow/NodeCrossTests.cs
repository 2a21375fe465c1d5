using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Ingest.Gateway.Cli;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Output;
using Ingest.Tests.Support;

namespace Ingest.Tests.Arrow;

/// <summary>
/// Our use of Apache.Arrow against the real apache-arrow (JS) 21.2.0 peer: JS reads the batches and files the hub
/// writes, for every column type the hub produces, value for value with all metadata; our reader reads what JS
/// writes; and JS's refusal of compressed bodies is pinned. A missing node or npm install fails with install advice.
/// </summary>
public sealed class NodeCrossTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);
    private static readonly int[] s_batchRows = [17, 0, 1, 300];

    [Fact]
    public async Task ApacheArrowJs_ReadsOurFile_EveryColumnTypeValueAndMetadataMatches()
    {
        var node = Peers.RequireNodeWithPackages();
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-js-file"), "all-kinds.arrow");
        var batches = new List<StreamColumns>();
        using (var output = new ArrowFileRowOutput(File.Create(path), AllKindsStream.Schema, AllKindsStream.Description))
        {
            for (var b = 0; b < s_batchRows.Length; b++)
            {
                batches.Add(AllKindsStream.Rows(s_batchRows[b], seed: b));
                output.WriteBatch(batches[^1]);
            }
        }

        using var js = await RunNodeAsync(node, "arrow-read.mjs", path);

        Assert.Equal("file", js.RootElement.GetProperty("format").GetString());
        using var encoder = new ArrowBatchEncoder(AllKindsStream.Schema, AllKindsStream.Description);
        var schema = encoder.FileSchema();
        var expected = new List<RecordBatch>();
        foreach (var columns in batches)
        {
            // Arrays straight over the source column buffers: what the rows were before any IPC.
            expected.Add(encoder.ToRecordBatch(columns, schema));
        }

        ArrowJsAssert.MatchesJs(js.RootElement, schema, expected);
        Assert.Equal("test-decoder", js.RootElement.GetProperty("schema").GetProperty("metadata").GetProperty(BatchMetadataKeys.Decoder).GetString());
    }

    [Fact]
    public async Task ApacheArrowJs_ReadsOurBatch_EveryColumnTypeValueAndIdentityMatches()
    {
        var node = Peers.RequireNodeWithPackages();
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-js-batch"), "batch.arrows");
        var columns = AllKindsStream.Rows(120, seed: 5);
        var identity = new BatchIdentity("hub-7", "p-0042/all", 41);
        using var encoder = new ArrowBatchEncoder(AllKindsStream.Schema, AllKindsStream.Description);
        await File.WriteAllBytesAsync(path, encoder.EncodeStream(columns, identity).ToArray());

        using var js = await RunNodeAsync(node, "arrow-read.mjs", path);

        Assert.Equal("stream", js.RootElement.GetProperty("format").GetString());
        var (first, last) = ArrowBatchEncoder.TimeRange(columns);
        var schema = encoder.BatchSchema(identity, first, last);
        ArrowJsAssert.MatchesJs(js.RootElement, schema, [encoder.ToRecordBatch(columns, schema)]);
        Assert.Equal("41", js.RootElement.GetProperty("schema").GetProperty("metadata").GetProperty(BatchMetadataKeys.Sequence).GetString());
    }

    [Theory]
    [InlineData(BatchCompression.Lz4Frame)]
    [InlineData(BatchCompression.Zstd)]
    public async Task ApacheArrowJs_CompressedBatch_RefusesWithCodecNotFound(BatchCompression compression)
    {
        // apache-arrow JS 21.2 ships no codecs: data engineers reading with JS need uncompressed batches
        // (docs/wire/arrow-ipc.md "Which readers handle compressed bodies").
        var node = Peers.RequireNodeWithPackages();
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-js-compressed"), "batch.arrows");
        using var encoder = new ArrowBatchEncoder(AllKindsStream.Schema, AllKindsStream.Description, new BatchEncodingOptions { Compression = compression });
        await File.WriteAllBytesAsync(path, encoder.EncodeStream(AllKindsStream.Rows(200, seed: 1), new BatchIdentity("hub-7", "p-0042/all", 0)).ToArray());

        var (exitCode, output) = await PeerProcess.RunAsync(node, [Path.Combine(Peers.NodePeersDirectory, "arrow-read.mjs"), path], s_timeout, Peers.NodePeersDirectory);

        Assert.True(exitCode != 0, $"apache-arrow JS read a {compression} batch; update docs/wire/arrow-ipc.md and this test. Output: {output}");
        Assert.Contains("Record batch is compressed but codec not found", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OurReader_ReadsApacheArrowJsFileAndStream_EveryValueMatches()
    {
        var scratch = await WriteWithJsAsync();
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(scratch, "js.expected.json")));

        using (var file = ArrowIpcContent.Read(await File.ReadAllBytesAsync(Path.Combine(scratch, "js.arrow"))))
        {
            Assert.True(file.IsFile);
            ArrowJsAssert.MatchesJs(expected.RootElement, file.Schema, file.Batches);
        }

        using var stream = ArrowIpcContent.Read(await File.ReadAllBytesAsync(Path.Combine(scratch, "js.arrows")));
        Assert.False(stream.IsFile);
        ArrowJsAssert.MatchesJs(expected.RootElement, stream.Schema, stream.Batches);
        Assert.Equal(3, stream.Batches.Count);
        Assert.Equal(48, stream.RowCount);
    }

    [Fact]
    public async Task ArrowInspect_ApacheArrowJsFile_PrintsEveryField()
    {
        var scratch = await WriteWithJsAsync();

        var (exit, text) = await Cli.RunAsync(["arrow", "inspect", Path.Combine(scratch, "js.arrow"), "--rows", "2"]);

        Assert.True(exit == 0, text);
        Assert.Contains("format:   Arrow IPC file (random access, footer)", text, StringComparison.Ordinal);
        Assert.Contains("  xyz: fixed_size_list<item: float>[3]", text, StringComparison.Ordinal);
        Assert.Contains("  pair: struct<a: int32, b: string>", text, StringComparison.Ordinal);
        Assert.Contains("  device: dictionary<values=string, indices=int32, ordered=0>", text, StringComparison.Ordinal);
        Assert.Contains("  i32: int32 not null    [nulls: 0]\n      unit = bpm", text, StringComparison.Ordinal);
        Assert.Contains("  wearable:profile = js-peer", text, StringComparison.Ordinal);
        Assert.Contains("first 2 row(s):\n  -- row 0 --", text, StringComparison.Ordinal);
    }

    /// <summary>Runs arrow-write.mjs: js.arrow, js.arrows and js.expected.json in a new scratch folder.</summary>
    private static async Task<string> WriteWithJsAsync()
    {
        var node = Peers.RequireNodeWithPackages();
        var scratch = Peers.NewScratchDirectory("arrow-js-write");
        var (exitCode, log) = await PeerProcess.RunAsync(node, [Path.Combine(Peers.NodePeersDirectory, "arrow-write.mjs"), scratch], s_timeout, Peers.NodePeersDirectory);
        Assert.True(exitCode == 0, $"arrow-write.mjs failed: {log}");
        return scratch;
    }

    private static async Task<JsonDocument> RunNodeAsync(string node, string script, string argument)
    {
        var (exitCode, output) = await PeerProcess.RunAsync(node, [Path.Combine(Peers.NodePeersDirectory, script), argument], s_timeout, Peers.NodePeersDirectory);
        Assert.True(exitCode == 0, $"{script} failed on {argument}: {output}");
        return JsonDocument.Parse(output);
    }
}
