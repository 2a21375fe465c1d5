using System.Buffers;
using System.Diagnostics;
using System.Net.Sockets;
using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt.Internal;

/// <summary>
/// One network connection: its stream, its negotiated limits and per-connection state (send quota, topic aliases,
/// output batches), and the three loops that own it — the reader (the only code that reads the stream), the writer
/// (the only code that writes it) and keep-alive. Fields marked "client lock" are guarded by the client's lock.
/// </summary>
internal sealed class MqttConnection
{
    private readonly MqttClient _client;
    private readonly Socket _socket;
    private readonly int _maximumIncomingPacketSize;
    private byte[] _receiveBuffer;
    private int _start;
    private int _end;
    private long _lastSend;
    private long _lastReceive;
    private Task _reader = Task.CompletedTask;
    private Task _writer = Task.CompletedTask;
    private Task _keepAlive = Task.CompletedTask;

    public MqttConnection(MqttClient client, Socket socket, Stream stream, MqttProtocolVersion version, MqttServerLimits limits,
        int quota, int maximumIncomingPacketSize, byte[] receiveBuffer, int start, int end)
    {
        _client = client;
        _socket = socket;
        Stream = stream;
        Version = version;
        Limits = limits;
        Quota = quota;
        _maximumIncomingPacketSize = maximumIncomingPacketSize;
        _receiveBuffer = receiveBuffer;
        _start = start;
        _end = end;
        _lastSend = _lastReceive = Stopwatch.GetTimestamp();
    }

    public Stream Stream { get; }

    /// <summary>Plain TCP: a batch goes out as one gathered send, so borrowed payload segments cost no extra syscall.</summary>
    public bool SupportsGatheredWrites => Stream is NetworkStream;

    public MqttProtocolVersion Version { get; }

    public MqttServerLimits Limits { get; }

    /// <summary>Send quota: min(server Receive Maximum, our MaximumInFlight) (MQTT 5 §4.9).</summary>
    public int Quota { get; }

    /// <summary>Client lock: QoS 1/2 PUBLISHes sent on this connection and not yet acknowledged.</summary>
    public int InFlight { get; set; }

    /// <summary>Client lock: bytes encoded and waiting for the writer.</summary>
    public OutputBatch Pending { get; private set; } = new();

    private OutputBatch Flushing { get; set; } = new();

    /// <summary>Client lock: the writer has been signalled for the pending batch.</summary>
    public bool FlushScheduled { get; set; }

    /// <summary>Client lock: close once the pending batch (ending in DISCONNECT) is written.</summary>
    public bool CloseAfterWrite { get; private set; }

    private MqttReasonCode _closeReason;
    private Exception? _closeError;

    /// <summary>Client lock: the pending batch ends with DISCONNECT; close after writing it, reporting this reason.</summary>
    public void RequestCloseAfterWriteLocked(MqttReasonCode reason, Exception? error)
    {
        CloseAfterWrite = true;
        _closeReason = reason;
        _closeError = error;
        ScheduleFlushLocked();
    }

    /// <summary>Client lock: set once; nothing more is encoded for this connection.</summary>
    public bool Closing { get; private set; }

    /// <summary>Client lock: topic → alias for this connection (MQTT 5 §3.3.2.3.4: aliases are per connection).</summary>
    public Dictionary<string, ushort>? Aliases { get; set; }

    /// <summary>Client lock: next alias to hand out.</summary>
    public int NextAlias { get; set; } = 1;

    /// <summary>Client lock: a PINGREQ is awaiting its PINGRESP.</summary>
    public bool PingOutstanding { get; set; }

    public AsyncAutoResetSignal WriteSignal { get; } = new();

    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Completes with the reason once the connection is gone.</summary>
    public TaskCompletionSource<MqttConnectionLoss> Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Start()
    {
        _writer = WriteLoopAsync();
        _reader = ReadLoopAsync();
        _keepAlive = KeepAliveLoopAsync();
    }

    /// <summary>Waits for the loops to finish after <see cref="Abort"/>.</summary>
    public Task WhenStoppedAsync() => Task.WhenAll(_reader, _writer, _keepAlive);

    /// <summary>Marks the connection closing; must be called with the client lock held. Returns false if it already was.</summary>
    public bool TryBeginCloseLocked()
    {
        if (Closing)
        {
            return false;
        }

        Closing = true;
        return true;
    }

    /// <summary>Tears the connection down (idempotent, any thread).</summary>
    public void Abort(Exception? error, MqttReasonCode reason)
    {
        lock (_client.SyncRoot)
        {
            TryBeginCloseLocked();
        }

        if (!Closed.TrySetResult(new MqttConnectionLoss(reason, error)))
        {
            return;
        }

        Cancellation.Cancel();
        WriteSignal.Close();
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer.
        }
        catch (ObjectDisposedException)
        {
            // Already closed.
        }

