using System.Net.Sockets;
using System.Threading.Channels;
using Ingest.Pipeline.Intake.Radio;
using Tmds.DBus.Protocol;

namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>
/// A running notification subscription. <see cref="End"/> is called by the central when the link drops, the
/// characteristic vanishes or BlueZ goes away; <see cref="IBleSubscription.Ended"/> completes once every value that
/// arrived before that has been delivered. Disposing stops notifications at BlueZ as well.
/// </summary>
internal abstract class BlueZSubscription(GattCharacteristic characteristic, NotificationTarget target) : IBleSubscription
{
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <inheritdoc />
    public GattCharacteristic Characteristic { get; } = characteristic;

    /// <inheritdoc />
    public abstract string Mechanism { get; }

    /// <inheritdoc />
    public Task Ended => _ended.Task;

    protected NotificationTarget Target { get; } = target;

    protected CancellationTokenSource Stopping { get; } = new();

    /// <summary>Stops taking new values (non-blocking; safe under the central's lock and from any thread).</summary>
    public abstract void End();

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    protected void MarkEnded() => _ended.TrySetResult();

    /// <summary>Delivers values in order until the source ends; never throws.</summary>
    protected async Task DeliverAllAsync(IAsyncEnumerable<byte[]> values)
    {
        try
        {
            await foreach (var value in values.ConfigureAwait(false))
            {
                await Target.DeliverAsync(Characteristic.Uuid, value, Stopping.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            MarkEnded();
        }
    }
}

/// <summary>
/// AcquireNotify: BlueZ hands over a SOCK_SEQPACKET socket that carries one notification per datagram and reads EOF
/// when the link drops (bluez doc/org.bluez.GattCharacteristic.rst). The read loop awaits the pipeline before the next
/// read, so a full pipeline backs up into the socket and never into the D-Bus receive loop.
/// </summary>
internal sealed class AcquiredNotifySubscription : BlueZSubscription
{
    private readonly Socket _socket;
    private readonly Task _pump;

    public AcquiredNotifySubscription(GattCharacteristic characteristic, NotificationTarget target, Socket socket)
        : base(characteristic, target)
    {
        _socket = socket;
        _pump = Task.Run(PumpAsync);
    }

    /// <inheritdoc />
    public override string Mechanism => "acquire-notify";

    /// <inheritdoc />
    public override void End()
    {
        // Shutting down the receive side lets the loop read what is already queued, then EOF: nothing that arrived
        // before the link dropped is lost.
        try
        {
            _socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed.
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        // Closing the socket is how AcquireNotify is released: BlueZ sees the hang-up and disables notifications.
        await Stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _pump.ConfigureAwait(false);
        Stopping.Dispose();
    }

    private async Task PumpAsync()
    {
        try
        {
            // One byte more than an attribute can hold: a longer datagram shows up as too long (and is counted by the
            // target as Oversized) instead of being silently truncated to a plausible value.
            var buffer = new byte[BleLimits.MaxAttributeBytes + 1];
            while (!Stopping.IsCancellationRequested)
            {
                var received = await _socket.ReceiveAsync(buffer, SocketFlags.None, Stopping.Token).ConfigureAwait(false);
                if (received == 0)
                {
                    break; // EOF: the link dropped or BlueZ released the notification
                }

                await Target.DeliverAsync(Characteristic.Uuid, buffer.AsMemory(0, received), Stopping.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Ended or disposed.
        }
        finally
        {
            MarkEnded();
        }
    }
}

/// <summary>
/// StartNotify: values arrive as PropertiesChanged(Value) signals on the characteristic's path. The match handler runs
/// on Tmds' D-Bus receive loop, so it only queues the value in a small bounded channel that a task drains into the
/// pipeline. When that channel is full (the pipeline has been full for a while) the handler waits for room: that stalls
/// the receive loop and pushes back onto the bus daemon, instead of dropping a value the contract says is never dropped.
/// </summary>
internal sealed class SignalNotifySubscription : BlueZSubscription
{
    private readonly Channel<byte[]> _values;
    private readonly Func<CancellationToken, Task> _stopNotify;
    private readonly Task _pump;
    private IDisposable? _match;
    private int _ended;

    public SignalNotifySubscription(GattCharacteristic characteristic, NotificationTarget target, int backlog, Func<CancellationToken, Task> stopNotify)
        : base(characteristic, target)
    {
        _stopNotify = stopNotify;
        _values = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(backlog)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
        _pump = Task.Run(() => DeliverAllAsync(_values.Reader.ReadAllAsync(Stopping.Token)));
    }

    /// <inheritdoc />
    public override string Mechanism => "start-notify";

    /// <summary>The match rule that feeds this subscription; disposed when it ends.</summary>
    public void Attach(IDisposable match)
    {
        _match = match;
        if (Volatile.Read(ref _ended) != 0)
        {
            match.Dispose();
        }
    }

    /// <summary>The match handler (D-Bus receive loop).</summary>
    public void OnValue(Notification<byte[]?> notification)
    {
        if (!notification.HasValue || notification.Value is not { } value || Volatile.Read(ref _ended) != 0)
        {
            return;
        }

        if (_values.Writer.TryWrite(value))
        {
            return;
        }

        try
        {
            _values.Writer.WriteAsync(value, Stopping.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            // Ended while waiting.
        }
    }

    /// <inheritdoc />
    public override void End()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0)
        {
            _match?.Dispose();
            _values.Writer.TryComplete(); // the pump delivers what is queued, then Ended completes
        }
    }

    /// <inheritdoc />
    public override async ValueTask DisposeAsync()
    {
        var wasRunning = Volatile.Read(ref _ended) == 0;
        End();
        if (wasRunning)
        {
            try
            {
                await _stopNotify(CancellationToken.None).ConfigureAwait(false);
            }
            catch (BleOperationException)
            {
                // The link or the object is already gone: notifications stopped anyway.
            }
        }

        // The caller stopped listening: values still queued are not delivered.
        await Stopping.CancelAsync().ConfigureAwait(false);
        await _pump.ConfigureAwait(false);
        Stopping.Dispose();
    }

    /// <summary>Reads GattCharacteristic1.PropertiesChanged for "Value" (ay); anything else is ignored or counted.</summary>
    public static byte[]? ReadValue(Message message, object? state)
    {
        var bad = (BlueZMalformed?)state;
        try
        {
            if (message.SignatureAsString != "sa{sv}as")
            {
                bad?.Record($"GattCharacteristic1 PropertiesChanged has signature '{message.SignatureAsString}'");
                return null;
            }

            var reader = message.GetBodyReader();
            if (reader.ReadString() != BlueZNames.GattCharacteristic)
            {
                return null;
            }

            var changed = reader.ReadDictionaryOfStringToVariantValue();
            if (!changed.TryGetValue("Value", out var value))
            {
                return null; // Notifying, NotifyAcquired …
            }

            if (value.Type != VariantValueType.Array || value.ItemType != VariantValueType.Byte)
            {
                bad?.Record($"{BlueZNames.GattCharacteristic}.Value has D-Bus type {value.Type}, expected byte array");
                return null;
            }

            // Longer than an attribute: still handed on, so the target counts it as Oversized (its documented job).
            return value.GetArray<byte>();
        }
        catch (Exception ex)
        {
            bad?.Record($"{BlueZNames.GattCharacteristic} PropertiesChanged could not be read: {ex.GetType().Name}");
            return null;
        }
    }
}
