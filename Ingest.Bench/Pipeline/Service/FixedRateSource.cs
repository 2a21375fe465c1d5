using System.Threading.Channels;
using Ingest.Pipeline.Intake;

namespace Ingest.Bench.Pipeline.Service;

/// <summary>
/// Replays a <see cref="FleetRecording"/> at a fixed rate in the radio's place: notification <c>i</c> is due at
/// <c>start + i / rate</c> and carries that instant as its hub time, so its arrival → PUBACK latency is exact (the
/// source's own lateness is part of it, not hidden). A dedicated thread wakes every millisecond (no spinning, so it
/// costs little CPU) and writes what has become due; a full channel makes it wait (backpressure), and then
/// <see cref="MaxLagMs"/> shows that the rate was not sustained. Payload buffers come from <see cref="Pool"/>; the
/// reader releases each notification. After the recording it idles until stopped, like a radio with quiet trackers.
/// </summary>
internal sealed class FixedRateSource : INotificationSource
{
    private readonly FleetRecording _recording;
    private readonly Channel<Notification> _notifications;
    private readonly Channel<DeviceEvent> _events;
    private long _sent;
    private long _maxLagNs;

    public FixedRateSource(FleetRecording recording, double rate, int capacity)
    {
        _recording = recording;
        PeriodNs = 1e9 / rate;
        Pool = new NotificationBufferPool(capacity + 64);
        _notifications = Channel.CreateBounded<Notification>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleWriter = true });
        _events = Channel.CreateBounded<DeviceEvent>(new BoundedChannelOptions(Math.Max(capacity, 16_384)) { FullMode = BoundedChannelFullMode.Wait, SingleWriter = true });
    }

    public NotificationBufferPool Pool { get; }

    public ChannelReader<Notification> Notifications => _notifications.Reader;

    public ChannelReader<DeviceEvent> DeviceEvents => _events.Reader;

    /// <summary>Nanoseconds between notifications.</summary>
    public double PeriodNs { get; }

    /// <summary>Hub time (UTC ns) at which notification 0 is due; set when the run starts.</summary>
    public long StartNs { get; private set; }

    /// <summary>Notifications written so far.</summary>
    public long Sent => Interlocked.Read(ref _sent);

    /// <summary>The most a notification was written after it was due, ms.</summary>
    public double MaxLagMs => Interlocked.Read(ref _maxLagNs) / 1e6;

    /// <summary>Completes once the whole recording has been written.</summary>
    public TaskCompletionSource AllSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>When notification <paramref name="index"/> is due (its hub time).</summary>
    public long DueNs(long index) => StartNs + (long)(index * PeriodNs);

    /// <summary>The index of the notification whose hub time is <paramref name="hubTimeNs"/>.</summary>
    public long IndexOf(long hubTimeNs) => (long)Math.Round((hubTimeNs - StartNs) / PeriodNs);

    public Task RunAsync(CancellationToken cancellationToken = default) =>
        Task.Factory.StartNew(() => Run(cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static long NowNs() => HubTime.ToUnixNs(DateTimeOffset.UtcNow);

    private void Run(CancellationToken cancellationToken)
    {
        try
        {
            StartNs = NowNs() + 5_000_000;
            long index = 0;
            foreach (var entry in _recording.Entries)
            {
                var due = DueNs(index);
                if (entry.IsEvent)
                {
                    // Before the next notification, in the decode loop's order.
                    var e = new DeviceEvent(entry.Kind, entry.Device, due - 1, entry.ProfileId, DisconnectReason.None);
                    while (!_events.Writer.TryWrite(e))
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        Thread.Sleep(1);
                    }

                    continue;
                }

                var now = NowNs();
                while (now < due)
                {
                    Thread.Sleep(1);
                    cancellationToken.ThrowIfCancellationRequested();
                    now = NowNs();
                }

                if (now - due > Interlocked.Read(ref _maxLagNs))
                {
                    Interlocked.Exchange(ref _maxLagNs, now - due);
                }

                var buffer = Pool.Rent();
                var payload = _recording.Payload(entry);
                payload.CopyTo(buffer.Memory);
                var notification = new Notification(entry.Device, entry.Characteristic, due, buffer, payload.Length);
                // A full channel: wait without spinning (a blocking wait on the write would spin and bill this process's
                // CPU to the pipeline); the lateness shows in MaxLagMs.
                while (!_notifications.Writer.TryWrite(notification))
                {
                    if (cancellationToken.IsCancellationRequested)
                    {
                        notification.Release();
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    Thread.Sleep(1);
                }

                index++;
                Interlocked.Exchange(ref _sent, index);
            }

            AllSent.TrySetResult();
            cancellationToken.WaitHandle.WaitOne();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            AllSent.TrySetResult();
            _notifications.Writer.TryComplete();
            _events.Writer.TryComplete();
        }
    }
}
