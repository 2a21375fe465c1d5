using System.CommandLine;
using System.Globalization;
using Ingest.Gateway.Cli;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Support;

namespace Ingest.Tests.Mqtt;

/// <summary><c>wearable-ingest broker check</c> against real mosquitto brokers: success and each failure in plain words.</summary>
public sealed class BrokerCheckCommandTests
{
    private static async Task<(int Exit, string Output)> RunAsync(params string[] args)
    {
        var root = new RootCommand("test") { BrokerCheckCommand.Create() };
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await root.Parse(["broker", "check", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = output });
        return (exit, output.ToString());
    }

    [Fact]
    public async Task Check_ReachableBroker_ReportsVersionLimitsAndRoundTrip()
    {
        await using var broker = await MosquittoBroker.StartAsync("check-ok");
        var (exit, output) = await RunAsync("--broker", $"mqtt://127.0.0.1:{broker.Port}", "--hub-id", "hub-42", "--study", "cardio-2", "--timeout", "5");
        Assert.True(exit == BrokerCheckCommand.Success, output);
        Assert.Contains("Connected with MQTT 5.0", output, StringComparison.Ordinal);
        Assert.Contains("receive maximum 20", output, StringComparison.Ordinal);
        Assert.Contains("wearables/cardio-2/hubs/hub-42/status", output, StringComparison.Ordinal);
        Assert.Contains("Received it back", output, StringComparison.Ordinal);
        Assert.Contains("All checks passed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_WrongPassword_SaysTheCredentialsWereRefused()
    {
        await using var broker = await MosquittoBroker.StartAsync("check-password",
            listeners: "listener {port} 127.0.0.1\nallow_anonymous false\npassword_file {dir}/passwd",
            prepare: directory => MosquittoSecurityTests.CreatePasswordFile(directory).GetAwaiter().GetResult());
        var (exit, output) = await RunAsync("--broker", $"mqtt://127.0.0.1:{broker.Port}", "--username", "alice", "--password", "wrong");
        Assert.Equal(BrokerCheckCommand.ConnectFailed, exit);
        Assert.Contains("refused the credentials", output, StringComparison.Ordinal);

        var (good, goodOutput) = await RunAsync("--broker", $"mqtt://127.0.0.1:{broker.Port}", "--username", "alice", "--password", "s3cret");
        Assert.True(good == BrokerCheckCommand.Success, goodOutput);
    }

    [Fact]
    public async Task Check_UnknownCaAndWrongHost_ExplainTheCertificateProblem()
    {
        var pki = await TestPki.GetAsync();
        var tls = $"cafile {pki.CaCertificate}\ncertfile {pki.ServerCertificate}\nkeyfile {pki.ServerKey}\n";
        await using var broker = await MosquittoBroker.StartAsync("check-tls", listeners: "listener {port} 127.0.0.1\nallow_anonymous true\n" + tls);

        var (unknown, unknownOutput) = await RunAsync("--broker", $"mqtts://localhost:{broker.Port}", "--ca-file", pki.OtherCaCertificate);
        Assert.Equal(BrokerCheckCommand.ConnectFailed, unknown);
        Assert.Contains("unknown CA", unknownOutput, StringComparison.Ordinal);

        var (wrongHost, wrongHostOutput) = await RunAsync("--broker", $"mqtts://127.0.0.1:{broker.Port}", "--ca-file", pki.CaCertificate,
            "--tls-server-name", "broker.example.org");
        Assert.Equal(BrokerCheckCommand.ConnectFailed, wrongHost);
        Assert.Contains("wrong host name", wrongHostOutput, StringComparison.Ordinal);

        var (ok, okOutput) = await RunAsync("--broker", $"mqtts://localhost:{broker.Port}", "--ca-file", pki.CaCertificate);
        Assert.True(ok == BrokerCheckCommand.Success, okOutput);
        Assert.Contains("over TLS", okOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_PortClosed_SaysNothingIsListening()
    {
        var port = Peers.FreeTcpPort();
        var (exit, output) = await RunAsync("--broker", $"mqtt://127.0.0.1:{port}");
        Assert.Equal(BrokerCheckCommand.ConnectFailed, exit);
        Assert.Contains("the port is closed", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BadOptions_ExitTwoNamingWhatToChange()
    {
        var (inUrl, inUrlOutput) = await RunAsync("--broker", "mqtts://alice:s3cret@broker.example.org");
        Assert.Equal(BrokerCheckCommand.UsageError, inUrl);
        Assert.Contains("--username and --password", inUrlOutput, StringComparison.Ordinal);

        var (keyOnly, keyOnlyOutput) = await RunAsync("--broker", "mqtts://broker.example.org", "--key-file", "client.key");
        Assert.Equal(BrokerCheckCommand.UsageError, keyOnly);
        Assert.Contains("--key-file was given without --cert-file", keyOnlyOutput, StringComparison.Ordinal);

        var (scheme, schemeOutput) = await RunAsync("--broker", "http://broker");
        Assert.Equal(BrokerCheckCommand.UsageError, scheme);
        Assert.Contains("mqtts://", schemeOutput, StringComparison.Ordinal);
    }
}
