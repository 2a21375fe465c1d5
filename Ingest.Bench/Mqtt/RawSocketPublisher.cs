using System.Text;
using System.Net;
using System.Net.Sockets;

namespace Ingest.Bench.Mqtt;

/// <summary>
/// The in-run reference (the client-side limit): a raw socket that blasts pre-encoded QoS 1 PUBLISH packets, keeping
/// at most <c>window</c> unacknowledged, and counts PUBACKs. No per-message state, no result objects, no encoding.
/// Sends are gathered (as many packets per syscall as the window allows) or one per packet.
/// </summary>
internal sealed class RawSocketPublisher : IDisposable
{
    private const int PubAckPacketType = 4;

    private readonly Socket _socket;
    private readonly byte[][] _packets;
    private readonly byte[] _receive = new byte[64 * 1024];
    private readonly int _window;

    public RawSocketPublisher(int port, int payloadSize, int window, string topic)
    {
        _window = window;
        _socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        _socket.Connect(IPAddress.Loopback, port);
        _socket.Send(EncodeConnect("raw-reference", keepAliveSeconds: 60));
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
            _packets[i] = EncodePublish(topic, (ushort)(i + 1), payload);
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
                while (TryReadPacketLength(_receive.AsSpan(start, end - start), out var packetLength))
                {
                    var packetType = _receive[start] >> 4;
                    start += packetLength;
                    if (packetType == PubAckPacketType)
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

    /// <summary>MQTT 5 CONNECT with Clean Start, no properties [MQTT 5 §3.1].</summary>
    private static byte[] EncodeConnect(string clientId, ushort keepAliveSeconds)
    {
        var id = Encoding.UTF8.GetBytes(clientId);
        var body = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 5, 0x02, (byte)(keepAliveSeconds >> 8), (byte)keepAliveSeconds, 0 };
        body.Add((byte)(id.Length >> 8));
        body.Add((byte)id.Length);
        body.AddRange(id);
        return WithFixedHeader(0x10, body);
    }

    /// <summary>MQTT 5 QoS 1 PUBLISH without properties [MQTT 5 §3.3].</summary>
    private static byte[] EncodePublish(string topic, ushort packetId, byte[] payload)
    {
        var name = Encoding.UTF8.GetBytes(topic);
        var body = new List<byte>(name.Length + payload.Length + 8) { (byte)(name.Length >> 8), (byte)name.Length };
        body.AddRange(name);
        body.Add((byte)(packetId >> 8));
        body.Add((byte)packetId);
        body.Add(0);
        body.AddRange(payload);
        return WithFixedHeader(0x32, body);
    }

    private static byte[] WithFixedHeader(byte first, List<byte> body)
    {
        var packet = new List<byte>(body.Count + 5) { first };
        var remaining = body.Count;
        do
        {
            var digit = (byte)(remaining % 128);
            remaining /= 128;
            packet.Add(remaining > 0 ? (byte)(digit | 0x80) : digit);
        }
        while (remaining > 0);
        packet.AddRange(body);
        return [.. packet];
    }

    /// <summary>Length of the first whole packet in <paramref name="buffer"/> (fixed header + remaining length), or false when it is not all there yet.</summary>
    private static bool TryReadPacketLength(ReadOnlySpan<byte> buffer, out int packetLength)
    {
        packetLength = 0;
        var remaining = 0;
        for (var i = 1; i < Math.Min(buffer.Length, 5); i++)
        {
            remaining |= (buffer[i] & 0x7F) << (7 * (i - 1));
            if ((buffer[i] & 0x80) == 0)
            {
                packetLength = 1 + i + remaining;
                return packetLength <= buffer.Length;
            }
        }

        return false;
    }
}
