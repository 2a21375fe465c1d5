using System.Buffers;
using System.Buffers.Binary;

namespace Ingest.Pipeline.Spool;

/// <summary>The background loop: group commit, segment rotation, checkpoints and reclaiming.</summary>
internal sealed partial class SegmentSpool
{
    internal const uint CheckpointMagic = 0x4B435357; // "WSCK"
    internal const byte CheckpointVersion = 1;
    internal const int CheckpointBytes = 32;

    private long _checkpointAttempts;

    private async Task RunAsync()
    {
        while (true)
        {
            bool stopping;
            bool hasPending;
            long waitMs;
            lock (_lock)
            {
                stopping = _disposed;
                hasPending = _pending.Count > 0 && _fault is null;
                waitMs = hasPending
                    ? (long)_options.CommitWindow.TotalMilliseconds - (Environment.TickCount64 - _pending[0].EnqueuedTicks)
                    : Timeout.Infinite;
                if (hasPending && _pendingBytes >= _options.CommitBytes)
                {
                    waitMs = 0;
                }
            }

            if (hasPending && (waitMs <= 0 || stopping))
            {
                WriteGroup();
                MaybeCheckpoint(force: false);
                continue;
            }

            MaybeCheckpoint(force: stopping);
            if (stopping)
            {
                return;
            }

            if (!hasPending)
            {
                waitMs = CheckpointWaitMilliseconds();
            }

            await _wake.WaitAsync(TimeSpan.FromMilliseconds(waitMs < 0 ? Timeout.Infinite : waitMs)).ConfigureAwait(false);
        }
    }

    private long CheckpointWaitMilliseconds()
    {
        lock (_lock)
        {
            if (_releasedBelow <= _durableReleasedBelow)
            {
                return Timeout.Infinite;
            }

            var elapsed = Environment.TickCount64 - _lastCheckpointTicks;
            return Math.Max(1, (long)_options.CheckpointInterval.TotalMilliseconds - elapsed);
        }
    }

    private void WriteGroup()
    {
        PendingAppend first;
        lock (_lock)
        {
            first = _pending[0];
        }

        List<PendingAppend> group;
        Segment segment;
        try
        {
            segment = _active is { } active && (active.Offset == 0 || active.Offset + first.Length <= _options.SegmentBytes)
                ? active
                : Rotate();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            FaultAndFail(ex, []);
            return;
        }

        var total = 0;
        lock (_lock)
        {
            var room = _options.SegmentBytes - segment.Offset;
            var n = 0;
            while (n < _pending.Count && (n == 0 || total + _pending[n].Length <= room))
            {
                total += _pending[n].Length;
                n++;
            }

            group = _pending.GetRange(0, n);
            _pending.RemoveRange(0, n);
        }

        // Owner: this method; kept until the group's fdatasync has returned, returned on every path.
        var buffer = ArrayPool<byte>.Shared.Rent(total);
        try
        {
            var at = 0;
            var recordNumber = _nextRecordNumber; // only this loop changes it
            foreach (var item in group)
            {
                var record = buffer.AsSpan(at, item.Length);
                item.Buffer.AsSpan(0, item.Length).CopyTo(record);
                SpoolRecordFormat.Patch(record, segment.Number, recordNumber++);
                at += item.Length;
            }

            try
            {
                segment.File.Write(buffer.AsSpan(0, total), segment.Offset);
                segment.File.SyncData();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ObjectDisposedException)
            {
                // Never retried: after a failed fsync the kernel may have dropped the dirty pages and a second
                // fsync would report success for data that is not on disk.
                FaultAndFail(ex, group);
                return;
            }

            CompleteGroup(group, segment, total);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            foreach (var item in group)
            {
                ArrayPool<byte>.Shared.Return(item.Buffer);
            }
        }
    }

    private void CompleteGroup(List<PendingAppend> group, Segment segment, int total)
    {
        var positions = new SpoolPosition[group.Count];
        TaskCompletionSource committed;
        lock (_lock)
        {
            var offset = segment.Offset;
            for (var i = 0; i < group.Count; i++)
            {
                var number = _nextRecordNumber++;
                _index.Add(new IndexEntry(number, segment, offset, group[i].Length));
                positions[i] = new SpoolPosition(number, segment.Number, offset);
                offset += group[i].Length;
                _appendedPayloadBytes += group[i].PayloadLength;
            }

            segment.Offset = offset;
            segment.LastRecordNumber = _nextRecordNumber - 1;
            _pendingBytes -= total;
            _usedBytes += total;
            _appendedRecords += group.Count;
            _writtenRecordBytes += total;
            _commitGroups++;
            _dataSyncs++;
            if (_indexHead == _index.Count - group.Count)
            {
                // Everything before this group was released: the watermark was the old next record number.
                _releasedBelow = positions[0].RecordNumber;
            }

            committed = _committed;
            _committed = NewSignal();
        }

        committed.TrySetResult();
        for (var i = 0; i < group.Count; i++)
        {
            group[i].Completion.TrySetResult(positions[i]);
        }
    }

    private Segment Rotate()
    {
        var number = _nextSegmentNumber;
        var name = SegmentName(number);
        Segment? recycled;
        lock (_lock)
        {
            _pool.TryDequeue(out recycled);
        }

        Segment segment;
        if (recycled is not null)
        {
            try
            {
                _storage.Rename(SegmentName(recycled.Number), name);
            }
            catch
            {
                recycled.File.Dispose();
                throw;
            }

            segment = new Segment(number, recycled.File);
        }
        else
        {
            segment = new Segment(number, _storage.Open(name, create: true));
        }

        lock (_lock)
        {
            // Registered before the directory sync so that a failure still closes its file at dispose.
            _segments.Add(number, segment);
            _nextSegmentNumber = number + 1;
            if (recycled is not null)
            {
                _segmentsRecycled++;
            }
        }

        // The new name must be durable before any record in it is acknowledged.
        _storage.SyncDirectory();
        lock (_lock)
        {
            _directorySyncs++;
            _active = segment;
        }

        return segment;
    }

