using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ingest.Gateway.Cli;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Support;

namespace Ingest.Tests.Mqtt;

/// <summary>
/// Every broker option is checked before anything connects, each refusal names the option and what to change, never
/// repeats a password and quotes long values only in part (issue 12).
/// </summary>
public sealed class BrokerOptionValidationTests
{
    private static readonly string s_huge = new('a', 70_000);

    [Theory]
    [InlineData("mqtt://127.0.0.1:0", "port 0")]
    [InlineData("mqtt://127.0.0.1:70000", "port 70000")]
    [InlineData("mqtt://127.0.0.1:12ab", "not a number")]
    [InlineData("mqtt://::1:1883", "without brackets")]
    [InlineData("::1", "without brackets")]
    [InlineData("mqtt://[127.0.0.1]:1883", "not an IPv6 address")]
    [InlineData("mqtt://[::1:1883", "closing ']'")]
    [InlineData("mqtt://:1883", "has no host")]
    [InlineData("mqtt://%%%", "not a host name")]
    [InlineData("mqtts://broker.example.org/mqtt", "use ws:// or wss://")]
    [InlineData("mqtt://broker.example.org?x=1", "use ws:// or wss://")]
    [InlineData("gopher://broker", "unknown scheme 'gopher'")]
    [InlineData("mqtt://broker example", "space")]
    public void MqttBrokerUrl_TryParse_RefusesWhatItWouldOtherwiseBendOrDrop(string text, string advice)
    {
        Assert.False(MqttBrokerUrl.TryParse(text, out _, out var error));
        Assert.Contains(advice, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mqtt://alice:s3cret@broker.example.org")]
    [InlineData("mqtt://alice:s3cret@:1883")]
    [InlineData("wss://alice:s3cret@broker.example.org/mqtt")]
    public void MqttBrokerUrl_TryParse_CredentialsAreRefusedAndNeverRepeated(string text)
    {
        Assert.False(MqttBrokerUrl.TryParse(text, out _, out var error));
        Assert.Contains("--username and --password", error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", error, StringComparison.Ordinal);
    }

    [Fact]
    public void MqttBrokerUrl_Ipv6_IsPrintedInBracketsAndWebSocketPathsAreKept()
    {
        Assert.True(MqttBrokerUrl.TryParse("mqtt://[::1]:1884", out var v6, out var error), error);
        Assert.Equal("[::1]", v6.HostText);
        Assert.Equal("mqtt://[::1]:1884", v6.ToString());
        Assert.True(MqttBrokerUrl.TryParse("wss://gw.example.org/ws/mqtt", out var ws, out error), error);
        Assert.Equal("/ws/mqtt", ws.Path);
    }

    [Fact]
    public void MqttBrokerUrl_LongGarbage_IsQuotedOnlyInPart()
    {
        Assert.False(MqttBrokerUrl.TryParse("mqtt://" + new string('%', 1500), out _, out var error));
        Assert.True(error.Length < 300, error);
    }

    [Fact]
    public void TopicUserPasswordClientId_ProblemsNameTheLimitAndQuoteShort()
    {
        Assert.Contains("wildcard", MqttPublisherOptions.ProblemWithTopicName("a/#"), StringComparison.Ordinal);
        Assert.Contains("wildcard", MqttPublisherOptions.ProblemWithTopicName("a/+/b"), StringComparison.Ordinal);
        Assert.Contains("empty", MqttPublisherOptions.ProblemWithTopicName(""), StringComparison.Ordinal);
        Assert.Contains("NUL", MqttPublisherOptions.ProblemWithTopicName("a\0b"), StringComparison.Ordinal);
        Assert.Null(MqttPublisherOptions.ProblemWithTopicName("wearable-ingest/hubs/hüb/status"));
        Assert.Null(MqttPublisherOptions.ProblemWithTopicName(new string('t', MqttOptionText.MaximumStringBytes)));

        var topic = MqttPublisherOptions.ProblemWithTopicName(new string('t', MqttOptionText.MaximumStringBytes + 1));
        Assert.Contains("65,535", topic, StringComparison.Ordinal);
        Assert.True(topic!.Length < 300, topic);

        var user = MqttPublisherOptions.ProblemWithUserName(s_huge);
        Assert.Contains("70,000 UTF-8 bytes", user, StringComparison.Ordinal);
        Assert.True(user!.Length < 300, user);
        Assert.Contains("surrogate", MqttPublisherOptions.ProblemWithUserName("a\uD800b"), StringComparison.Ordinal);

        var password = MqttPublisherOptions.ProblemWithPassword("pw-" + s_huge);
        Assert.Contains("not shown", password, StringComparison.Ordinal);
        Assert.DoesNotContain("pw-", password, StringComparison.Ordinal);
        Assert.Null(MqttPublisherOptions.ProblemWithPassword("s3cret"));

        Assert.Null(MqttPublisherOptions.ProblemWithClientId("wi-hub_7"));
        Assert.Contains("ASCII letters", MqttPublisherOptions.ProblemWithClientId("hüb"), StringComparison.Ordinal);
        Assert.True(MqttPublisherOptions.ProblemWithClientId(s_huge)!.Length < 300);
    }

    [Fact]
    public void Options_Validate_TimeoutBeyondTheNamedLimitIsRefused()
    {
        var good = MqttTestClients.Options("mqtt://127.0.0.1:1883", "hub-1");
        var error = Assert.Throws<MqttOptionsException>((good with { ConnectTimeout = TimeSpan.FromDays(1000) }).Validate);
        Assert.Contains("at most 5 min", error.Message, StringComparison.Ordinal);
        Assert.Equal("--password", Assert.Throws<MqttOptionsException>((good with { UserName = "u", Password = s_huge }).Validate).Setting);
    }

    [Fact]
    public async Task TlsSettings_FromFiles_EachFileProblemNamesTheOption()
    {
        var pki = await TestPki.GetAsync();
        var directory = Peers.NewScratchDirectory("tls-options");
        var text = Path.Combine(directory, "notes.txt");
        await File.WriteAllTextAsync(text, "not a certificate\n");
        var der = Path.Combine(directory, "ca.der");
        using (var ca = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(pki.CaCertificate)))
        {
            await File.WriteAllBytesAsync(der, ca.RawData);
        }

        var huge = Path.Combine(directory, "huge.pem");
        await File.WriteAllTextAsync(huge, new string('A', MqttTlsSettings.MaximumPemFileBytes + 1));

        void Refused(Func<MqttTlsSettings> build, string option, string words)
        {
            var error = Assert.Throws<MqttOptionsException>(() => build());
            Assert.Equal(option, error.Setting);
            Assert.Contains(words, error.Message, StringComparison.Ordinal);
        }

        Refused(() => MqttTlsSettings.FromFiles(text, null, null, null, null), "--ca-file", "not a PEM certificate file");
        Refused(() => MqttTlsSettings.FromFiles(der, null, null, null, null), "--ca-file", "not a PEM certificate file");
        Refused(() => MqttTlsSettings.FromFiles(directory, null, null, null, null), "--ca-file", "is a folder");
        Refused(() => MqttTlsSettings.FromFiles(huge, null, null, null, null), "--ca-file", "1 MiB");
        Refused(() => MqttTlsSettings.FromFiles("", null, null, null, null), "--ca-file", "empty");
        Refused(() => MqttTlsSettings.FromFiles(null, pki.ClientCertificate, null, null, null), "--cert-file", "no private key");
        Refused(() => MqttTlsSettings.FromFiles(null, pki.ClientCertificate, text, null, null), "--key-file", "not a PEM private key");
        Refused(() => MqttTlsSettings.FromFiles(null, pki.ClientCertificate, pki.ServerKey, null, null), "--key-file", "cannot be used with the client certificate");
        Refused(() => MqttTlsSettings.FromFiles(null, null, null, null, "not a name!"), "--tls-server-name", "not a host name");

        var good = MqttTlsSettings.FromFiles(pki.CaCertificate, pki.ClientCertificate, pki.ClientKey, null, " broker.example.org ");
        Assert.NotNull(good.ClientCertificate);
        Assert.Equal("broker.example.org", good.ServerName);
    }

    [Theory]
    [InlineData("zzz")]
    [InlineData("")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAG")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Pins_NotAHash_RefusedNamingBothAcceptedForms(string pin)
    {
        var error = Assert.Throws<MqttOptionsException>(() => MqttTlsSettings.ParsePins([pin]));
        Assert.Equal("--pin-sha256", error.Setting);
        Assert.Contains("64 hex digits", error.Message, StringComparison.Ordinal);
        Assert.Contains("44 base64", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BrokerCheck_BadOption_OneErrorLineOnStderrNothingOnStdoutNoConnection()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        foreach (string[] options in (string[][])[["--status-topic", "a/#"], ["--username", s_huge], ["--hub-id", s_huge], ["--ca-file", "x.pem"]])
        {
            var (exit, output, error) = await CheckAsync(CancellationToken.None, ["--broker", $"mqtt://127.0.0.1:{port}", .. options]);
            Assert.Equal(BrokerCheckCommand.UsageError, exit);
            Assert.Equal(string.Empty, output);
            Assert.StartsWith("error: " + options[0], error, StringComparison.Ordinal);
            Assert.True(error.Length < 400, error);
            Assert.False(listener.Pending(), "an option error must be found before connecting");
        }
    }

    [Fact]
    public async Task BrokerCheck_InterruptedWhileConnecting_SaysInterruptedAndExits130()
    {
        // Accepts the TCP connection and never answers the CONNECT: only Ctrl+C ends the wait.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var interrupt = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var (exit, output, error) = await CheckAsync(interrupt.Token, "--broker", $"mqtt://127.0.0.1:{port}", "--timeout", "60");
        Assert.Equal(ExitCodes.Interrupted, exit);
        Assert.Contains("Connecting", output, StringComparison.Ordinal);
        Assert.StartsWith("error: interrupted", error, StringComparison.Ordinal);
        Assert.DoesNotContain("error:", output, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Output, string Error)> CheckAsync(CancellationToken cancellationToken, params string[] args)
    {
        var root = new RootCommand("test") { BrokerCheckCommand.Create() };
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await root.Parse(["broker", "check", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
        return (exit, output.ToString(), error.ToString());
    }
}
