using System.Collections.Concurrent;
using System.Threading.Channels;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Spool;

namespace Ingest.Pipeline.Service;

/// <summary>The spool, publish, receipt and release stages, and the status snapshot.</summary>
internal sealed partial class IngestService
{
    /// <summary>Publishes awaiting their acknowledgement at once; the MQTT layer further holds them to the broker's Receive Maximum.</summary>
    private const int PublishesInFlight = 64;

    /// <summary>Longest wait between retries of a batch the destination could not take for now.</summary>
    private static readonly TimeSpan s_maxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>How often the ledger is rewritten as a sign of life when nothing is released (bounds the hub-down gap's error).</summary>
    private static readonly TimeSpan s_aliveInterval = TimeSpan.FromSeconds(5);

    private readonly Channel<InFlight> _inFlight = Channel.CreateBounded<InFlight>(new BoundedChannelOptions(PublishesInFlight)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = true,
        SingleWriter = true,
    });

    private readonly ConcurrentQueue<(SpoolPosition Position, (string Stream, long Sequence) Identity)> _toRelease = new();

    // Batches sent and not yet released (refused ones stay here until a restart): a rewound spool cursor skips them.
    private readonly ConcurrentDictionary<(string Stream, long Sequence), byte> _sent = new();

    // PUBACKed batches waiting for the platform's receipt, with when they were acknowledged (TimeProvider timestamp).
    private readonly ConcurrentDictionary<(string Stream, long Sequence), (SpoolPosition Position, long AcknowledgedAt)> _awaitingReceipt = new();
    private CancellationTokenSource? _rewind;
    private long _reconnectsSeen;
    private readonly SemaphoreSlim _releaseSignal = new(0, 1);
    private volatile bool _releaseStopping;
    private volatile string? _lastPublishProblem;
    private long _oldestUnsentNs;

    // Acknowledged (or receipted) batches not yet released: they wait for the ledger copies, not for the destination.
    private long _acknowledgedUnreleased;

