using System.Threading.Channels;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Spool;

namespace Ingest.Pipeline.Service;

/// <summary>
/// The main job: notifications in, Arrow batches out, nothing lost between. Stages joined by bounded channels:
/// intake (the radio or the simulator) → admission → decode into per-stream columns → seal (N rows or T age) and encode
/// → spool (group-committed fsync: the durability point) → publish (MQTT or the outbox) → release. See docs/service.md.
/// <para>
/// Tasks: the source's own; the decode loop (admission, decode, seal, encode, hand to the spool: one thread owns every
/// column buffer); the spool stage (awaits each append's fsync in order, then counts the sequence as consumed); the
/// publish stage (reads the spool from the oldest unreleased record); the release stage (writes the ledger, then
/// releases acknowledged records). Backpressure runs backwards through them: a full spool stalls appends, which fills
/// the bounded append channel, which stalls the decode loop, which fills the source's bounded channel, which makes the
/// source wait. Nothing is dropped; the pause shows in <see cref="Status"/>, the metrics and the gaps stream.
/// </para>
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed partial class IngestService : IAsyncDisposable
{
    /// <summary>Sealed batches whose fsync may be outstanding at once: enough to keep group commits full.</summary>
    private const int AppendsInFlight = 256;

    private readonly IngestOptions _options;
    private readonly INotificationSource _source;
    private readonly IDeviceAdmission _admission;
    private readonly IBatchPublisher _publisher;
    private readonly BatchEncodingOptions _encoding;
    private readonly TimeProvider _time;
    private readonly SegmentSpool _spool;
    private readonly ServiceLedger _ledger;
    private readonly FrameQuarantine _quarantine;
    private readonly IngestMetrics _metrics;
    private readonly Channel<PendingAppend> _appends;
    private readonly CancellationTokenSource _intakeStop = new();
    private readonly CancellationTokenSource _publishStop = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _stopLock = new();
    private readonly long _startedAtNs;
    private readonly long _sealBytes;
    private Task _sourceTask = Task.CompletedTask;
    private Task _decodeTask = Task.CompletedTask;
    private Task _spoolTask = Task.CompletedTask;
    private Task _publishTask = Task.CompletedTask;
    private Task _receiptTask = Task.CompletedTask;
    private Task _releaseTask = Task.CompletedTask;
    private Task? _stopping;
    private volatile string? _failure;
    private volatile bool _stopForced;

    private IngestService(IngestOptions options, INotificationSource source, IDeviceAdmission admission, SegmentSpool spool, ServiceLedger ledger,
        IBatchPublisher publisher, BatchEncodingOptions encoding, TimeProvider time)
    {
        _options = options;
        _source = source;
        _admission = admission;
        _spool = spool;
        _ledger = ledger;
        _publisher = publisher;
        _encoding = encoding;
        _time = time;
        _startedAtNs = NowNs();
        _sealBytes = spool.Options.SegmentBytes / 4;
        _quarantine = new FrameQuarantine(Path.Combine(Path.GetDirectoryName(ledger.Directory)!, "quarantine"));
        _metrics = new IngestMetrics(() => Status, ClockOffsets);
        _appends = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(AppendsInFlight)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = true,
        });
    }

    /// <summary>
    /// Opens the spool in <paramref name="spool"/> (recovering what a previous run left: it is published first and its
    /// sequences continue) and the ledger beside it (in <c>state/</c> next to the spool folder), then starts every stage
    /// and the source. The publisher stays the caller's: dispose it after the service has stopped.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names the configuration key.</exception>
    public static IngestService Start(IngestOptions options, INotificationSource source, IDeviceAdmission admission,
        SpoolOptions spool, IBatchPublisher publisher, BatchEncodingOptions? encoding = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(admission);
        ArgumentNullException.ThrowIfNull(spool);
        ArgumentNullException.ThrowIfNull(publisher);
        options.Validate();
        encoding ??= BatchEncodingOptions.Default;
        encoding.Validate();
        if (options.RequireReceipts)
        {
            spool = spool with { ReleaseMode = SpoolReleaseMode.PlatformReceipt };
        }

        var stateDirectory = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(spool.Directory)) ?? ".", "state");
        var ledger = ServiceLedger.Open(stateDirectory);
        SegmentSpool openedSpool;
        try
        {
#pragma warning disable CA2000 // The service owns the spool from here and disposes it when it stops.
            openedSpool = SegmentSpool.Open(spool);
#pragma warning restore CA2000
        }
        catch
        {
            ledger.Close();
            throw;
        }

        var service = new IngestService(options, source, admission, openedSpool, ledger, publisher, encoding, time ?? TimeProvider.System);
        service.StartStages();
        return service;
    }

    /// <summary>What the spool's recovery found at start.</summary>
    public SpoolRecoveryReport Recovery => _spool.Recovery;

    /// <summary>What was wrong with the service ledger at start (it was set aside), or null.</summary>
    public string? LedgerProblem => _ledger.Problem;

    /// <summary>The meter's counters, for tests and harnesses in this process.</summary>
    internal IngestMetrics Metrics => _metrics;

    /// <summary>Completes when the service has stopped: normally after <see cref="StopAsync"/>, or faulted when a stage failed (the spool's disk, the source).</summary>
    public Task Completion => _completion.Task;

    /// <summary>
    /// Stops intake, seals and spools every open batch, publishes what the destination takes within
    /// <see cref="IngestOptions.ShutdownGrace"/> (the rest stays spooled for the next start) and closes the spool.
    /// Idempotent; completes when everything is closed (also when the service failed: see <see cref="Completion"/>).
    /// </summary>
    public Task StopAsync()
    {
        lock (_stopLock)
        {
            return _stopping ??= Task.Run(StopCoreAsync);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _metrics.Dispose();
        _intakeStop.Dispose();
        _publishStop.Dispose();
    }

    private void StartStages()
    {
        PrepareFromLedger();
        _sourceTask = Task.Run(() => _source.RunAsync(_intakeStop.Token));
        _decodeTask = Task.Run(DecodeLoopAsync);
        _spoolTask = Task.Run(SpoolLoopAsync);
        _publishTask = Task.Run(() => PublishLoopAsync(_publishStop.Token));
        _receiptTask = Task.Run(() => ReceiptLoopAsync(_publishStop.Token));
        _releaseTask = Task.Run(ReleaseLoopAsync);
        _ = WatchForFailureAsync();
    }

    /// <summary>A stage that fails stops the whole service (intake first, so nothing more is accepted).</summary>
    private async Task WatchForFailureAsync()
    {
        var stages = new[] { _sourceTask, _decodeTask, _spoolTask, _publishTask, _receiptTask, _releaseTask };
        while (true)
        {
            var done = await Task.WhenAny(stages).ConfigureAwait(false);
            if (done.IsFaulted)
            {
                Fail(done.Exception!.InnerException ?? done.Exception);
                return;
            }

            stages = Array.FindAll(stages, t => t != done);
            if (stages.Length == 0)
            {
                return;
            }
        }
    }

    private void Fail(Exception exception)
    {
        _failure ??= exception switch
        {
            SpoolFaultedException => "the spool's disk failed: " + exception.Message + " (nothing after the last durable batch was accepted; fix the disk and restart)",
            _ => exception.GetType().Name + ": " + exception.Message,
        };

        // Stop everything (intake first, so nothing more is accepted); Completion then faults with the failure, which is
        // what a host waits on to exit and be restarted by its service manager.
        _ = StopAsync();
    }

    private async Task StopCoreAsync()
    {
        Exception? failure = null;
        _intakeStop.Cancel();
        try
        {
            // The source completes its channels; the decode loop drains them, seals every open batch and completes the
            // append channel; the spool stage then has every batch durable (or the spool failed). A full spool with no
            // way out (the destination is down) would hold them forever: after the grace period the spool is closed,
            // which fails the appends still waiting for space; those batches were never accepted and are counted.
            var sealAndSpool = Task.WhenAll(Await(_sourceTask), Await(_decodeTask), Await(_spoolTask));
            if (await Task.WhenAny(sealAndSpool, Task.Delay(_options.ShutdownGrace, _time)).ConfigureAwait(false) != sealAndSpool)
            {
                _stopForced = true;
                await _spool.DisposeAsync().ConfigureAwait(false);
                await sealAndSpool.ConfigureAwait(false);
            }

            // Publish what the destination takes within the grace period; the rest stays spooled for the next start.
            var deadline = _time.GetTimestamp();
            while (_failure is null && UnpublishedBacklog() > 0 && _time.GetElapsedTime(deadline) < _options.ShutdownGrace)
            {
                RequestReleaseFlush();
                await Task.Delay(TimeSpan.FromMilliseconds(20), _time).ConfigureAwait(false);
            }

            await _publishStop.CancelAsync().ConfigureAwait(false);
            await Await(_publishTask).ConfigureAwait(false);
            await Await(_receiptTask).ConfigureAwait(false);
            _releaseStopping = true;
            RequestReleaseFlush();
            await Await(_releaseTask).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            failure = ex;
        }
        finally
        {
            try
            {
                await _spool.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (failure is null)
            {
                failure = ex;
            }

            DisposeStreams();
            _quarantine.Dispose();
            _ledger.Close();
        }

        if (_failure is not null || failure is not null)
        {
            _completion.TrySetException(new IngestFailedException(_failure ?? failure!.Message, failure));
        }
        else
        {
            _completion.TrySetResult();
        }
    }

    private async Task Await(Task stage)
    {
        try
        {
            await stage.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Fail(ex);
        }
        catch (OperationCanceledException)
        {
            // A stage stopped by its token.
        }
    }

    private long NowNs() => HubTime.NowNs(_time);

    /// <summary>One sealed batch whose fsync is outstanding.</summary>
    private readonly record struct PendingAppend(ValueTask<SpoolPosition> Durable, string Stream, long Sequence);
}

/// <summary>The service stopped because a stage failed; the message says which and what to do.</summary>
public sealed class IngestFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IngestFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public IngestFailedException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public IngestFailedException(string message)
        : base(message)
    {
    }
}