        Stream.Dispose();
        _socket.Dispose();
    }

    /// <summary>Client lock: asks the writer to flush the pending batch.</summary>
    public void ScheduleFlushLocked()
    {
        if (!FlushScheduled)
        {
            FlushScheduled = true;
            WriteSignal.Set();
        }
    }

    private async Task WriteLoopAsync()
    {
        Exception? error = null;
        var sender = new GatheredSocketSender();
        try
        {
            while (true)
            {
                await WriteSignal.WaitAsync().ConfigureAwait(false);
                OutputBatch batch;
                bool closeAfter;
                lock (_client.SyncRoot)
                {
                    if (Cancellation.IsCancellationRequested)
                    {
                        break;
                    }

                    batch = Pending;
                    Pending = Flushing;
                    Flushing = batch;
                    FlushScheduled = false;
                    closeAfter = CloseAfterWrite;
                }

                if (!batch.IsEmpty)
                {
                    await batch.WriteToAsync(Stream, SupportsGatheredWrites ? _socket : null, sender, Cancellation.Token).ConfigureAwait(false);
                    Volatile.Write(ref _lastSend, Stopwatch.GetTimestamp());
                    MqttClient.OnBatchWritten(batch);
                    batch.Reset();
                }

                if (closeAfter)
                {
                    Abort(_closeError, _closeReason);
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            error = ex;
        }
        finally
        {
            Abort(error, MqttReasonCode.UnspecifiedError);
            _client.OnWriterStopped(this, Pending, Flushing);
            sender.Dispose();
        }
    }

    private async Task ReadLoopAsync()
    {
        try
        {
            while (true)
            {
                while (true)
                {
                    var span = _receiveBuffer.AsSpan(_start, _end - _start);
                    var status = MqttPacketDecoder.TryReadFixedHeader(span, _maximumIncomingPacketSize, out var header);
                    if (status != OperationStatus.Done)
                    {
                        EnsureRoom(header.PacketLength);
                        break;
                    }

                    var delivery = _client.HandlePacket(this, header, span.Slice(header.HeaderLength, header.RemainingLength));
                    _start += header.PacketLength;
                    if (delivery is not null)
                    {
                        await _client.DeliverAsync(this, delivery).ConfigureAwait(false);
                    }
                }

                var read = await Stream.ReadAsync(_receiveBuffer.AsMemory(_end), Cancellation.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    Abort(new IOException("the broker closed the connection"), MqttReasonCode.UnspecifiedError);
                    return;
                }

                _end += read;
                Volatile.Write(ref _lastReceive, Stopwatch.GetTimestamp());
            }
        }
        catch (MqttProtocolException ex)
        {
            await _client.CloseForProtocolErrorAsync(this, ex).ConfigureAwait(false);
        }
        catch (MqttServerDisconnectException ex)
        {
            Abort(ex, ex.ReasonCode);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            Abort(ex, MqttReasonCode.UnspecifiedError);
        }
        finally
        {
            var buffer = _receiveBuffer;
            _receiveBuffer = [];
            if (buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Makes room after the unread bytes for a packet of <paramref name="packetLength"/> bytes (already checked against our limit).</summary>
    private void EnsureRoom(int packetLength)
    {
        if (_start == _end)
        {
            _start = _end = 0;
        }

        var needed = Math.Max(packetLength, (_end - _start) + 1);
        if (_receiveBuffer.Length - _start >= needed && _end < _receiveBuffer.Length)
        {
            return;
        }

        if (_start > 0 && _receiveBuffer.Length >= needed)
        {
            _receiveBuffer.AsSpan(_start, _end - _start).CopyTo(_receiveBuffer);
            _end -= _start;
            _start = 0;
            return;
        }

        // packetLength ≤ MaximumIncomingPacketSize: TryReadFixedHeader refused anything larger before we get here.
        var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _receiveBuffer.Length * 2));
        _receiveBuffer.AsSpan(_start, _end - _start).CopyTo(bigger);
        ArrayPool<byte>.Shared.Return(_receiveBuffer);
        _receiveBuffer = bigger;
        _end -= _start;
        _start = 0;
    }

    private async Task KeepAliveLoopAsync()
    {
        var keepAlive = Limits.KeepAliveSeconds;
        if (keepAlive <= 0)
        {
            return;
        }

        var keepAliveTicks = keepAlive * Stopwatch.Frequency;
        var interval = TimeSpan.FromMilliseconds(Math.Clamp(keepAlive * 1000 / 8, 50, 1000));
        var intervalTicks = (long)(interval.TotalSeconds * Stopwatch.Frequency);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(Cancellation.Token).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                var sinceReceive = now - Volatile.Read(ref _lastReceive);
                var sinceSend = now - Volatile.Read(ref _lastSend);

                // MQTT 5 §3.1.2.10: a peer silent for 1.5 × Keep Alive is dead. Checking one interval early keeps detection
                // within 1.5 × Keep Alive despite the tick granularity; a live broker has long answered the PINGREQ sent at ½.
                if ((sinceReceive + intervalTicks) * 2 >= keepAliveTicks * 3)
                {
                    Abort(new TimeoutException($"no packet from the broker for 1.5 × keep-alive ({keepAlive * 1.5:0.#} s)"), MqttReasonCode.KeepAliveTimeout);
                    return;
                }

                // [MQTT-3.1.2-22] requires a PINGREQ before Keep Alive elapses without sending; also ping when the broker
                // has been quiet for half the interval, so a live broker always answers well before the 1.5× deadline.
                if (sinceSend * 4 >= keepAliveTicks * 3 || sinceReceive * 2 >= keepAliveTicks)
                {
                    _client.SendPingIfIdle(this);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Connection closed.
        }
    }
}