    /// <summary>Awaits each sealed batch's fsync in order; only then is its sequence consumed (and the ledger may record it).</summary>
    private async Task SpoolLoopAsync()
    {
        await foreach (var pending in _appends.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await pending.Durable.ConfigureAwait(false);
                _metrics.BatchesSpooled++;
                lock (_ledger)
                {
                    if (_ledger.NextSequences.GetValueOrDefault(pending.Stream) <= pending.Sequence)
                    {
                        _ledger.NextSequences[pending.Stream] = pending.Sequence + 1;
                    }
                }
            }
            catch (Exception ex) when (_stopForced)
            {
                // Closed at a forced stop while waiting for space: never durable, never published; reported.
                _ = ex;
                _metrics.BatchesNotSpooledAtStop++;
            }
            catch (Exception ex)
            {
                // Keep draining so the decode loop never blocks on a dead spool; the service stops (Fail starts the stop).
                Fail(ex);
            }
        }
    }

    /// <summary>
    /// Reads the spool from its oldest unreleased record and sends each batch; acknowledgements are awaited by
    /// <see cref="AcknowledgeLoopAsync"/>. A rewind (a receipt overdue) starts the cursor again from the oldest record,
    /// skipping what is sent and not overdue.
    /// </summary>
    private async Task PublishLoopAsync(CancellationToken cancellationToken)
    {
        var acknowledge = Task.Run(() => AcknowledgeLoopAsync(cancellationToken), CancellationToken.None);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var rewind = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                Volatile.Write(ref _rewind, rewind);
                try
                {
                    await foreach (var record in _spool.ReadAllAsync(rewind.Token).ConfigureAwait(false))
                    {
                        await SendAsync(record, cancellationToken).ConfigureAwait(false);
                    }

                    return; // the spool was closed
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // Rewound: read again from the oldest unreleased record.
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref _rewind, null);
            _inFlight.Writer.TryComplete();
            await acknowledge.ConfigureAwait(false);
        }
    }

    private async ValueTask SendAsync(SpoolRecord record, CancellationToken cancellationToken)
    {
        var identity = (record.Identity.Stream, record.Identity.Sequence);
        if (!_sent.TryAdd(identity, 0))
        {
            return; // in flight, acknowledged and awaiting release or a receipt, or refused
        }

        if (!BatchEnvelope.TryCreate(record.Identity, record.RowCount, record.Payload, out var batch, out var problem))
        {
            Refuse(record.Identity, "cannot be published: " + problem);
            return;
        }

        Interlocked.CompareExchange(ref _oldestUnsentNs, batch!.FirstHubTimeNs, 0);
        await _inFlight.Writer.WriteAsync(new InFlight(record.Position, batch, _publisher.PublishAsync(batch, cancellationToken)), cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>
    /// With receipts: a batch whose receipt is overdue, or that was acknowledged by a broker connection that has since
    /// been lost (a broker without persistence forgets what it acknowledged), is published again. Runs on the release stage.
    /// </summary>
    private void RepublishOverdueReceipts()
    {
        if (!_options.RequireReceipts || _awaitingReceipt.IsEmpty)
        {
            return;
        }

        var reconnects = _publisher.Reconnects;
        var reconnected = reconnects != Interlocked.Exchange(ref _reconnectsSeen, reconnects);
        var any = false;
        foreach (var (identity, waiting) in _awaitingReceipt)
        {
            if ((reconnected || _time.GetElapsedTime(waiting.AcknowledgedAt) >= _options.ReceiptTimeout) && _awaitingReceipt.TryRemove(identity, out _))
            {
                _sent.TryRemove(identity, out _);
                _metrics.ReceiptRepublishes++;
                any = true;
            }
        }

        if (any)
        {
            try
            {
                Volatile.Read(ref _rewind)?.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The cursor just ended; the next one reads from the oldest record anyway.
            }
        }
    }

    /// <summary>Awaits each publish in order; retries what the destination could not take for now; queues releases.</summary>
    private async Task AcknowledgeLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var sent in _inFlight.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var result = await sent.Result.ConfigureAwait(false);
                var delay = TimeSpan.FromMilliseconds(100);
                while (result.Outcome == BatchPublishOutcome.Transient && !cancellationToken.IsCancellationRequested)
                {
                    _metrics.PublishFailures++;
                    _lastPublishProblem = result.Detail;
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, s_maxRetryDelay.Ticks));
                    result = await _publisher.PublishAsync(sent.Batch, cancellationToken).ConfigureAwait(false);
                }

                Acknowledged(sent, result);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Acknowledged(InFlight sent, BatchPublishResult result)
    {
        // The oldest unsent sample is now the next batch's (approximately: batches are acknowledged in send order).
        Interlocked.Exchange(ref _oldestUnsentNs, _inFlight.Reader.TryPeek(out var next) ? next.Batch.FirstHubTimeNs : 0);
        switch (result.Outcome)
        {
            case BatchPublishOutcome.Accepted:
                _metrics.BatchesPublished++;
                _metrics.RecordPublishLatency(TimeSpan.FromTicks(Math.Max(0, NowNs() - sent.Batch.FirstHubTimeNs) / 100));
                if (_options.RequireReceipts)
                {
                    _awaitingReceipt[(sent.Batch.Identity.Stream, sent.Batch.Identity.Sequence)] = (sent.Position, _time.GetTimestamp());
                }
                else
                {
                    Interlocked.Increment(ref _acknowledgedUnreleased);
                    _toRelease.Enqueue((sent.Position, (sent.Batch.Identity.Stream, sent.Batch.Identity.Sequence)));
                }

                break;
            case BatchPublishOutcome.Refused:
                Refuse(sent.Batch.Identity, result.Detail ?? "refused");
                break;
            default:
                // Transient at stop: stays spooled for the next start.
                _sent.TryRemove((sent.Batch.Identity.Stream, sent.Batch.Identity.Sequence), out _);
                break;
        }
    }

    private void Refuse(BatchIdentity identity, string detail)
    {
        _metrics.BatchesRefused++;
        _lastPublishProblem = $"batch {identity.Stream}#{identity.Sequence} kept in the spool, not published: {detail}";
    }

    /// <summary>Receipts from the platform release their batches (only when receipts are required).</summary>
    private async Task ReceiptLoopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var receipt in _publisher.Receipts.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var identity = (receipt.Stream, receipt.Sequence);
                if (_awaitingReceipt.TryRemove(identity, out var waiting))
                {
                    Interlocked.Increment(ref _acknowledgedUnreleased);
                    _toRelease.Enqueue((waiting.Position, identity));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// Writes the ledger, then releases what was acknowledged: so every sequence in a segment the spool may reclaim is
    /// already in the ledger (see <see cref="ServiceLedger"/>). Runs at the spool's checkpoint interval, and when asked.
    /// </summary>
    private async Task ReleaseLoopAsync()
    {
        var mode = _options.RequireReceipts ? SpoolReleaseMode.PlatformReceipt : SpoolReleaseMode.PublishAcknowledged;
        var interval = _spool.Options.CheckpointInterval > TimeSpan.Zero ? _spool.Options.CheckpointInterval : TimeSpan.FromSeconds(1);
        var lastWrite = long.MinValue;

        // Acknowledged before the previous ledger write: covered by both ledger copies once the next write is done.
        var coveredByOne = new List<(SpoolPosition Position, (string Stream, long Sequence) Identity)>();
        var acknowledged = new List<(SpoolPosition Position, (string Stream, long Sequence) Identity)>();
        while (true)
        {
            var stopping = _releaseStopping;
            if (!_toRelease.IsEmpty || coveredByOne.Count > 0 || stopping || lastWrite == long.MinValue || _time.GetElapsedTime(lastWrite) >= s_aliveInterval)
            {
                while (_toRelease.TryDequeue(out var item))
                {
                    acknowledged.Add(item);
                }

                try
                {
                    // At the stop both copies are written, so everything acknowledged is covered twice and released.
                    for (var copy = 0; copy < (stopping ? 2 : 1); copy++)
                    {
                        lock (_ledger)
                        {
                            _ledger.Write(NowNs());
                        }
                    }

                    lastWrite = _time.GetTimestamp();
                    Release(coveredByOne, mode);
                    if (stopping)
                    {
                        Release(acknowledged, mode);
                    }

                    (coveredByOne, acknowledged) = (acknowledged, coveredByOne);
                }
                catch (IOException ex)
                {
                    // Nothing is released without the ledger: the spool fills and intake pauses, visibly.
                    _lastPublishProblem = "cannot write the service ledger: " + ex.Message;
                }
            }

            if (stopping)
            {
                return;
            }

            RepublishOverdueReceipts();
            await _releaseSignal.WaitAsync(interval).ConfigureAwait(false);
        }
    }

    private void Release(List<(SpoolPosition Position, (string Stream, long Sequence) Identity)> batches, SpoolReleaseMode mode)
    {
        foreach (var (position, identity) in batches)
        {
            if (_spool.Release(position, mode) == SpoolReleaseResult.Released)
            {
                _metrics.BatchesReleased++;
            }

            _sent.TryRemove(identity, out _);
            Interlocked.Decrement(ref _acknowledgedUnreleased);
        }

        batches.Clear();
    }

    private void RequestReleaseFlush()
    {
        try
        {
            _releaseSignal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    /// <summary>Batches spooled but not yet released, not counting those kept because the destination refused them.</summary>
    private long UnpublishedBacklog() => Math.Max(0, _spool.Statistics.UnreleasedRecords - Interlocked.Read(ref _acknowledgedUnreleased) - _metrics.BatchesRefused);

    /// <summary>A snapshot for the status line, health messages and the exit summary.</summary>
    public IngestStatus Status
    {
        get
        {
            var spool = _spool.Statistics;
            var devices = _deviceList;
            var list = new List<DeviceStatus>(devices.Length);
            foreach (var device in devices)
            {
                if (device.Admitted is { } admitted)
                {
                    list.Add(new DeviceStatus(admitted.Device, admitted.Participant, admitted.Profile.Id, device.Connected,
                        device.LastNotificationNs == 0 ? null : ToTime(device.LastNotificationNs), device.Samples, device.FramesRejected));
                }
            }

            var oldest = Interlocked.Read(ref _oldestUnsentNs);
            var streams = StreamStatuses(devices, NowNs());
            return new IngestStatus
            {
                At = _time.GetUtcNow(),
                StartedAt = ToTime(_startedAtNs),
                Notifications = Volatile.Read(ref _metrics.Notifications),
                NotificationsNotAdmitted = Volatile.Read(ref _metrics.NotificationsNotAdmitted),
                Samples = Volatile.Read(ref _metrics.Samples),
                FramesRejected = Volatile.Read(ref _metrics.FramesRejected),
                BatchesSealed = Volatile.Read(ref _metrics.BatchesSealed),
                BatchesSpooled = Volatile.Read(ref _metrics.BatchesSpooled),
                BatchesPublished = Volatile.Read(ref _metrics.BatchesPublished),
                BatchesReleased = Volatile.Read(ref _metrics.BatchesReleased),
                BatchesRefused = Volatile.Read(ref _metrics.BatchesRefused),
                BatchesNotSpooledAtStop = Volatile.Read(ref _metrics.BatchesNotSpooledAtStop),
                PublishFailures = Volatile.Read(ref _metrics.PublishFailures),
                LastPublishProblem = _lastPublishProblem,
                Backlog = spool.UnreleasedRecords,
                SpoolBytes = spool.UsedBytes,
                SpoolLimitBytes = _spool.Options.MaxTotalBytes,
                OldestUnsentSample = oldest == 0 ? null : ToTime(oldest),
                IntakePaused = spool.IsFull || Volatile.Read(ref _pausedSinceNs) != 0,
                Destination = _publisher.Destination,
                DestinationState = _publisher.State,
                Reconnects = _publisher.Reconnects,
                Gaps = Volatile.Read(ref _metrics.Gaps),
                ClockRows = Volatile.Read(ref _metrics.ClockRows),
                Devices = list,
                Streams = streams,
                Failure = _failure,
            };
        }
    }

    /// <summary>
    /// The data streams of <paramref name="devices"/> for a snapshot. A pseudonym seen under more than one handle (a new
    /// link object after a reconnect) shares its streams: its connected time is the sum over its handles.
    /// </summary>
    private static List<StreamStatus> StreamStatuses(DeviceState[] devices, long nowNs)
    {
        var connectedNs = new Dictionary<string, (long Ns, bool Up)>(devices.Length, StringComparer.Ordinal);
        foreach (var device in devices)
        {
            if (device.Admitted is { } admitted)
            {
                var (ns, up) = connectedNs.GetValueOrDefault(admitted.Device);
                connectedNs[admitted.Device] = (ns + device.Link.TotalNs(nowNs), up || device.Link.IsConnected);
            }
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var list = new List<StreamStatus>();
        foreach (var device in devices)
        {
            if (device.Admitted is not { } admitted)
            {
                continue;
            }

            var (ns, up) = connectedNs[admitted.Device];
            foreach (var stream in device.Streams)
            {
                if (!seen.Add(stream.Key))
                {
                    continue;
                }

                var samples = stream.Samples;
                var lastSample = stream.LastSampleNs;
                var expected = StreamCompleteness.ExpectedSamples(stream.Origin.NominalRateHz, ns);
                list.Add(new StreamStatus
                {
                    Device = admitted.Device,
                    Participant = admitted.Participant,
                    ProfileId = admitted.Profile.Id,
                    StreamId = stream.Origin.StreamId,
                    NominalRateHz = stream.Origin.NominalRateHz,
                    Connected = up,
                    ConnectedFor = TimeSpan.FromTicks(ns / 100),
                    Samples = samples,
                    ExpectedSamples = expected,
                    Completeness = StreamCompleteness.Of(samples, expected),
                    LastSample = lastSample == 0 ? null : ToTime(lastSample),
                    FramesRejected = stream.FramesRejected,
                });
            }
        }

        return list;
    }

    private static DateTimeOffset ToTime(long unixNs) => DateTimeOffset.UnixEpoch.AddTicks(unixNs / 100);

    /// <summary>One batch sent and not yet acknowledged.</summary>
    private readonly record struct InFlight(SpoolPosition Position, OutgoingBatch Batch, ValueTask<BatchPublishResult> Result);
}
