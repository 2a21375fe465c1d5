using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Spool;

namespace Ingest.Pipeline.Service;

/// <summary>The decode loop: admission, routing, decoding into columns, sealing, gaps. One task owns all of it.</summary>
internal sealed partial class IngestService
{
    private readonly Dictionary<string, ServiceStream> _streamsByKey = new(StringComparer.Ordinal);
    private DeviceState?[] _devices = new DeviceState?[64];

    // Replaced (never mutated) by the decode loop, so other threads can enumerate a snapshot.
    private ServiceStream[] _streams = [];
    private DeviceState[] _deviceList = [];
    private long _pausedSinceNs;
    private CancellationTokenSource _sweepTimer = new();

    /// <summary>Streams and hub-downtime gaps of the devices the previous run knew.</summary>
    private void PrepareFromLedger()
    {
        // Records recovered from the spool may belong to streams this run never opens (a device that stays quiet). The
        // ledger must cover their sequences before they are released and their segment reclaimed, or a later start
        // would reuse them for different bytes: take them into the ledger now.
        foreach (var ((hub, stream), next) in _spool.Recovery.NextSequences)
        {
            if (string.Equals(hub, _options.HubId, StringComparison.Ordinal) && _ledger.NextSequences.GetValueOrDefault(stream) < next)
            {
                _ledger.NextSequences[stream] = next;
            }
        }

        foreach (var (device, entry) in _ledger.Devices)
        {
            var gaps = GapsStreamOf(new StreamOrigin(_options.Study, _options.Site, entry.Participant, device, Gaps.StreamId, null));
            if (_ledger.PreviousAliveNs is { } alive && alive < _startedAtNs)
            {
                AppendGap(gaps, alive, _startedAtNs, GapReason.HubDown);
            }
        }
    }

    private async Task DecodeLoopAsync()
    {
        var notifications = _source.Notifications;
        var events = _source.DeviceEvents;
        // Idle streams are sealed by a sweep: often enough that a batch is at most a quarter of its age late.
        var sweepEvery = TimeSpan.FromTicks(Math.Clamp(_options.BatchMaxAge.Ticks / 4, TimeSpan.FromMilliseconds(5).Ticks, TimeSpan.FromMilliseconds(250).Ticks));
        var lastSweep = _time.GetTimestamp();
        try
        {
            while (true)
            {
                // A device's Connected precedes its first notification; events and notifications interleave by hub time.
                while (events.TryPeek(out var next) && (!notifications.TryPeek(out var notification) || next.HubTimeNs <= notification.HubTimeNs))
                {
                    events.TryRead(out next);
                    HandleEvent(next);
                }

                if (notifications.TryRead(out var received))
                {
                    await HandleNotificationAsync(received).ConfigureAwait(false);
                    if (_time.GetElapsedTime(lastSweep) >= sweepEvery)
                    {
                        await SweepAsync().ConfigureAwait(false);
                        lastSweep = _time.GetTimestamp();
                    }

                    continue;
                }

                await SweepAsync().ConfigureAwait(false);
                lastSweep = _time.GetTimestamp();
                if (notifications.Completion.IsCompleted && events.Completion.IsCompleted)
                {
                    // Surfaces a source failure (the channels were completed with its exception).
                    await notifications.Completion.ConfigureAwait(false);
                    await events.Completion.ConfigureAwait(false);
                    break;
                }

                await WaitForInputAsync(notifications, events, sweepEvery).ConfigureAwait(false);
            }
        }
        finally
        {
            await SealEverythingAsync().ConfigureAwait(false);
            _appends.Writer.TryComplete();
        }
    }

