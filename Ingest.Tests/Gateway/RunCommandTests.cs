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
                var content = Ingest.Arrow.ArrowIpcReader.Read(await File.ReadAllBytesAsync(arrow));
                Assert.True(content.RowCount > 0, $"{arrow} holds no rows");
            }
        }
    }

    [Fact]
    public async Task Run_MissingProfilesFolder_ExplainsAndExitsTwo()
    {
        var (exit, text) = await Cli.RunAsync(["run", "--profiles-dir", "/nonexistent/profiles", "--out", Peers.NewScratchDirectory("run")]);

        Assert.Equal(2, exit);
        Assert.Contains("profiles folder '/nonexistent/profiles' does not exist", text, StringComparison.Ordinal);
    }
}
