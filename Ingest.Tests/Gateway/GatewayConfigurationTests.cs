using Ingest.Gateway.Configuration;
using Ingest.Tests.Support;

namespace Ingest.Tests.Gateway;

/// <summary>Configuration through the real executable: file &lt; environment &lt; command line, and one-line errors (exit 2).</summary>
public class GatewayConfigurationTests
{
    [Fact]
    public async Task CheckConfig_FileEnvironmentCommandLine_LaterSourceWinsPerKey()
    {
        var data = Peers.NewScratchDirectory("config-precedence");
        await File.WriteAllTextAsync(Path.Combine(data, GatewayConfiguration.DefaultFileName),
            """{ "Hub": { "Id": "file-hub", "Study": "file-study", "Site": "file-site" }, "Batching": { "MaxRows": 100 } }""");
        var environment = new Dictionary<string, string>
        {
            ["WEARABLE_INGEST_HUB__ID"] = "env-hub",
            ["WEARABLE_INGEST_HUB__SITE"] = "env-site",
        };

        var (exit, output) = await Gateway.RunAsync(["run", "--data-dir", data, "--hub-id", "cli-hub", "--check-config"], environment);

        Assert.True(exit == 0, output);
        Assert.Contains("hub cli-hub, study file-study, site env-site; no broker", output, StringComparison.Ordinal);
        Assert.Contains("Hub:Id = cli-hub (from --hub-id)", output, StringComparison.Ordinal);
        Assert.Contains("Hub:Site = env-site (from WEARABLE_INGEST_HUB__SITE)", output, StringComparison.Ordinal);
        Assert.Contains($"Hub:Study = file-study (in {Path.Combine(data, GatewayConfiguration.DefaultFileName)})", output, StringComparison.Ordinal);
        Assert.Contains("Batching:MaxRows = 100 (in ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckConfig_ExplicitConfigFileAndSetOption_AreRead()
    {
        var data = Peers.NewScratchDirectory("config-explicit");
        var file = Path.Combine(data, "elsewhere.json");
        await File.WriteAllTextAsync(file, """{ "Hub": { "Study": "s1" }, "Spool": { "CommitWindow": "50ms" } }""");

        var (exit, output) = await Gateway.RunAsync(["run", "--data-dir", data, "--config", file, "--set", "Spool:CommitWindow=20ms", "--check-config"]);

        Assert.True(exit == 0, output);
        Assert.Contains("study s1", output, StringComparison.Ordinal);
        Assert.Contains("Spool:CommitWindow = 20ms (from --set Spool:CommitWindow)", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--batch-rows", "0", "error: Batching:MaxRows is '0' (from --batch-rows); set it from 1 to 1000000")]
    [InlineData("--shutdown-grace", "1h", "error: Pipeline:ShutdownGrace is '1h' (from --shutdown-grace); set it from 00:00:00 to 00:10:00")]
    [InlineData("--batch-age", "soon", "error: Batching:MaxAge is 'soon' (from --batch-age); use a duration such as 500ms, 5s, 2m, 1h or 00:00:05")]
    [InlineData("--hub-id", "a/b", "error: Hub:Id is 'a/b' (from --hub-id); use 1-64 letters, digits, '-', '_' or '.'")]
    [InlineData("--compression", "brotli", "error: Batching:Compression is 'brotli' (from --compression); use one of none, lz4, zstd")]
    [InlineData("--health-interval", "100ms", "error: Health:Interval is '100ms' (from --health-interval); set it from 1s to 1h")]
    [InlineData("--broker", "http://x", "error: Broker:Url is 'http://x' (from --broker); ")]
    [InlineData("--require-receipts", "true", "error: Pipeline:RequireReceipts is 'true' (from --require-receipts); receipts come from the platform over MQTT")]
    [InlineData("--simulate", "0", "error: Simulator:Trackers is '0' (from --simulate); set it from 1 to 256")]
    [InlineData("--set", "Radio:MaxConnectionsPerAdapter=0", "error: Radio:MaxConnectionsPerAdapter is '0' (from --set Radio:MaxConnectionsPerAdapter); set it from 1 to 32")]
    [InlineData("--set", "Radio:StreamStallTimeout=0s", "error: Radio:StreamStallTimeout is '0s' (from --set Radio:StreamStallTimeout); set it to more than 0 and at most one day")]
    [InlineData("--set", "Radio:Backend=bluetooth", "error: Radio:Backend is 'bluetooth' (from --set Radio:Backend); use bluez (the hub's Bluetooth adapter) or simulator (virtual trackers)")]
    [InlineData("--web", "ftp://0.0.0.0:21", "error: Web:Urls is 'ftp://0.0.0.0:21' (from --web); give http://ADDRESS:PORT")]
    [InlineData("--web", "http://0.0.0.0:8080/nurse", "error: Web:Urls is 'http://0.0.0.0:8080/nurse' (from --web); give http://ADDRESS:PORT")]
    [InlineData("--metrics", "9464", "error: Metrics:PrometheusUrls is '9464' (from --metrics); give http://ADDRESS:PORT")]
    [InlineData("--set", "Web:SessionIdleTimeout=9h", "error: Web:SessionIdleTimeout is '9h' (from --set Web:SessionIdleTimeout); set it from 1m to 8h")]
    [InlineData("--set", "Metrics:OtlpEndpoint=collector:4318", "error: Metrics:OtlpEndpoint is 'collector:4318' (from --set Metrics:OtlpEndpoint); give the collector's http:// or https:// address")]
    [InlineData("--set", "Metrics:OtlpProtocol=udp", "error: Metrics:OtlpProtocol is 'udp' (from --set Metrics:OtlpProtocol); use grpc (port 4317) or http/protobuf (port 4318)")]
    [InlineData("--set", "Participant:Language=es", "error: Participant:Language is 'es' (from --set Participant:Language); use one of en, de, fr")]
    [InlineData("--set", "Participant:BatteryLowPercent=150", "error: Participant:BatteryLowPercent is '150' (from --set Participant:BatteryLowPercent); set a percentage from 0 to 100")]
    [InlineData("--set", "Participant:HubOfflineAfter=10s", "error: Participant:HubOfflineAfter is '10s' (from --set Participant:HubOfflineAfter); set it from 1m to 7d")]
    public async Task Run_BadCommandLineValue_OneLineNamingKeyAndSource_ExitsTwo(string option, string value, string expected)
    {
        var (exit, output) = await Gateway.RunAsync(["run", "--data-dir", Peers.NewScratchDirectory("config-bad"), option, value]);

        Assert.Equal(2, exit);
        Assert.StartsWith(expected, output, StringComparison.Ordinal);
        Assert.Single(output.Trim().Split('\n'));
    }

    [Fact]
    public async Task Run_BadEnvironmentValue_NamesTheVariable_ExitsTwo()
    {
        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--data-dir", Peers.NewScratchDirectory("config-env")],
            new Dictionary<string, string> { ["WEARABLE_INGEST_SPOOL__MAXBYTES"] = "lots" });

        Assert.Equal(2, exit);
        Assert.Equal("error: Spool:MaxBytes is 'lots' (from WEARABLE_INGEST_SPOOL__MAXBYTES); use a size such as 1048576, 64KiB, 16MiB or 1GiB", output.Trim());
    }

    [Fact]
    public async Task Run_BadFileValue_NamesTheFile_ExitsTwo()
    {
        var data = Peers.NewScratchDirectory("config-file-bad");
        var file = Path.Combine(data, GatewayConfiguration.DefaultFileName);
        await File.WriteAllTextAsync(file, """{ "Spool": { "SegmentBytes": "1KiB" } }""");

        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--data-dir", data]);

        Assert.Equal(2, exit);
        Assert.Equal($"error: Spool:SegmentBytes is '1KiB' (in {file}); set it from 4 KiB to 256 MiB", output.Trim());
    }

    [Fact]
    public async Task Run_UnknownKeyInFile_SuggestsTheKeyMeant_ExitsTwo()
    {
        var data = Peers.NewScratchDirectory("config-typo");
        var file = Path.Combine(data, GatewayConfiguration.DefaultFileName);
        await File.WriteAllTextAsync(file, """{ "Batching": { "MaxRow": 5 } }""");

        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--data-dir", data]);

        Assert.Equal(2, exit);
        Assert.Equal($"error: unknown configuration key Batching:MaxRow (in {file}): nothing reads it; did you mean Batching:MaxRows?", output.Trim());
    }

    [Fact]
    public async Task Run_UnknownEnvironmentVariableWithPrefix_IsReported_ExitsTwo()
    {
        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--data-dir", Peers.NewScratchDirectory("config-env-typo")],
            new Dictionary<string, string> { ["WEARABLE_INGEST_BROKER__URI"] = "mqtt://x" });

        Assert.Equal(2, exit);
        Assert.Equal("error: unknown configuration key BROKER:URI (from environment variable WEARABLE_INGEST_BROKER__URI): nothing reads it; did you mean Broker:Url?", output.Trim());
    }

    [Fact]
    public async Task Run_InvalidJson_SaysSoInOneLine_ExitsTwo()
    {
        var data = Peers.NewScratchDirectory("config-json");
        await File.WriteAllTextAsync(Path.Combine(data, GatewayConfiguration.DefaultFileName), """{ "Hub": { "Id": "x", } """);

        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--data-dir", data]);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: configuration file '", output, StringComparison.Ordinal);
        Assert.Contains("is not valid JSON", output, StringComparison.Ordinal);
        Assert.Single(output.Trim().Split('\n'));
    }

    [Fact]
    public async Task Run_MissingConfigFile_ExitsTwo()
    {
        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--config", "/nonexistent/wi.json"]);

        Assert.Equal(2, exit);
        Assert.Equal("error: configuration file '/nonexistent/wi.json' does not exist (from --config); check the path or leave it out", output.Trim());
    }

    [Fact]
    public async Task Run_SimulatorProfileThatIsNotLoaded_NamesKeyAndChoices_ExitsTwo()
    {
        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--data-dir", Peers.NewScratchDirectory("config-profiles"), "--set", "Simulator:Profiles=polar-h10,polar-h11"]);

        Assert.Equal(2, exit);
        Assert.StartsWith("error: Simulator:Profiles names 'polar-h11', which is not a loaded profile; use some of ", output.Split('\n').Last(l => l.StartsWith("error", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SetUnknownKey_ExitsTwo()
    {
        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--set", "Spool:Size=1"]);

        Assert.Equal(2, exit);
        Assert.Contains("--set 'Spool:Size=1': Spool:Size is not a configuration key", output, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigurationDoc_ListsEveryKeyAndItsEnvironmentVariable()
    {
        var doc = File.ReadAllText(Path.Combine(Peers.RepositoryRoot, "docs", "configuration.md"));

        foreach (var key in GatewayConfiguration.Keys)
        {
            Assert.Contains($"`{key}`", doc, StringComparison.Ordinal);
            Assert.Contains($"`{GatewayConfiguration.EnvironmentVariableOf(key)}`", doc, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("5s", 5000)]
    [InlineData("2m", 120_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("00:00:05", 5000)]
    [InlineData("1.5s", 1500)]
    public void TryParseDuration_Forms_Parse(string text, double milliseconds)
    {
        Assert.True(ValueText.TryParseDuration(text, out var value));
        Assert.Equal(milliseconds, value.TotalMilliseconds);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("5 parsecs")]
    [InlineData("-1s")]
    public void TryParseDuration_Nonsense_Fails(string text) => Assert.False(ValueText.TryParseDuration(text, out _));

    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("64KiB", 65536L)]
    [InlineData("16MiB", 16L << 20)]
    [InlineData("1GiB", 1L << 30)]
    [InlineData("2MB", 2_000_000L)]
    public void TryParseSize_Forms_Parse(string text, long bytes)
    {
        Assert.True(ValueText.TryParseSize(text, out var value));
        Assert.Equal(bytes, value);
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("-5")]
    [InlineData("99999999999TiB")]
    public void TryParseSize_Nonsense_Fails(string text) => Assert.False(ValueText.TryParseSize(text, out _));

    [Theory]
    [InlineData("Pi-Hub.local", "pi-hub-local")]
    [InlineData("", "hub")]
    [InlineData("HUB_7", "hub_7")]
    public void HubIdFromMachineName_Sanitizes(string machine, string expected) =>
        Assert.Equal(expected, GatewayConfiguration.HubIdFromMachineName(machine));
}
