using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Mqtt.Support;
using MQTTnet.Formatter;
using static Ingest.Tests.Mqtt.Support.MqttTestClients;

namespace Ingest.Tests.Mqtt;

/// <summary>
/// ws:// and wss:// for networks that only let web ports out, against MQTTnet.AspNetCore (MQTT 5) in a test host; wss
/// uses the test CA and the same certificate check (CA, host name, pin) as mqtts.
/// </summary>
public sealed class WebSocketTransportTests
{
    [Fact]
    public async Task Ws_Mqtt5PublishWithPropertiesRoundTrips()
    {
        await using var server = await WebSocketMqttServer.StartAsync();
        var url = $"ws://127.0.0.1:{server.Port}/mqtt";
        await using var subscriber = await SubscriberAsync(Options(url, "ws-sub"), "ws/#");
        await using var publisher = new MqttPublisher(Options(url, "ws-pub"));
        var connected = await publisher.ConnectAsync();
        Assert.Equal(MqttProtocolVersion.V500, connected.ProtocolVersion);

        var results = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => publisher.PublishAsync("ws/batch",
            BitConverter.GetBytes(i), new MqttPublishProperties { ContentType = "application/vnd.apache.arrow.stream" }).AsTask()));
        Assert.All(results, r => Assert.True(r.IsSuccess, r.ToString()));
        var seen = new HashSet<int>();
        while (seen.Count < 200)
        {
            var message = await ReceiveAsync(subscriber);
            Assert.Equal("application/vnd.apache.arrow.stream", message.ContentType);
            seen.Add(BitConverter.ToInt32(message.Payload.Span));
        }
    }

    [Fact]
    public async Task Ws_WrongPath_IsAWebSocketFailureInWords()
    {
        await using var server = await WebSocketMqttServer.StartAsync();
        await using var publisher = new MqttPublisher(Options($"ws://127.0.0.1:{server.Port}/not-mqtt", "ws-wrong-path"));
        var error = await Assert.ThrowsAsync<MqttConnectException>(() => publisher.ConnectAsync());
        Assert.True(error.Failure is MqttConnectFailure.WebSocketFailed, error.Failure + " " + error.Message);
    }

    [Fact]
    public async Task Wss_TestCaAndPin_ConnectsAndRefusesUnknownCaAndWrongPin()
    {
        var pki = await TestPki.GetAsync();
        using var certificate = X509CertificateLoader.LoadPkcs12(
            X509Certificate2.CreateFromPemFile(pki.ServerCertificate, pki.ServerKey).Export(X509ContentType.Pkcs12), null);
        await using var server = await WebSocketMqttServer.StartAsync(certificate);
        var url = string.Create(CultureInfo.InvariantCulture, $"wss://localhost:{server.Port}/mqtt");
        var pin = Convert.ToHexString(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));

        await using (var good = new MqttPublisher(Options(url, "wss-good") with { Tls = MqttTlsSettings.FromFiles(pki.CaCertificate, null, null, [pin], null) }))
        {
            await good.ConnectAsync();
            Assert.True((await good.PublishAsync("wss/a", new byte[] { 1 })).IsSuccess);
        }

        await using (var unknownCa = new MqttPublisher(Options(url, "wss-unknown") with { Tls = MqttTlsSettings.FromFiles(pki.OtherCaCertificate, null, null, null, null) }))
        {
            var error = await Assert.ThrowsAsync<MqttConnectException>(() => unknownCa.ConnectAsync());
            Assert.Equal(MqttConnectFailure.TlsUntrustedCertificate, error.Failure);
        }

        await using var wrongPin = new MqttPublisher(Options(url, "wss-pin") with { Tls = MqttTlsSettings.FromFiles(pki.CaCertificate, null, null, [new string('0', 64)], null) });
        var pinError = await Assert.ThrowsAsync<MqttConnectException>(() => wrongPin.ConnectAsync());
        Assert.Equal(MqttConnectFailure.TlsPinMismatch, pinError.Failure);
    }
}
