using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Pipeline.Simulation.Radio;

public sealed partial class SimulatedCentral
{
    /// <summary>
    /// The radio's one loop: on every tick of the clock, runs the fleet's engine up to now and hands each notification
    /// to the subscription it belongs to (or drops it, as the air does when nobody listens), turns the engine's fault
    /// events into link losses and returns to range, and hears advertisements.
    /// </summary>
    private async Task RunAsync(FleetEngine? engine, PeriodicTimer timer, long startNs, CancellationToken cancellationToken)
    {
        var advertisingNs = _options.AdvertisingInterval.Ticks * 100;
        var nextAdvertisingNs = startNs + advertisingNs;

        // One scratch copy of the payload: the engine's buffer goes back at once and the target copies into its own pool.
        var scratch = new byte[BleLimits.MaxAttributeBytes];
        var ended = new List<SimulatedSubscription>();
        try
        {
            while (true)
            {
                var nowNs = NowNs();
                if (engine is not null)
                {
                    while (engine.Step(nowNs, out var output))
                    {
                        if (output.IsEvent)
                        {
                            lock (_gate)
                            {
                                OnFleetEventLocked(output.Event, nowNs, ended);
                            }

                            EndAll(ended);
                            ended.Clear();
                            await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
                            continue;
                        }

                        var notification = output.Notification;
                        SimulatedSubscription? subscription;
                        lock (_gate)
                        {
                            subscription = RouteLocked(notification);
                        }

                        var length = notification.Length;
                        var characteristic = notification.Characteristic;
                        if (subscription is not null)
                        {
                            notification.Payload.CopyTo(scratch);
                        }

                        notification.Release();
                        if (subscription is { IsActive: true }
                            && await subscription.Target.DeliverAsync(characteristic, scratch.AsMemory(0, length), cancellationToken).ConfigureAwait(false))
                        {
                            Interlocked.Increment(ref _delivered);
                        }
                    }
                }

                if (nowNs >= nextAdvertisingNs)
                {
                    lock (_gate)
                    {
                        AdvertiseLocked(nowNs);
                    }

                    await FlushEventsAsync(cancellationToken).ConfigureAwait(false);
                    nextAdvertisingNs = nowNs + advertisingNs;
                }

                Volatile.Write(ref _processedUntilNs, nowNs);
                if (!await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
        catch (Exception ex)
        {
            // A broken simulation: the event stream ends with the failure, as a backend that went away (the supervisor's view).
            _events.Writer.TryComplete(ex);
            throw;
        }
    }

    /// <summary>
    /// The subscription a fleet notification goes to, or null: the tracker must be linked, the characteristic
    /// subscribed, and a Polar PMD frame's measurement type started on this link.
    /// </summary>
    private SimulatedSubscription? RouteLocked(in Notification notification)
    {
        var peripheral = _fleet[notification.Device.Value - 1];
        if (!peripheral.InRange)
        {
            return null;
        }

        _generated++;
        if (!peripheral.Connected || peripheral.Find(notification.Characteristic)?.Subscription is not { } subscription)
        {
            return null;
        }

        if (notification.Characteristic == FleetPeripherals.PmdData)
        {
            var payload = notification.Payload;
            if (payload.IsEmpty || (peripheral.PmdStarted & (1UL << (payload[0] & PmdFrameHeader.MeasurementTypeMask))) == 0)
            {
                return null;
            }
        }

        return subscription;
    }

    /// <summary>
    /// The engine's link faults, seen from the radio: a disconnect fault is the tracker going quiet (link loss, no
    /// advertising) until the engine's reconnect, which here only means it advertises again.
    /// </summary>
    private void OnFleetEventLocked(in DeviceEvent fault, long nowNs, List<SimulatedSubscription> ended)
    {
        var peripheral = _fleet[fault.Device.Value - 1];
        if (fault.Kind == DeviceEventKind.Disconnected)
        {
            peripheral.FaultOutage = true;
            if (peripheral.Connected)
            {
                DropLinkLocked(peripheral, fault.Reason == DisconnectReason.None ? DisconnectReason.LinkLoss : fault.Reason, nowNs, ended);
            }
        }
        else if (fault.Kind == DeviceEventKind.Connected && peripheral.FaultOutage)
        {
            peripheral.FaultOutage = false;
            if (peripheral.InRange)
            {
                peripheral.Wander(nowNs);
                HearLocked(peripheral, nowNs, coalesce: false);
            }
        }
    }

    private void AdvertiseLocked(long nowNs)
    {
        foreach (var peripheral in _peripherals)
        {
            if (peripheral.InRange)
            {
                peripheral.Wander(nowNs);
                HearLocked(peripheral, nowNs, coalesce: true);
            }
        }
    }
}
