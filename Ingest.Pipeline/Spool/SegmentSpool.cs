using System.Buffers;
using System.Runtime.CompilerServices;
using Ingest.Pipeline.Batching;

namespace Ingest.Pipeline.Spool;

/// <summary>
/// The durability point (issue 9): an append-only log of sealed batches in segment files, group-committed with
/// fdatasync. <see cref="AppendAsync"/> completes only after the record's group is durable; only then may the
/// caller consume the batch's sequence number. See docs/wire/spool.md and docs/adr/0007-spool-segment-log.md.
/// <para>
/// Thread safety: every member may be called concurrently. One background loop owns all writes, syncs,
/// checkpoints and reclaiming; readers read committed records concurrently with it.
/// </para>
/// </summary>
internal sealed partial class SegmentSpool : IAsyncDisposable
{
    internal const string CheckpointName = "checkpoint";
    internal const string CheckpointTempName = "checkpoint.tmp";
    internal const string QuarantineDirectory = "quarantine";
    internal const string SegmentSuffix = ".seg";

    private readonly Lock _lock = new();
    private readonly SpoolOptions _options;
    private readonly ISpoolStorage _storage;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly SortedDictionary<long, Segment> _segments = [];
    private readonly Queue<Segment> _pool = new();
    private readonly List<IndexEntry> _index = [];
    private List<PendingAppend> _pending = [];
    private int _indexHead;
    private long _pendingBytes;
    private long _usedBytes;
    private Segment? _active;
    private long _nextRecordNumber;
    private long _nextSegmentNumber;
    private long _releasedBelow;
    private long _durableReleasedBelow;
    private long _lastCheckpointTicks;
    private int _spaceWaiters;
    private bool _isFull;
    private bool _disposed;
    private Exception? _fault;
    private TaskCompletionSource _committed = NewSignal();
    private TaskCompletionSource _space = NewSignal();
    private Task _loop = Task.CompletedTask;

    private long _appendedRecords;
    private long _appendedPayloadBytes;
    private long _writtenRecordBytes;
    private long _commitGroups;
    private long _dataSyncs;
    private long _directorySyncs;
    private long _checkpoints;
    private long _checkpointFailures;
    private long _fullEvents;
    private long _segmentsRecycled;
    private long _segmentsDeleted;

    private SegmentSpool(SpoolOptions options, ISpoolStorage storage)
    {
        _options = options;
        _storage = storage;
        Recovery = new SpoolRecoveryReport();
    }

    /// <summary>What recovery found at open.</summary>
    public SpoolRecoveryReport Recovery { get; }

    /// <summary>The options in force.</summary>
    public SpoolOptions Options => _options;

    /// <summary>True while appends wait for released space (intake should pause).</summary>
    public bool IsFull
    {
        get
        {
            lock (_lock)
            {
                return _isFull;
            }
        }
    }

    /// <summary>The write or sync failure that faulted the spool, if any.</summary>
    public Exception? Fault
    {
        get
        {
            lock (_lock)
            {
                return _fault;
            }
        }
    }

    /// <summary>A snapshot of the counters.</summary>
    public SpoolStatistics Statistics
    {
        get
        {
            lock (_lock)
            {
                return new SpoolStatistics(
                    _appendedRecords, _appendedPayloadBytes, _writtenRecordBytes, _commitGroups, _dataSyncs, _directorySyncs,
                    _checkpoints, _checkpointFailures, _fullEvents, _isFull, _usedBytes + _pendingBytes,
                    _index.Count - _indexHead - CountReleasedInIndex(), _segmentsRecycled, _segmentsDeleted);
            }
        }
    }

    /// <summary>Opens (recovering what is on disk) the spool in <see cref="SpoolOptions.Directory"/> on the real disk.</summary>
    public static SegmentSpool Open(SpoolOptions options) =>
        Open(options, new FileSpoolStorage((options ?? throw new ArgumentNullException(nameof(options))).Directory));

    /// <summary>Opens the spool over <paramref name="storage"/>: recovery runs before this returns.</summary>
    public static SegmentSpool Open(SpoolOptions options, ISpoolStorage storage)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        options.Validate();
        var spool = new SegmentSpool(options, storage);
        try
        {
            spool.Recover();
        }
        catch
        {
            spool.CloseFiles();
            throw;
        }

