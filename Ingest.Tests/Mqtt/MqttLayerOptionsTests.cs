using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Mqtt.Support;
using static Ingest.Tests.Mqtt.Support.MqttTestClients;

namespace Ingest.Tests.Mqtt;

/// <summary>What the layer checks before touching the network: broker URLs, option ranges, TLS files and pins, the in-flight window.</summary>
public sealed class MqttLayerOptionsTests
{
    [Theory]
    [InlineData("mqtts://broker.example.org", "Tls", "broker.example.org", 8883, "")]
    [InlineData("mqtt://10.0.0.5:1884", "Tcp", "10.0.0.5", 1884, "")]
    [InlineData("broker.local", "Tcp", "broker.local", 1883, "")]
    [InlineData("ssl://[::1]:8884", "Tls", "::1", 8884, "")]
    [InlineData("wss://broker.example.org", "SecureWebSocket", "broker.example.org", 443, "/mqtt")]
    [InlineData("ws://gw.hospital.local:8080/mqtt/v5?tenant=7", "WebSocket", "gw.hospital.local", 8080, "/mqtt/v5?tenant=7")]
    public void MqttBrokerUrl_TryParse_UnderstandsWhatPeopleWrite(string text, string transport, string host, int port, string path)
    {
        Assert.True(MqttBrokerUrl.TryParse(text, out var url, out var error), error);
        Assert.Equal(new MqttBrokerUrl(Enum.Parse<MqttTransport>(transport), host, port, path), url);
    }

    [Theory]
    [InlineData("http://broker", "mqtts://")]
    [InlineData("mqtts://alice:s3cret@broker.example.org", "--username and --password")]
    [InlineData("mqtt://broker.example.org/some/path", "use ws:// or wss://")]
    [InlineData("mqtt://broker.example.org#x", "remove the '#")]
    [InlineData("", "like mqtts://")]
    public void MqttBrokerUrl_TryParse_RefusesInWordsWhatItCannotUse(string text, string advice)
    {
        Assert.False(MqttBrokerUrl.TryParse(text, out _, out var error));
        Assert.Contains(advice, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Validate_NamesTheBadSettingAndWhatToChange()
    {
        var good = Options("mqtt://127.0.0.1:1883", "hub-1");
        good.Validate();
        void Fails(MqttPublisherOptions options, string expected)
        {
            var error = Assert.Throws<MqttOptionsException>(options.Validate);
            Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        }

        Fails(good with { ClientId = "hub 1" }, "--client-id 'hub 1'");
        Fails(good with { Password = "x" }, "pass --username");
        Fails(good with { Tls = new MqttTlsSettings() }, "use mqtts:// or wss://");
        Fails(good with { KeepAliveSeconds = 70_000 }, "0..65535");
        Fails(good with { MaximumInFlight = 0 }, "maximum in-flight 0");
        Fails(good with { SocketBufferBytes = 100 }, "socket buffer 100");
        Fails(good with { PublishTimeout = TimeSpan.Zero }, "timeouts must be positive");
        Fails(good with { Will = new MqttOfflineWill("hub/+/status", MqttOfflineWill.DefaultPayload) }, "wildcard");
        Assert.Throws<MqttOptionsException>(() => new MqttPublisher(good with { ReconnectMaximumDelay = TimeSpan.Zero, ReconnectMinimumDelay = TimeSpan.FromSeconds(1) }));
    }

    [Fact]
    public async Task TlsSettings_FromFiles_KeyWithoutCertificateAndBadPinsAreErrors()
    {
        var keyOnly = Assert.Throws<MqttOptionsException>(() => MqttTlsSettings.FromFiles(null, null, "client.key", null, null));
        Assert.Contains("--key-file was given without --cert-file", keyOnly.Message, StringComparison.Ordinal);

        var badPin = Assert.Throws<MqttOptionsException>(() => MqttTlsSettings.ParsePins(["abc"]));
        Assert.Contains("64 hex digits", badPin.Message, StringComparison.Ordinal);
        Assert.Contains("44 base64", badPin.Message, StringComparison.Ordinal);
        var hex = new string('a', 64);
        var withColons = string.Join(':', Enumerable.Range(0, 32).Select(_ => "AA"));
        Assert.All(MqttTlsSettings.ParsePins([hex, withColons, Convert.ToBase64String(new byte[32])]), pin => Assert.Equal(32, pin.Length));

        var pki = await TestPki.GetAsync();
        var notPem = Assert.Throws<MqttOptionsException>(() => MqttTlsSettings.FromFiles(pki.ServerKey, null, null, null, null));
        Assert.Contains("--ca-file", notPem.Message, StringComparison.Ordinal);
        Assert.Contains("not a PEM certificate file", notPem.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<MqttOptionsException>(() => MqttTlsSettings.FromFiles(Path.Combine(pki.Directory, "nope.pem"), null, null, null, null));
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PublishPacketSize_MatchesTheMqtt5Layout()
    {
        // 1 fixed header + 1 remaining length; topic "t" = 2 + 1; packet id 2; properties length 1 + content type "x" (1 + 2 + 1); payload 10.
        Assert.Equal(2 + 3 + 2 + 1 + 4 + 10, MqttPublisher.PublishPacketSize(1, 10, new MqttPublishProperties { ContentType = "x" }));
        // Without properties (3.1.1) there is no property length byte; 200 bytes of remaining length take a 2-byte varint.
        Assert.Equal(1 + 2 + 3 + 2 + 193, MqttPublisher.PublishPacketSize(1, 193, null));
    }

    [Fact]
    public async Task InFlightWindow_FullWindowWaitsAndLowerLimitDrains()
    {
        var window = new InFlightWindow(2);
        await window.AcquireAsync(CancellationToken.None);
        await window.AcquireAsync(CancellationToken.None);
        var third = window.AcquireAsync(CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);

        using var cancel = new CancellationTokenSource();
        var canceled = window.AcquireAsync(cancel.Token).AsTask();
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => canceled);

        window.Release();
        await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(2, window.InUse);

        // A lower limit (a reconnect to a server with a smaller Receive Maximum) lets nobody in until the window drained below it.
        window.SetLimit(1);
        var fourth = window.AcquireAsync(CancellationToken.None).AsTask();
        window.Release();
        Assert.False(fourth.IsCompleted);
        window.Release();
        await fourth.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(1, window.InUse);
    }
}
