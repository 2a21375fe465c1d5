using System.Net;
using Ingest.Tests.Support;
using MQTTnet.Server;

namespace Ingest.Tests.Mqtt.Support;

/// <summary>
/// An MQTTnet.Server broker in the test process on a free loopback port, for the reason codes and behaviours mosquitto
/// cannot be made to produce (PUBACK 0x87 / 0x97, a PUBACK that never comes, CONNACK 0x84).
/// </summary>
internal sealed class InProcessMqttServer : IAsyncDisposable
{
    private InProcessMqttServer(MqttServer server, int port)
    {
        Server = server;
        Port = port;
    }

    public MqttServer Server { get; }

    public int Port { get; }

    public string Url => $"mqtt://127.0.0.1:{Port}";

    public static async Task<InProcessMqttServer> StartAsync(Action<MqttServer>? configure = null)
    {
        var port = Peers.FreeTcpPort();
        var server = new MqttServerFactory().CreateMqttServer(new MqttServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointPort(port)
            .Build());
        configure?.Invoke(server);
        await server.StartAsync();
        return new InProcessMqttServer(server, port);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.StopAsync();
        Server.Dispose();
    }
}
