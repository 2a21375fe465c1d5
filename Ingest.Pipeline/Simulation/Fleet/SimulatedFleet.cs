using System.Threading.Channels;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// A fleet of virtual trackers that speaks like real ones, in the radio's place: for each tracker's firmware profile
/// it encodes genuine notifications for every stream (HR with RR, Polar PMD ECG/ACC/PPG/PPI raw and delta-compressed,
/// PLX, thermometer, RSC, CSC, InfiniTime, the example fixed-layout IMU) at the profile's rates and frame sizes, on
/// device clocks that follow the hub clock with an offset and drift, with optional faults
/// (<see cref="SimulatedFaultOptions"/>). Everything is deterministic for <see cref="SimulatedFleetOptions.Seed"/>
/// and the provider's start time.
/// <para>
/// Channels: <see cref="Notifications"/> holds at most <see cref="SimulatedFleetOptions.NotificationCapacity"/> and
/// <see cref="DeviceEvents"/> at most <see cref="SimulatedFleetOptions.EventCapacity"/>, both
/// <see cref="BoundedChannelFullMode.Wait"/>: a slow consumer makes the fleet wait (simulated time stands still
/// meanwhile in <see cref="SimulationPacing.Unpaced"/>; in real time the fleet falls behind and catches up), and
/// nothing is dropped. Read both channels: a full event channel stalls notifications too. Payload buffers come from
/// <see cref="Pool"/>; the reader releases each notification.
/// </para>
/// Thread-safety: <see cref="RunAsync"/> runs once, on one task; the channels may be read from any thread.
/// </summary>
public sealed class SimulatedFleet : INotificationSource
{
    private readonly IReadOnlyList<FirmwareProfile> _profiles;
    private readonly SimulatedFleetOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<Notification> _notifications;
    private readonly Channel<DeviceEvent> _events;
    private int _started;

    /// <summary>Creates the fleet; nothing runs until <see cref="RunAsync"/>.</summary>
    /// <exception cref="ArgumentException">A setting is invalid (the message names it), or a profile id is not among <paramref name="profiles"/>.</exception>
    public SimulatedFleet(IReadOnlyList<FirmwareProfile> profiles, SimulatedFleetOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        ArgumentNullException.ThrowIfNull(options);
        if (profiles.Count == 0)
        {
            throw new ArgumentException("the fleet needs at least one firmware profile", nameof(profiles));
        }

        options.Validate();
        _profiles = profiles;
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        Pool = new NotificationBufferPool(Math.Min(options.NotificationCapacity, 4096));

        // One writer (the run loop); readers are the pipeline's business.
        _notifications = Channel.CreateBounded<Notification>(new BoundedChannelOptions(options.NotificationCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });
        _events = Channel.CreateBounded<DeviceEvent>(new BoundedChannelOptions(options.EventCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleWriter = true,
        });

        // The trackers' identities and clocks do not depend on the start time: build them once to describe them (and
        // to fail on unknown profile ids here rather than in RunAsync).
        using var probe = new FleetEngine(profiles, options, 0, Pool);
        Trackers = probe.Trackers;
    }

    /// <inheritdoc />
    public ChannelReader<Notification> Notifications => _notifications.Reader;

    /// <inheritdoc />
    public ChannelReader<DeviceEvent> DeviceEvents => _events.Reader;

    /// <summary>The payload buffers: <see cref="NotificationBufferPool.Outstanding"/> shows notifications not yet released.</summary>
    public NotificationBufferPool Pool { get; }

    /// <summary>The trackers: handles, profiles, clock offsets and drifts.</summary>
    public IReadOnlyList<SimulatedTracker> Trackers { get; }

    /// <inheritdoc />
    public Task RunAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("RunAsync may be called once");
        }

        return RunCoreAsync(cancellationToken);
    }

    private async Task RunCoreAsync(CancellationToken cancellationToken)
    {
        var startNs = HubTime.NowNs(_time);
        using var engine = new FleetEngine(_profiles, _options, startNs, Pool);
        Exception? failure = null;
        try
        {
            if (_options.Pacing == SimulationPacing.Unpaced)
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (!engine.Step(long.MaxValue, out var output))
                    {
                        break;
                    }

                    await WriteAsync(output, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                using var timer = new PeriodicTimer(_options.PacingInterval, _time);
                while (true)
                {
                    var nowNs = HubTime.NowNs(_time);
                    while (engine.Step(nowNs, out var output))
                    {
                        await WriteAsync(output, cancellationToken).ConfigureAwait(false);
                    }

                    if (!await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                    {
                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A stop, not a failure.
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            _notifications.Writer.TryComplete(failure);
            _events.Writer.TryComplete(failure);
        }
    }

    private ValueTask WriteAsync(in FleetOutput output, CancellationToken cancellationToken)
    {
        if (output.IsEvent)
        {
            return _events.Writer.TryWrite(output.Event) ? default : _events.Writer.WriteAsync(output.Event, cancellationToken);
        }

        // Fast path: room in the channel. Otherwise wait (backpressure); a notification not written is released.
        return _notifications.Writer.TryWrite(output.Notification) ? default : WaitAndWriteAsync(output.Notification, cancellationToken);
    }

    private async ValueTask WaitAndWriteAsync(Notification notification, CancellationToken cancellationToken)
    {
        try
        {
            await _notifications.Writer.WriteAsync(notification, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            notification.Release();
            throw;
        }
    }
}
