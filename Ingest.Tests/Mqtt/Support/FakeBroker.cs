using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Ingest.Mqtt.Protocol;

namespace Ingest.Tests.Mqtt.Support;

/// <summary>
/// An in-process scripted broker (Npgsql's PgPostmasterMock idea): the test accepts the client's connections one by
/// one, reads the packets it sends and writes whatever bytes it wants back, including hostile ones.
/// </summary>
internal sealed class FakeBroker : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

    public FakeBroker()
    {
        _listener.Start();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public async Task<FakeConnection> AcceptAsync(TimeSpan? timeout = null)
    {
        var client = await _listener.AcceptTcpClientAsync().WaitAsync(timeout ?? TimeSpan.FromSeconds(10));
        client.NoDelay = true;
        return new FakeConnection(client);
    }

    public ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Dispose();
        return ValueTask.CompletedTask;
    }
}
