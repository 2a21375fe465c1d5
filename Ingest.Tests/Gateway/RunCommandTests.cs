using Ingest.Gateway.Cli;
using Ingest.Tests.Support;

namespace Ingest.Tests.Gateway;

public class RunCommandTests
{
    [Fact]
    public async Task Run_NoBrokerConfigured_WritesEveryShippedStreamToTheLocalFolder()
    {
        var output = Peers.NewScratchDirectory("run");

        var (exit, text) = await Cli.RunAsync(["run", "--out", output]);

        Assert.Equal(0, exit);
        Assert.Contains("no broker configured", text, StringComparison.Ordinal);
        var profiles = Directory.GetDirectories(Path.Combine(Peers.RepositoryRoot, "firmware-profiles"));
        foreach (var profile in profiles)
        {
            var written = Path.Combine(output, Path.GetFileName(profile));
            Assert.True(Directory.Exists(written), $"run wrote nothing for {Path.GetFileName(profile)}: {text}");
            Assert.NotEmpty(Directory.GetFiles(written, "*.jsonl"));
            foreach (var arrow in Directory.GetFiles(written, "*.arrow"))
            {
                using var content = ArrowIpcContent.Read(await File.ReadAllBytesAsync(arrow));
                Assert.True(content.IsFile, arrow);
                Assert.True(content.RowCount > 0, $"{arrow} holds no rows");
            }
        }
    }

    [Fact]
    public async Task Run_CompressionZstd_WritesSmallerFilesThatApacheArrowReadsBack()
    {
        var plain = Peers.NewScratchDirectory("run-plain");
        var zstd = Peers.NewScratchDirectory("run-zstd");

        var (plainExit, plainText) = await Cli.RunAsync(["run", "--out", plain]);
        var (exit, text) = await Cli.RunAsync(["run", "--out", zstd, "--compression", "zstd"]);

        Assert.True(plainExit == 0, plainText);
        Assert.True(exit == 0, text);
        var ecg = Path.Combine("polar-h10", "ecg.arrow");
        Assert.True(new FileInfo(Path.Combine(zstd, ecg)).Length < new FileInfo(Path.Combine(plain, ecg)).Length);
        using var compressed = ArrowIpcContent.Read(await File.ReadAllBytesAsync(Path.Combine(zstd, ecg)));
        using var uncompressed = ArrowIpcContent.Read(await File.ReadAllBytesAsync(Path.Combine(plain, ecg)));
        Assert.Equal(uncompressed.RowCount, compressed.RowCount);
        var plainRendering = ArrowInspectCommand.Render("f", 0, uncompressed, int.MaxValue);
        var zstdRendering = ArrowInspectCommand.Render("f", 0, compressed, int.MaxValue);
        Assert.Contains(", zstd-compressed bodies", zstdRendering, StringComparison.Ordinal);
        // Everything after the format line (schema, metadata, counts, every row) is the same.
        Assert.Equal(plainRendering[plainRendering.IndexOf("schema:", StringComparison.Ordinal)..], zstdRendering[zstdRendering.IndexOf("schema:", StringComparison.Ordinal)..]);
    }

    [Fact]
    public async Task Run_UnknownCompression_NamesTheValueAndExitsTwo()
    {
        var (exit, text) = await Cli.RunAsync(["run", "--out", Peers.NewScratchDirectory("run"), "--compression", "brotli"]);

        Assert.Equal(2, exit);
        Assert.Contains("error: --compression 'brotli' is not one of none, lz4, zstd", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_MissingProfilesFolder_ExplainsAndExitsTwo()
    {
        var (exit, text) = await Cli.RunAsync(["run", "--profiles-dir", "/nonexistent/profiles", "--out", Peers.NewScratchDirectory("run")]);

        Assert.Equal(2, exit);
        Assert.Contains("profiles folder '/nonexistent/profiles' does not exist", text, StringComparison.Ordinal);
    }
}
