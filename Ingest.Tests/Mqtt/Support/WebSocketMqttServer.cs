using System.Net;
using System.Security.Cryptography.X509Certificates;
using Ingest.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MQTTnet.AspNetCore;

namespace Ingest.Tests.Mqtt.Support;

/// <summary>
/// An MQTT 5 broker reached over WebSocket at /mqtt: MQTTnet.AspNetCore in a Kestrel test host on a free loopback port,
/// optionally with TLS (wss://). Chosen over aedes behind an npm ws server because it speaks MQTT 5, so the properties
/// and limits travel the WebSocket path too, and needs no extra npm package; Debian's mosquitto cannot open a
/// websockets listener at all.
/// </summary>
internal sealed class WebSocketMqttServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebSocketMqttServer(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public static async Task<WebSocketMqttServer> StartAsync(X509Certificate2? serverCertificate = null)
    {
        var port = Peers.FreeTcpPort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port, listen =>
        {
            if (serverCertificate is not null)
            {
                listen.UseHttps(serverCertificate);
            }
        }));
        builder.Services.AddHostedMqttServer(options => options.WithoutDefaultEndpoint());
        builder.Services.AddMqttConnectionHandler();
        builder.Services.AddConnections();
        var app = builder.Build();
        app.UseWebSockets();
        app.MapMqtt("/mqtt");
        await app.StartAsync();
        return new WebSocketMqttServer(app, port);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
