using System.Buffers;
using System.Net.Sockets;
using Ingest.Mqtt.Protocol;

namespace Ingest.Tests.Mqtt.Support;

/// <summary>One accepted connection of a <see cref="FakeBroker"/>.</summary>
internal sealed class FakeConnection : IDisposable
{
    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private byte[] _buffer = new byte[64 * 1024];
    private int _count;

    public FakeConnection(TcpClient client)
    {
        _client = client;
        _stream = client.GetStream();
    }

    public MqttProtocolVersion Version { get; set; } = MqttProtocolVersion.V500;

    /// <summary>Reads the next whole packet; null when the client closed the connection.</summary>
    public async Task<(MqttFixedHeader Header, byte[] Packet)?> ReadPacketAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            if (MqttPacketDecoder.TryReadFixedHeader(_buffer.AsSpan(0, _count), MqttLimits.MaxPacketSize, out var header) == OperationStatus.Done)
            {
                var packet = _buffer.AsSpan(0, header.PacketLength).ToArray();
                _buffer.AsSpan(header.PacketLength, _count - header.PacketLength).CopyTo(_buffer);
                _count -= header.PacketLength;
                return (header, packet);
            }

            if (_count == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(_buffer.AsMemory(_count), cts.Token);
            }
            catch (IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _count += read;
        }
    }

    /// <summary>Reads the next packet and decodes it.</summary>
    public async Task<MqttPacket> ReadAsync(TimeSpan? timeout = null)
    {
        var next = await ReadPacketAsync(timeout) ?? throw new InvalidOperationException("the client closed the connection");
        return MqttPacketDecoder.Decode(next.Packet, next.Header.PacketType == MqttPacketType.Connect ? MqttProtocolVersion.V500 : Version);
    }

    /// <summary>Reads CONNECT (either version) and returns it.</summary>
    public async Task<MqttConnectPacket> ReadConnectAsync()
    {
        var next = await ReadPacketAsync() ?? throw new InvalidOperationException("no CONNECT");
        var connect = (MqttConnectPacket)MqttPacketDecoder.Decode(next.Packet, MqttProtocolVersion.V500);
        Version = connect.ProtocolVersion;
        return connect;
    }

    /// <summary>True when nothing arrives within <paramref name="quiet"/>.</summary>
    public async Task<bool> IsQuietAsync(TimeSpan quiet)
    {
        try
        {
            var next = await ReadPacketAsync(quiet);
            return next is null;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    public async Task SendAsync(params byte[] bytes) => await _stream.WriteAsync(bytes);

    public async Task SendAsync(MqttPacket packet)
    {
        var output = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.Encode(output, packet, Version);
        await _stream.WriteAsync(output.WrittenMemory);
    }

    public Task SendConnAckAsync(bool sessionPresent = false, MqttProperties? properties = null) =>
        SendAsync(new MqttConnAckPacket { SessionPresent = sessionPresent, Properties = properties, IsVersion311Form = Version != MqttProtocolVersion.V500 });

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
    }
}