    private void FaultAndFail(Exception ex, List<PendingAppend> group)
    {
        List<PendingAppend> rest;
        lock (_lock)
        {
            _fault ??= ex;
            rest = _pending;
            _pending = [];
            _pendingBytes = 0;
            _space.TrySetResult();
            _committed.TrySetResult();
        }

        var error = new SpoolFaultedException("A spool write or sync failed; the outcome of these appends is unknown and the spool must be reopened.", ex);
        foreach (var item in group)
        {
            item.Completion.TrySetException(error);
        }

        foreach (var item in rest)
        {
            item.Completion.TrySetException(error);
            ArrayPool<byte>.Shared.Return(item.Buffer);
        }
    }

    private void MaybeCheckpoint(bool force)
    {
        long target;
        long nextSegment;
        lock (_lock)
        {
            target = _releasedBelow;
            nextSegment = _nextSegmentNumber;
            if (target <= _durableReleasedBelow)
            {
                return;
            }

            var due = force
                || _spaceWaiters > 0
                || Environment.TickCount64 - _lastCheckpointTicks >= (long)_options.CheckpointInterval.TotalMilliseconds;
            if (!due)
            {
                return;
            }
        }

        var ok = true;
        try
        {
            WriteCheckpoint(target, nextSegment);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Not trusted and not retried on the same file: the next attempt writes a fresh temporary file.
            ok = false;
        }

        TaskCompletionSource committed;
        lock (_lock)
        {
            _checkpointAttempts++;
            _lastCheckpointTicks = Environment.TickCount64;
            if (ok)
            {
                _durableReleasedBelow = target;
                _checkpoints++;
                _dataSyncs++;
                _directorySyncs++;
            }
            else
            {
                _checkpointFailures++;
            }
        }

        if (ok)
        {
            Reclaim();
        }

        lock (_lock)
        {
            committed = _committed;
            _committed = NewSignal();
        }

        committed.TrySetResult();
    }

    private void WriteCheckpoint(long releasedBelow, long nextSegment)
    {
        Span<byte> bytes = stackalloc byte[CheckpointBytes];
        EncodeCheckpoint(bytes, releasedBelow, nextSegment);
        if (_storage.Exists(CheckpointTempName))
        {
            _storage.Delete(CheckpointTempName);
        }

        using (var file = _storage.Open(CheckpointTempName, create: true))
        {
            file.Write(bytes, 0);
            file.SyncData();
        }

        _storage.Rename(CheckpointTempName, CheckpointName);
        _storage.SyncDirectory();
    }

    internal static void EncodeCheckpoint(Span<byte> destination, long releasedBelow, long nextSegment)
    {
        destination[..CheckpointBytes].Clear();
        BinaryPrimitives.WriteUInt32LittleEndian(destination, CheckpointMagic);
        destination[4] = CheckpointVersion;
        BinaryPrimitives.WriteInt64LittleEndian(destination[8..], releasedBelow);
        BinaryPrimitives.WriteInt64LittleEndian(destination[16..], nextSegment);
        BinaryPrimitives.WriteUInt32LittleEndian(destination[28..], SpoolCrc.Compute(destination[..28]));
    }

    internal static bool TryDecodeCheckpoint(ReadOnlySpan<byte> data, out long releasedBelow, out long nextSegment)
    {
        releasedBelow = 0;
        nextSegment = 0;
        if (data.Length != CheckpointBytes
            || BinaryPrimitives.ReadUInt32LittleEndian(data) != CheckpointMagic
            || data[4] != CheckpointVersion
            || BinaryPrimitives.ReadUInt32LittleEndian(data[28..]) != SpoolCrc.Compute(data[..28]))
        {
            return false;
        }

        releasedBelow = BinaryPrimitives.ReadInt64LittleEndian(data[8..]);
        nextSegment = BinaryPrimitives.ReadInt64LittleEndian(data[16..]);
        return releasedBelow >= 0 && nextSegment >= 0;
    }

    private void Reclaim()
    {
        var delete = new List<Segment>();
        lock (_lock)
        {
            var reclaimed = new List<Segment>();
            foreach (var segment in _segments.Values)
            {
                if (segment != _active && segment.LastRecordNumber < _durableReleasedBelow)
                {
                    reclaimed.Add(segment);
                }
            }

            foreach (var segment in reclaimed)
            {
                _segments.Remove(segment.Number);
                _usedBytes -= segment.Offset;
                if (_pool.Count < _options.RecyclePoolSegments)
                {
                    _pool.Enqueue(segment);
                }
                else
                {
                    delete.Add(segment);
                }
            }

            if (reclaimed.Count > 0)
            {
                var space = _space;
                _space = NewSignal();
                space.TrySetResult();
            }
        }

        foreach (var segment in delete)
        {
            segment.File.Dispose();
            try
            {
                _storage.Delete(SegmentName(segment.Number));
                lock (_lock)
                {
                    _segmentsDeleted++;
                }
            }
            catch (IOException)
            {
                // Left in place: recovery finds it fully released and reclaims it again.
            }
        }
    }
}
