using System.Text;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Radio;

/// <summary>One tracker's link: connect, set up, stream, watch, tear down.</summary>
public sealed partial class RadioSupervisor
{
    private static readonly Guid DeviceInformationService = Guid.Parse(BleUuid.FromShort(0x180A));
    private static readonly Guid ModelNumberString = Guid.Parse(BleUuid.FromShort(0x2A24));
    private static readonly Guid FirmwareRevisionString = Guid.Parse(BleUuid.FromShort(0x2A26));
    private static readonly Guid BatteryService = Guid.Parse(BleUuid.FromShort(0x180F));
    private static readonly Guid BatteryLevel = Guid.Parse(BleUuid.FromShort(0x2A19));

    /// <summary>Longest Device Information string kept (the spec sets none; real ones are a few dozen bytes).</summary>
    private const int MaxInformationStringBytes = 64;

    private void StartLink(Tracker tracker, AdapterState adapter)
    {
        var link = new Link(adapter.Adapter.Id, tracker.PeripheralId!, _stopping);
        tracker.Link = link;
        tracker.Problem = null;
        link.Task = RunLinkAsync(tracker, tracker.Enrollment, tracker.Profile!, link);
    }

    private async Task RunLinkAsync(Tracker tracker, EnrolledTracker enrollment, FirmwareProfile profile, Link link)
    {
        await Task.Yield();
        string? failure = null;
        string? blockedBy = null;
        BleErrorKind? errorKind = null;
        var subscriptions = new List<IBleSubscription>();
        var token = link.Token;
        try
        {
            using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(token))
            {
                connectTimeout.CancelAfter(_options.ConnectTimeout);
                try
                {
                    await _central.ConnectAsync(link.PeripheralId, connectTimeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!token.IsCancellationRequested)
                {
                    throw new BleOperationException(BleErrorKind.Timeout, $"no connection within {_options.ConnectTimeout.TotalSeconds:0} s");
                }
            }

            if (profile.RequiresBonding && !IsPaired(link.PeripheralId))
            {
                // Pairing needs the link up; BlueZ keeps the bond (and Trusted) across reconnects and restarts.
                await _central.PairAsync(link.PeripheralId, token).ConfigureAwait(false);
                _log($"radio: tracker {enrollment.DevicePseudonym} paired (profile {profile.Id} needs bonding)");
            }

            var services = await _central.GetServicesAsync(link.PeripheralId, _options.ServicesResolveTimeout, token).ConfigureAwait(false);
            var model = await ReadStringAsync(services, ModelNumberString, token).ConfigureAwait(false);
            var firmware = await ReadStringAsync(services, FirmwareRevisionString, token).ConfigureAwait(false);
            if (ProfileMatcher.CheckDeviceInformation(profile, model, firmware) is { } mismatch)
            {
                blockedBy = mismatch;
                return;
            }

            await ReadBatteryAsync(services, link, token).ConfigureAwait(false);
            var plan = LinkPlan.Build(profile, services);
            if (plan.Missing is { } missing)
            {
                failure = missing;
                return;
            }

            link.Plan = plan;
            foreach (var stream in plan.Streams)
            {
                stream.StallAfterNs = stream.HasRate ? Math.Max(_options.StreamStallTimeout.Ticks * 100, stream.RateFloorNs) : null;
            }

            // Control points first (Polar PMD answers its START writes there), then the event that opens the device's
            // data downstream, then the data characteristics, then the writes that start the streams.
            foreach (var control in plan.ControlPoints)
            {
                var target = new NotificationTarget(tracker.Handle, Pool, _controlResponses.Writer, _time);
                subscriptions.Add(await _central.SubscribeAsync(control, target, token).ConfigureAwait(false));
            }

            var check = tracker.LiveCheck;
            var upNs = NowNs();
            if (check is null)
            {
                _admitted[tracker.Handle.Value] = new AdmittedDevice(enrollment.DevicePseudonym, enrollment.Participant, profile);
                await _events.Writer.WriteAsync(new DeviceEvent(DeviceEventKind.Connected, tracker.Handle, upNs, profile.Id, DisconnectReason.None), token).ConfigureAwait(false);
            }

            link.UpSinceNs = upNs;
            _log($"radio: {(check is null ? "tracker" : "live check of")} {enrollment.DevicePseudonym} connected ({profile.Id}{(firmware is null ? "" : ", firmware " + firmware)})");

            // A live check's notifications go to the check, never into the pipeline.
            var destination = check?.Writer ?? _notifications.Writer;
            foreach (var stream in plan.Streams)
            {
                stream.Target = new NotificationTarget(tracker.Handle, Pool, destination, _time);
                stream.Subscription = await _central.SubscribeAsync(stream.Characteristic, stream.Target, token).ConfigureAwait(false);
                stream.SubscribedNs = NowNs();
            }

            await WriteSetupAsync(plan.Setup, token).ConfigureAwait(false);
            check?.Streaming(link.BatteryPercent);
            await WatchAsync(plan, link, services, token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // Ended by the loop: link lost, unenrolled, adapter gone or the service stopping.
        }
        catch (BleOperationException ex)
        {
            errorKind = ex.Kind;
            failure = link.UpSinceNs == 0 ? $"could not connect and set up: {ex.Message}" : $"link failed: {ex.Message}";
        }
        finally
        {
            foreach (var stream in link.Plan?.Streams ?? [])
            {
                if (stream.Subscription is { } subscription)
                {
                    subscriptions.Add(subscription);
                }

                link.LastDataNs = Math.Max(link.LastDataNs, stream.Target?.LastDeliveryNs ?? 0);
            }

            await TearDownAsync(link, subscriptions).ConfigureAwait(false);
            // A stop is not a disconnect: the time the hub is down becomes a hub-downtime gap at the next start.
            if (link.UpSinceNs != 0 && !_stopping.IsCancellationRequested && tracker.LiveCheck is null)
            {
                var reason = link.EndReason ?? DisconnectReason.LinkLoss;
                var down = new DeviceEvent(DeviceEventKind.Disconnected, tracker.Handle, NowNs(), null, reason);
                try
                {
                    await _events.Writer.WriteAsync(down, _stopping).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException or System.Threading.Channels.ChannelClosedException)
                {
                    // Stopping meanwhile: as above.
                }

                _log($"radio: tracker {enrollment.DevicePseudonym} disconnected ({Describe(reason)})");
            }

            if (!_stopping.IsCancellationRequested)
            {
                await _inputs.Writer.WriteAsync(new LinkEndedInput(tracker, link, failure, errorKind, blockedBy), CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    private bool IsPaired(string peripheralId)
    {
        foreach (var peripheral in _central.Peripherals)
        {
            if (string.Equals(peripheral.Id, peripheralId, StringComparison.Ordinal))
            {
                return peripheral.Paired;
            }
        }

        return false;
    }

    private static string Describe(DisconnectReason reason) => reason switch
    {
        DisconnectReason.LinkLoss => "link lost: out of range or switched off",
        DisconnectReason.RemoteTerminated => "the tracker ended the link",
        DisconnectReason.LocalTerminated => "the hub ended the link",
        _ => "reason unknown",
    };

    private async Task WriteSetupAsync(IReadOnlyList<(GattCharacteristic Characteristic, SetupWrite Write)> writes, CancellationToken token)
    {
        foreach (var (characteristic, write) in writes)
        {
            var withResponse = (characteristic.Properties & GattProperties.Write) != 0;
            await _central.WriteAsync(characteristic, write.Value, withResponse, token).ConfigureAwait(false);
        }
    }

    /// <summary>Watches the streams until the link ends: restarts a stream that stopped; re-reads the battery now and then.</summary>
    private async Task WatchAsync(LinkPlan plan, Link link, IReadOnlyList<GattService> services, CancellationToken token)
    {
        var nextBatteryNs = NowNs() + (_options.BatteryReadInterval.Ticks * 100);
        var ended = new Task[plan.Streams.Count + 1];
        while (true)
        {
            for (var i = 0; i < plan.Streams.Count; i++)
            {
                ended[i] = plan.Streams[i].Subscription!.Ended;
            }

            ended[^1] = Task.Delay(_options.TickInterval, _time, token);
            var first = await Task.WhenAny(ended).ConfigureAwait(false);
            token.ThrowIfCancellationRequested();
            if (first != ended[^1])
            {
                // The radio ended a subscription by itself: the link is going or gone.
                link.End(DisconnectReason.LinkLoss);
                token.ThrowIfCancellationRequested();
            }

            var now = NowNs();
            foreach (var stream in plan.Streams)
            {
                link.LastDataNs = Math.Max(link.LastDataNs, stream.Target!.LastDeliveryNs);
                if (stream.StallAfterNs is { } stallNs && now - Math.Max(stream.Target.LastDeliveryNs, stream.SubscribedNs) > stallNs << Math.Min(stream.Restarts, 5))
                {
                    await RestartStreamAsync(stream, link, token).ConfigureAwait(false);
                }
                else if (stream.Target.LastDeliveryNs > stream.SubscribedNs)
                {
                    stream.Restarts = 0;
                }
            }

            if (now >= nextBatteryNs)
            {
                nextBatteryNs = now + (_options.BatteryReadInterval.Ticks * 100);
                await ReadBatteryAsync(services, link, token).ConfigureAwait(false);
            }
        }
    }

    private async Task RestartStreamAsync(PlannedStream stream, Link link, CancellationToken token)
    {
        stream.Restarts++;
        Interlocked.Increment(ref link.StreamRestarts);
        _log($"radio: stream(s) {string.Join(", ", stream.StreamIds)} delivered nothing for a while; restarting them");
        await DisposeQuietlyAsync(stream.Subscription!).ConfigureAwait(false);
        stream.Subscription = await _central.SubscribeAsync(stream.Characteristic, stream.Target!, token).ConfigureAwait(false);
        stream.SubscribedNs = NowNs();
        await WriteSetupAsync(stream.Setup, token).ConfigureAwait(false);
    }

    private async Task TearDownAsync(Link link, List<IBleSubscription> subscriptions)
    {
        foreach (var subscription in subscriptions)
        {
            await DisposeQuietlyAsync(subscription).ConfigureAwait(false);
        }

        if (link.EndReason is DisconnectReason.LinkLoss or DisconnectReason.RemoteTerminated)
        {
            return;
        }

        // We end the link ourselves (stopping, unenrolled, setup failed): tell the radio, but never wait long for it.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _central.DisconnectAsync(link.PeripheralId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is BleOperationException or OperationCanceledException)
        {
            // Gone already, or BlueZ is away: the link is down either way.
        }
    }

    private static async Task DisposeQuietlyAsync(IBleSubscription subscription)
    {
        try
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
        catch (BleOperationException)
        {
            // The link or the object is gone: nothing left to stop.
        }
    }

    private async Task<string?> ReadStringAsync(IReadOnlyList<GattService> services, Guid characteristic, CancellationToken token)
    {
        if (Find(services, DeviceInformationService, characteristic) is not { } found || (found.Properties & GattProperties.Read) == 0)
        {
            return null;
        }

        var bytes = await _central.ReadAsync(found, token).ConfigureAwait(false);
        var length = Math.Min(bytes.Length, MaxInformationStringBytes);
        var end = Array.IndexOf(bytes, (byte)0, 0, length);
        var text = Encoding.UTF8.GetString(bytes, 0, end < 0 ? length : end).Trim();
        return text.Length == 0 ? null : text;
    }

    private async Task ReadBatteryAsync(IReadOnlyList<GattService> services, Link link, CancellationToken token)
    {
        if (Find(services, BatteryService, BatteryLevel) is not { } found || (found.Properties & GattProperties.Read) == 0)
        {
            return;
        }

        try
        {
            var bytes = await _central.ReadAsync(found, token).ConfigureAwait(false);

            // Battery Level (0x2A19) is one uint8 percentage, 0–100 (GATT Specification Supplement 3.27).
            link.BatteryPercent = bytes.Length >= 1 && bytes[0] <= 100 ? bytes[0] : null;
        }
        catch (BleOperationException ex) when (ex.Kind is BleErrorKind.NotPermitted or BleErrorKind.NotSupported)
        {
            // Some trackers guard it; the level simply stays unknown.
        }
    }

    private static GattCharacteristic? Find(IReadOnlyList<GattService> services, Guid service, Guid characteristic)
    {
        foreach (var s in services)
        {
            if (s.Uuid != service)
            {
                continue;
            }

            foreach (var c in s.Characteristics)
            {
                if (c.Uuid == characteristic)
                {
                    return c;
                }
            }
        }

        return null;
    }

    /// <summary>One attempt at a link, from connect to teardown. Its fields are written by its task and read by the loop.</summary>
    private sealed class Link
    {
        private readonly CancellationTokenSource _end;
        private int _endReason = -1;

        public Link(string adapterId, string peripheralId, CancellationToken stopping)
        {
            AdapterId = adapterId;
            PeripheralId = peripheralId;
            _end = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        }

        public string AdapterId { get; }

        public string PeripheralId { get; }

        public Task Task { get; set; } = Task.CompletedTask;

        public CancellationToken Token => _end.Token;

        public LinkPlan? Plan { get; set; }

        public long UpSinceNs;

        public long LastDataNs;

        public long StreamRestarts;

        public int? BatteryPercent;

        public DisconnectReason? EndReason => Volatile.Read(ref _endReason) is var r and >= 0 ? (DisconnectReason)r : null;

        /// <summary>Ends the link (first reason wins).</summary>
        public void End(DisconnectReason reason)
        {
            if (Interlocked.CompareExchange(ref _endReason, (int)reason, -1) == -1)
            {
                _end.Cancel();
            }
        }
    }

    /// <summary>What to subscribe and write for one profile on one GATT table (looked up anew on every connect).</summary>
    private sealed class LinkPlan
    {
        public List<GattCharacteristic> ControlPoints { get; } = [];

        public List<PlannedStream> Streams { get; } = [];

        public List<(GattCharacteristic Characteristic, SetupWrite Write)> Setup { get; } = [];

        public string? Missing { get; private set; }

        public static LinkPlan Build(FirmwareProfile profile, IReadOnlyList<GattService> services)
        {
            var plan = new LinkPlan();
            var streamCharacteristics = new HashSet<Guid>();
            foreach (var definition in profile.Streams)
            {
                var service = Guid.Parse(definition.Service);
                var uuid = Guid.Parse(definition.Characteristic);
                if (Find(services, service, uuid) is not { } characteristic)
                {
                    plan.Missing = $"stream {definition.Id}: the tracker has no characteristic {BleUuid.ToDisplay(definition.Characteristic)} in service {BleUuid.ToDisplay(definition.Service)}; is profile {profile.Id} the right one?";
                    return plan;
                }

                if ((characteristic.Properties & (GattProperties.Notify | GattProperties.Indicate)) == 0)
                {
                    plan.Missing = $"stream {definition.Id}: characteristic {BleUuid.ToDisplay(definition.Characteristic)} cannot notify";
                    return plan;
                }

                var planned = plan.Streams.Find(s => s.Characteristic.Uuid == uuid);
                if (planned is null)
                {
                    planned = new PlannedStream(characteristic);
                    plan.Streams.Add(planned);
                    streamCharacteristics.Add(uuid);
                }

                planned.StreamIds.Add(definition.Id);
                if (definition.NominalRateHz is { } rate and > 0)
                {
                    // Three sample periods or the configured timeout, whichever is longer: a slow stream is not stalled after one quiet period.
                    var threePeriodsNs = (long)(3e9 / rate);
                    planned.RateFloorNs = Math.Max(planned.RateFloorNs, threePeriodsNs);
                    planned.HasRate = true;
                }

                foreach (var write in definition.Setup)
                {
                    if (Find(services, service, Guid.Parse(write.Characteristic)) is not { } target)
                    {
                        plan.Missing = $"stream {definition.Id}: the tracker has no setup characteristic {BleUuid.ToDisplay(write.Characteristic)}";
                        return plan;
                    }

                    plan.Setup.Add((target, write));
                    planned.Setup.Add((target, write));
                    if ((target.Properties & (GattProperties.Notify | GattProperties.Indicate)) != 0 && !plan.ControlPoints.Exists(c => c.Uuid == target.Uuid))
                    {
                        plan.ControlPoints.Add(target);
                    }
                }
            }

            plan.ControlPoints.RemoveAll(c => streamCharacteristics.Contains(c.Uuid));
            return plan;
        }
    }

    /// <summary>One subscribed characteristic and the streams it carries.</summary>
    private sealed class PlannedStream(GattCharacteristic characteristic)
    {
        public GattCharacteristic Characteristic { get; } = characteristic;

        public List<string> StreamIds { get; } = [];

        public List<(GattCharacteristic Characteristic, SetupWrite Write)> Setup { get; } = [];

        public NotificationTarget? Target { get; set; }

        public IBleSubscription? Subscription { get; set; }

        public long SubscribedNs { get; set; }

        public int Restarts { get; set; }

        public bool HasRate { get; set; }

        public long RateFloorNs { get; set; }

        public long? StallAfterNs { get; set; }
    }
}