    /// <summary>
    /// Waits (only when idle) for a notification or the next sweep, whichever comes first. Link events are read at either:
    /// they are rare, and the loop reads any pending event before each notification, so a device's Connected still comes
    /// before its first notification. One reusable timer token, no Task per wait: at a fixed rate the loop goes idle
    /// between most notifications.
    /// </summary>
    private async Task WaitForInputAsync(ChannelReader<Notification> notifications, ChannelReader<DeviceEvent> events, TimeSpan sweepEvery)
    {
        var reader = notifications.Completion.IsCompleted ? null : notifications;
        if (!_sweepTimer.TryReset())
        {
            _sweepTimer.Dispose();
            _sweepTimer = new CancellationTokenSource();
        }

        _sweepTimer.CancelAfter(sweepEvery);
        try
        {
            if (reader is not null)
            {
                await reader.WaitToReadAsync(_sweepTimer.Token).ConfigureAwait(false);
            }
            else
            {
                await events.WaitToReadAsync(_sweepTimer.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_sweepTimer.IsCancellationRequested)
        {
            // Time to sweep.
        }
        catch (Exception) when (notifications.Completion.IsCompleted || events.Completion.IsCompleted)
        {
            // The source failed; the loop surfaces it from the channels' completion.
        }
    }

    private DeviceState? DeviceOf(DeviceHandle handle) =>
        (uint)handle.Value < (uint)_devices.Length ? _devices[handle.Value] : null;

    private void HandleEvent(in DeviceEvent deviceEvent)
    {
        var device = DeviceOf(deviceEvent.Device);
        if (deviceEvent.Kind == DeviceEventKind.Connected)
        {
            device ??= AddDevice(deviceEvent.Device, deviceEvent.ProfileId);
            if (device.Admitted is null)
            {
                return;
            }

            if (!device.Connected && device.DisconnectedAtNs is { } since)
            {
                AppendGap(device.Gaps!, since, deviceEvent.HubTimeNs, GapReason.Disconnected);
            }

            // A new link: decoders forget the previous frame (counters, device clock) so nothing spans the gap, and the
            // clock mapping is estimated afresh (the device may have been reset while away).
            foreach (var stream in device.Streams)
            {
                stream.Decoder!.Reset();
            }

            device.Clock?.Restart();

            device.Connected = true;
            device.DisconnectedAtNs = null;
            device.Link.Connect(deviceEvent.HubTimeNs);
        }
        else if (device is { Admitted: not null, Connected: true })
        {
            device.Connected = false;
            device.DisconnectedAtNs = deviceEvent.HubTimeNs;
            device.Link.Disconnect(deviceEvent.HubTimeNs);
        }
    }

    private DeviceState AddDevice(DeviceHandle handle, string? profileId)
    {
        var admitted = _admission.Admit(handle, profileId);
        var device = new DeviceState(handle, admitted);
        if (admitted is not null)
        {
            var streams = new List<ServiceStream>(admitted.Profile.Streams.Count);
            foreach (var definition in admitted.Profile.Streams)
            {
                var origin = new StreamOrigin(_options.Study, _options.Site, admitted.Participant, admitted.Device, definition.Id, definition.NominalRateHz);
                var key = admitted.Device + "." + definition.Id;
                if (!_streamsByKey.TryGetValue(key, out var stream))
                {
#pragma warning disable CA2000 // Register hands the stream to _streams, which DisposeStreams disposes at stop.
                    stream = ServiceStream.ForData(definition, admitted.Profile, origin, _quarantine.For(key), _encoding, Math.Min(_options.BatchMaxRows, 1024));
#pragma warning restore CA2000
                    Register(stream);
                }

                streams.Add(stream);
            }

            device.Streams = [.. streams];
            device.Gaps = GapsStreamOf(new StreamOrigin(_options.Study, _options.Site, admitted.Participant, admitted.Device, Gaps.StreamId, null));
            if (streams.Exists(stream => stream.ClockReporter is not null))
            {
                device.Clock = new Clocks.DeviceClockEstimator();
                device.ClockStream = ClockStreamOf(new StreamOrigin(_options.Study, _options.Site, admitted.Participant, admitted.Device, ClockRows.StreamId, null));
            }
            lock (_ledger)
            {
                _ledger.Devices[admitted.Device] = new LedgerDevice(admitted.Participant, admitted.Profile.Id, admitted.Profile.Version);
            }
        }

        if (handle.Value >= _devices.Length)
        {
            Array.Resize(ref _devices, Math.Max(handle.Value + 1, _devices.Length * 2));
        }

        _devices[handle.Value] = device;
        _deviceList = [.. _deviceList, device];
        return device;
    }

    private ServiceStream GapsStreamOf(StreamOrigin origin)
    {
        var key = origin.Device + "." + Gaps.StreamId;
        if (!_streamsByKey.TryGetValue(key, out var stream))
        {
            stream = ServiceStream.ForGaps(origin, typeof(IngestService).Assembly.GetName().Version?.ToString(3) ?? "0", _encoding);
            Register(stream);
        }

        return stream;
    }

    private ServiceStream ClockStreamOf(StreamOrigin origin)
    {
        var key = origin.Device + "." + ClockRows.StreamId;
        if (!_streamsByKey.TryGetValue(key, out var stream))
        {
            stream = ServiceStream.ForClock(origin, typeof(IngestService).Assembly.GetName().Version?.ToString(3) ?? "0", _encoding);
            Register(stream);
        }

        return stream;
    }

    /// <summary>Adds a stream, continuing its sequence: never below what the ledger or the spool's records say was used.</summary>
    private void Register(ServiceStream stream)
    {
        long next;
        lock (_ledger)
        {
            next = _ledger.NextSequences.GetValueOrDefault(stream.Key);
        }

        if (_spool.Recovery.NextSequences.TryGetValue((_options.HubId, stream.Key), out var recovered))
        {
            next = Math.Max(next, recovered);
        }

        stream.NextSequence = next;
        _streamsByKey[stream.Key] = stream;
        _streams = [.. _streams, stream];
    }

    private ValueTask HandleNotificationAsync(Notification notification)
    {
        _metrics.Notifications++;
        var device = DeviceOf(notification.Device);
        if (device?.Admitted is null)
        {
            // Unknown or not enrolled: counted, never decoded (issue 10 audits it).
            _metrics.NotificationsNotAdmitted++;
            notification.Release();
            return default;
        }

        ServiceStream? stream;
        FrameResult result;
        var hubTimeNs = notification.HubTimeNs;
        try
        {
            var payload = notification.Payload;
            stream = device.Route(notification.Characteristic, payload);
            if (stream is null)
            {
                result = new FrameResult(RejectReason.BadFrameType, 0, "no stream of the device's profile uses this characteristic");
            }
            else
            {
                if (stream.Columns.RowCount == 0)
                {
                    stream.OpenedAt = _time.GetTimestamp();
                }

                result = stream.Decoder!.Decode(payload, notification.HubTimeNs);
            }

            device.LastNotificationNs = notification.HubTimeNs;
        }
        finally
        {
            notification.Release();
        }

        // Device time read from the frame (also from one rejected only because its time went back: a reset).
        if (stream?.ClockReporter is { } clock && clock.TryTakeDeviceTime(out var deviceTimeNs))
        {
            ObserveClock(device, deviceTimeNs, hubTimeNs);
        }

        if (!result.IsAccepted)
        {
            _metrics.FramesRejected++;
            _metrics.RejectedByReason[(int)result.Reason]++;
            device.FramesRejected++;
            if (stream is not null)
            {
                stream.FramesRejected++;
            }

            return default;
        }

        _metrics.Samples += result.Rows;
        device.Samples += result.Rows;
        if (result.Rows > 0)
        {
            stream!.Samples += result.Rows;
            stream.LastSampleNs = stream.Columns.HubTime.Values[stream.Columns.RowCount - 1];
        }

        if (stream!.LossReporter is { } losses && losses.TryTakeLoss(out var lostNs))
        {
            // The hole ends where this frame's first sample begins (hub clock), and lasts what the tracker's clock says.
            var firstSampleNs = stream.Columns.HubTime.Values[stream.Columns.RowCount - result.Rows];
            AppendGap(device.Gaps!, firstSampleNs - lostNs, firstSampleNs, GapReason.FramesLost);
        }

        // Sealed at the row limit, or earlier when the batch would outgrow a quarter of a spool segment (wide rows, or a
        // large Batching:MaxRows with small Spool:SegmentBytes): a record must fit one segment. Measured every 64 rows.
        var rows = stream!.Columns.RowCount;
        return rows >= _options.BatchMaxRows || ((rows & 63) < result.Rows && stream.BufferedBytes() > _sealBytes) ? SealAsync(stream) : default;
    }

    private async ValueTask SweepAsync()
    {
        _quarantine.Flush();
        foreach (var stream in _streams)
        {
            if (stream.Columns.RowCount > 0 && _time.GetElapsedTime(stream.OpenedAt) >= _options.BatchMaxAge)
            {
                await SealAsync(stream).ConfigureAwait(false);
            }
        }
    }

    private async Task SealEverythingAsync()
    {
        var now = NowNs();
        foreach (var device in _deviceList)
        {
            if (device is { Admitted: not null, Connected: false, DisconnectedAtNs: { } since })
            {
                AppendGap(device.Gaps!, since, now, GapReason.Disconnected);
                device.DisconnectedAtNs = now;
            }
        }

        foreach (var stream in _streams)
        {
            if (stream.Columns.RowCount > 0)
            {
                await SealAsync(stream).ConfigureAwait(false);
            }
        }
    }

    private void ObserveClock(DeviceState device, long deviceTimeNs, long hubTimeNs)
    {
        var kind = device.Clock!.Observe(deviceTimeNs, hubTimeNs, out var estimate);
        if (kind == Clocks.DeviceClockEvent.None)
        {
            return;
        }

        var clock = device.ClockStream!;
        if (clock.Columns.RowCount == 0)
        {
            clock.OpenedAt = _time.GetTimestamp();
        }

        ClockRows.Append(clock.Columns, kind, estimate);
        device.LatestClock = estimate;
        _metrics.ClockRows++;
    }

    private void AppendGap(ServiceStream gaps, long startNs, long endNs, GapReason reason)
    {
        if (gaps.Columns.RowCount == 0)
        {
            gaps.OpenedAt = _time.GetTimestamp();
        }

        Gaps.Append(gaps.Columns, startNs, endNs, reason);
        _metrics.Gaps++;
    }

    /// <summary>
    /// Seals a stream's open batch: encodes it once, hands the bytes to the spool (which copies them before returning)
    /// and queues the durable-append for the spool stage. Waits while that queue is full: intake is paused then.
    /// </summary>
    private async ValueTask SealAsync(ServiceStream stream)
    {
        var columns = stream.TakeOpenBatch();
        ValueTask<SpoolPosition> durable;
        BatchIdentity identity;
        try
        {
            if (columns.RowCount == 0)
            {
                return;
            }

            identity = new BatchIdentity(_options.HubId, stream.Key, stream.NextSequence);
            var payload = stream.Encoder.EncodeStream(columns, identity);
            durable = _spool.AppendAsync(identity, columns.RowCount, payload, CancellationToken.None);
            stream.NextSequence++;
        }
        finally
        {
            stream.ReturnColumns(columns);
        }

        _metrics.BatchesSealed++;
        var pending = new PendingAppend(durable, identity.Stream, identity.Sequence);
        if (_appends.Writer.TryWrite(pending))
        {
            return;
        }

        // The spool is behind (full, or the disk is slow): intake waits here, and the pause becomes a gap record.
        var pausedAt = NowNs();
        Volatile.Write(ref _pausedSinceNs, pausedAt);
        await _appends.Writer.WriteAsync(pending).ConfigureAwait(false);
        Volatile.Write(ref _pausedSinceNs, 0);
        var resumedAt = NowNs();
        foreach (var device in _deviceList)
        {
            if (device is { Admitted: not null, Connected: true })
            {
                AppendGap(device.Gaps!, pausedAt, resumedAt, GapReason.IntakePaused);
            }
        }
    }

    private void DisposeStreams()
    {
        _sweepTimer.Dispose();
        foreach (var stream in _streams)
        {
            stream.Dispose();
        }
    }

    /// <summary>One device the decode loop knows.</summary>
    private sealed class DeviceState(DeviceHandle handle, AdmittedDevice? admitted)
    {
        public DeviceHandle Handle { get; } = handle;

        /// <summary>Null when the device was not admitted.</summary>
        public AdmittedDevice? Admitted { get; } = admitted;

        public ServiceStream[] Streams { get; set; } = [];

        public ServiceStream? Gaps { get; set; }

        /// <summary>The device → hub clock fit, for devices whose decoders report device time; null otherwise.</summary>
        public Clocks.DeviceClockEstimator? Clock { get; set; }

        /// <summary>The device's clock stream, with <see cref="Clock"/>.</summary>
        public ServiceStream? ClockStream { get; set; }

        public bool Connected { get; set; }

        /// <summary>Time connected since start, for the streams' expected sample counts (read by status snapshots on other threads).</summary>
        public ConnectedTime Link { get; } = new();

        public long? DisconnectedAtNs { get; set; }

        public long LastNotificationNs { get; set; }

        public long Samples { get; set; }

        public long FramesRejected { get; set; }

        /// <summary>The last clock estimate written to the clock stream, or null before the first (read by the metrics' thread).</summary>
        public Clocks.DeviceClockEstimate? LatestClock
        {
            get => Volatile.Read(ref _latestClock)?.Value;
            set => Volatile.Write(ref _latestClock, value is { } estimate ? new StrongBox<Clocks.DeviceClockEstimate>(estimate) : null);
        }

        private StrongBox<Clocks.DeviceClockEstimate>? _latestClock;

        /// <summary>
        /// The stream a notification belongs to: by characteristic, and for Polar PMD data (one characteristic, several
        /// measurements) by the frame's measurement type; an unknown measurement goes to the first stream of the
        /// characteristic, whose decoder rejects it with its reason.
        /// </summary>
        public ServiceStream? Route(Guid characteristic, ReadOnlySpan<byte> payload)
        {
            ServiceStream? first = null;
            foreach (var stream in Streams)
            {
                if (stream.Accepts(characteristic, payload))
                {
                    return stream;
                }

                if (first is null && stream.Characteristic == characteristic)
                {
                    first = stream;
                }
            }

            return first;
        }
    }
}