        spool._loop = Task.Run(spool.RunAsync);
        return spool;
    }

    /// <summary>
    /// Appends one sealed batch and completes once it is durable (its group's fdatasync succeeded). Waits while the
    /// spool is full. Cancellation is honoured only while waiting for space: once queued, the record will be written
    /// and this completes with its outcome. Throws <see cref="SpoolFaultedException"/> when a write or sync failed.
    /// </summary>
    public async ValueTask<SpoolPosition> AppendAsync(BatchIdentity identity, int rowCount, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        var length = SpoolRecordFormat.Measure(identity, payload.Length);
        if (length > _options.SegmentBytes)
        {
            throw new ArgumentException($"A record of {length} B does not fit a segment of {_options.SegmentBytes} B.", nameof(payload));
        }

        // Owner: the pending append; returned by the writer loop once the record's group is done (or failed).
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        PendingAppend pending;
        try
        {
            SpoolRecordFormat.Write(buffer, identity, rowCount, payload.Span);
            pending = new PendingAppend(buffer, length, payload.Length);
            await EnqueueAsync(pending, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        return await pending.Completion.Task.ConfigureAwait(false);
    }

    /// <summary>
    /// Releases a record after <paramref name="acknowledgement"/>; ignored when weaker than the configured
    /// <see cref="SpoolOptions.ReleaseMode"/>. Releases may come out of order; a checkpoint records the lowest
    /// unreleased record, so records released above a gap are published again after a crash (duplicates, never loss).
    /// </summary>
    public SpoolReleaseResult Release(SpoolPosition position, SpoolReleaseMode acknowledgement)
    {
        if (acknowledgement < _options.ReleaseMode)
        {
            return SpoolReleaseResult.IgnoredByReleaseMode;
        }

        lock (_lock)
        {
            var i = FindIndex(position.RecordNumber);
            if (i < 0)
            {
                return position.RecordNumber < _releasedBelow ? SpoolReleaseResult.AlreadyReleased : SpoolReleaseResult.Unknown;
            }

            var entry = _index[i];
            if (entry.Released)
            {
                return SpoolReleaseResult.AlreadyReleased;
            }

            entry.Released = true;
            var advanced = false;
            while (_indexHead < _index.Count && _index[_indexHead].Released)
            {
                _index[_indexHead] = null!;
                _indexHead++;
                advanced = true;
            }

            if (_indexHead > 1024 && _indexHead * 2 > _index.Count)
            {
                _index.RemoveRange(0, _indexHead);
                _indexHead = 0;
            }

            if (advanced)
            {
                _releasedBelow = _indexHead < _index.Count ? _index[_indexHead].RecordNumber : _nextRecordNumber;
                WakeLoop();
            }

            return SpoolReleaseResult.Released;
        }
    }

    /// <summary>
    /// Reads the unreleased records in order, from the oldest, then each newly committed one as it becomes durable;
    /// ends when the spool is disposed. Each call has its own cursor. Records released meanwhile are skipped.
    /// </summary>
    public IAsyncEnumerable<SpoolRecord> ReadAllAsync(CancellationToken cancellationToken = default) => ReadCore(cancellationToken);

    /// <summary>
    /// Writes a checkpoint now if releases advanced since the last one (and reclaims what it frees); completes after
    /// that attempt, successful or not (<see cref="SpoolStatistics.CheckpointFailures"/>).
    /// </summary>
    public Task CheckpointNowAsync(CancellationToken cancellationToken = default)
    {
        long attempts;
        lock (_lock)
        {
            attempts = _checkpointAttempts;
            _lastCheckpointTicks = 0;
            WakeLoop();
        }

        return WaitForCheckpointAsync(attempts, cancellationToken);
    }

    /// <summary>Writes what is queued, a final checkpoint, and closes the files. Waiting appends fail.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _space.TrySetResult();
            WakeLoop();
        }

        await _loop.ConfigureAwait(false);
        _stop.Dispose();
        _wake.Dispose();
        CloseFiles();
        lock (_lock)
        {
            _committed.TrySetResult();
        }
    }

    private async IAsyncEnumerable<SpoolRecord> ReadCore([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        long next = 0;
        while (true)
        {
            IndexEntry? entry = null;
            Task signal;
            lock (_lock)
            {
                var i = FindFirstAtOrAfter(next);
                for (; i < _index.Count; i++)
                {
                    if (!_index[i].Released)
                    {
                        entry = _index[i];
                        break;
                    }
                }

                if (entry is null && _disposed)
                {
                    yield break;
                }

                signal = _committed.Task;
            }

            if (entry is null)
            {
                await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            next = entry.RecordNumber + 1;
            var record = ReadRecord(entry);
            if (record is not null)
            {
                yield return record;
            }
        }
    }

    private SpoolRecord? ReadRecord(IndexEntry entry)
    {
        var bytes = new byte[entry.Length];
        SpoolReadStatus status;
        SpoolRecordHeader header = default;
        try
        {
            var read = entry.Segment.File.Read(bytes, entry.Offset);
            status = read == bytes.Length ? SpoolRecordFormat.TryRead(bytes, entry.Segment.Number, out header) : SpoolReadStatus.NeedMoreData;
        }
        catch (ObjectDisposedException)
        {
            status = SpoolReadStatus.NeedMoreData; // the segment was reclaimed: the record was released meanwhile
        }

        if (status == SpoolReadStatus.Valid && header.RecordNumber == entry.RecordNumber)
        {
            return new SpoolRecord(
                new SpoolPosition(entry.RecordNumber, entry.Segment.Number, entry.Offset),
                SpoolRecordFormat.ReadIdentity(bytes, header),
                header.RowCount,
                // The record's bytes were read into an array of its own: the payload is a slice of it, not a second copy.
                SpoolRecordFormat.Payload(bytes.AsMemory(), header));
        }

        lock (_lock)
        {
            if (entry.Released)
            {
                return null;
            }
        }

        throw new SpoolCorruptionException(
            $"Record {entry.RecordNumber} in segment {entry.Segment.Number} at {entry.Offset} no longer reads back ({status}).");
    }

    private async Task EnqueueAsync(PendingAppend pending, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task space;
            lock (_lock)
            {
                ThrowIfUnusable();
                if (_usedBytes + _pendingBytes + pending.Length <= _options.MaxTotalBytes)
                {
                    _pending.Add(pending);
                    _pendingBytes += pending.Length;
                    if (_spaceWaiters == 0)
                    {
                        _isFull = false;
                    }

                    WakeLoop();
                    return;
                }

                if (!_isFull)
                {
                    _isFull = true;
                    _fullEvents++;
                }

                _spaceWaiters++;
                space = _space.Task;
                WakeLoop(); // a full spool checkpoints at once so released segments can be reclaimed
            }

            try
            {
                await space.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    _spaceWaiters--;
                }
            }
        }
    }

    private void ThrowIfUnusable()
    {
        if (_fault is not null)
        {
            throw new SpoolFaultedException("The spool faulted on a write or sync and accepts no appends until reopened.", _fault);
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
    }

    private async Task WaitForCheckpointAsync(long attemptsBefore, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_lock)
            {
                if (_durableReleasedBelow >= _releasedBelow || _checkpointAttempts > attemptsBefore || _disposed)
                {
                    return;
                }

                signal = _committed.Task;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private void WakeLoop()
    {
        // Called under _lock, so the count check and release do not race.
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private int FindIndex(long recordNumber)
    {
        var i = FindFirstAtOrAfter(recordNumber);
        return i < _index.Count && _index[i].RecordNumber == recordNumber ? i : -1;
    }

    private int FindFirstAtOrAfter(long recordNumber)
    {
        int lo = _indexHead, hi = _index.Count;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (_index[mid].RecordNumber < recordNumber)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private int CountReleasedInIndex()
    {
        var n = 0;
        for (var i = _indexHead; i < _index.Count; i++)
        {
            if (_index[i].Released)
            {
                n++;
            }
        }

        return n;
    }

    private void CloseFiles()
    {
        lock (_lock)
        {
            foreach (var segment in _segments.Values)
            {
                segment.File.Dispose();
            }

            foreach (var segment in _pool)
            {
                segment.File.Dispose();
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal static string SegmentName(long number) => number.ToString("D16", System.Globalization.CultureInfo.InvariantCulture) + SegmentSuffix;

    private sealed class Segment(long number, ISpoolFile file)
    {
        public long Number { get; set; } = number;

        public ISpoolFile File { get; } = file;

        /// <summary>End of the valid data: where the next group is written.</summary>
        public long Offset { get; set; }

        /// <summary>The highest record number in this segment, −1 when none.</summary>
        public long LastRecordNumber { get; set; } = -1;
    }

    private sealed class IndexEntry(long recordNumber, Segment segment, long offset, int length)
    {
        public long RecordNumber { get; } = recordNumber;

        public Segment Segment { get; } = segment;

        public long Offset { get; } = offset;

        public int Length { get; } = length;

        public bool Released { get; set; }
    }

    private sealed class PendingAppend(byte[] buffer, int length, int payloadLength)
    {
        public byte[] Buffer { get; } = buffer;

        public int Length { get; } = length;

        public int PayloadLength { get; } = payloadLength;

        public long EnqueuedTicks { get; } = Environment.TickCount64;

        public TaskCompletionSource<SpoolPosition> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
