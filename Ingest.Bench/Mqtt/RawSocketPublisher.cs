using System.Buffers;
using System.Net;
using System.Net.Sockets;
using Ingest.Mqtt.Protocol;

namespace Ingest.Bench.Mqtt;

/// <summary>
/// The in-run reference (the client-side limit): a raw socket that blasts pre-encoded QoS 1 PUBLISH packets, keeping
/// at most <c>window</c> unacknowledged, and counts PUBACKs. No per-message state, no result objects, no encoding.
/// Sends are gathered (as many packets per syscall as the window allows) or one per packet.
/// </summary>
internal sealed class RawSocketPublisher : IDisposable
{
    private readonly Socket _socket;
    private readonly byte[][] _packets;
    private readonly byte[] _receive = new byte[64 * 1024];
    private readonly int _window;

    public RawSocketPublisher(int port, int payloadSize, int window, string topic)
    {
        _window = window;
        _socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(IPAddress.Loopback, port);
        var output = new ArrayBufferWriter<byte>();
        MqttPacketEncoder.WriteConnect(output, new MqttConnectPacket { ClientId = "raw-reference", CleanStart = true, KeepAliveSeconds = 60 });
        _socket.Send(output.WrittenSpan);
        var read = _socket.Receive(_receive);
        if (read < 4 || _receive[0] != 0x20 || _receive[3] != 0)
        {
            throw new InvalidOperationException("no CONNACK for the raw reference");
        }

        // One pre-encoded packet per id in the window, so ids never collide with an unacknowledged one.
        var payload = new byte[payloadSize];
        _packets = new byte[window][];
        for (var i = 0; i < window; i++)
        {
            var packet = new ArrayBufferWriter<byte>();
            MqttPacketEncoder.WritePublish(packet, new MqttPublishPacket
            {
                Topic = topic,
                PacketId = (ushort)(i + 1),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                Payload = payload,
            }, MqttProtocolVersion.V500);
            _packets[i] = packet.WrittenSpan.ToArray();
        }
    }

    /// <summary>
    /// Publishes <paramref name="count"/> messages and returns when all are acknowledged. With <paramref name="gather"/>
    /// every packet the window allows is written in one gathered send; without, one send per packet.
    /// </summary>
    public async Task RunAsync(int count, bool gather)
    {
        var acked = 0;
        using var inFlight = new SemaphoreSlim(_window, _window);
        var reader = Task.Run(async () =>
        {
            var start = 0;
            var end = 0;
            while (true)
            {
                while (MqttPacketDecoder.TryReadFixedHeader(_receive.AsSpan(start, end - start), MqttLimits.MaxPacketSize, out var header) == OperationStatus.Done)
                {
                    start += header.PacketLength;
                    if (header.PacketType == MqttPacketType.PubAck)
                    {
                        acked++;
                        inFlight.Release();
                    }
                }

                // Stop before the next read: a reader left blocked here would steal the next run's PUBACKs.
                if (acked >= count)
                {
                    break;
                }

                if (start == end)
                {
                    start = end = 0;
                }
                else if (end == _receive.Length)
                {
                    _receive.AsSpan(start, end - start).CopyTo(_receive);
                    end -= start;
                    start = 0;
                }

                end += await _socket.ReceiveAsync(_receive.AsMemory(end), SocketFlags.None).ConfigureAwait(false);
            }
        });

        if (gather)
        {
            // Every packet the window allows goes out in one gathered send: the fewest syscalls any client could make.
            var segments = new List<ArraySegment<byte>>(_window);
            var i = 0;
            while (i < count)
            {
                await inFlight.WaitAsync().ConfigureAwait(false);
                segments.Clear();
                segments.Add(_packets[i++ % _window]);
                while (i < count && inFlight.Wait(0))
                {
                    segments.Add(_packets[i++ % _window]);
                }

                await _socket.SendAsync(segments, SocketFlags.None).ConfigureAwait(false);
            }
        }
        else
        {
            for (var i = 0; i < count; i++)
            {
                await inFlight.WaitAsync().ConfigureAwait(false);
                await _socket.SendAsync(_packets[i % _window], SocketFlags.None).ConfigureAwait(false);
            }
        }

        await reader.ConfigureAwait(false);
    }

    public void Dispose()
    {
        _socket.Dispose();
    }
}
