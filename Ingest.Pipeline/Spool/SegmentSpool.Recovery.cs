using System.Buffers;
using System.Globalization;

namespace Ingest.Pipeline.Spool;

/// <summary>
/// Startup recovery: read everything first, then quarantine, then truncate the torn tail. Corrupt records are
/// skipped forward past (stopping at the first bad record would drop acknowledged records after it).
/// </summary>
internal sealed partial class SegmentSpool
{
    private void Recover()
    {
        var report = Recovery;
        _storage.CreateDirectory(QuarantineDirectory);
        var numbers = new List<long>();
        var checkpointPresent = false;
        foreach (var name in _storage.ListFiles())
        {
            if (TryParseSegmentName(name, out var number))
            {
                numbers.Add(number);
            }
            else if (name == CheckpointName)
            {
                checkpointPresent = true;
            }
            else if (name == CheckpointTempName)
            {
                // A checkpoint write that never reached its rename: not data, and rewritten from scratch each time.
                _storage.Delete(CheckpointTempName);
            }
            else
            {
                report.UnknownFiles.Add(name);
            }
        }

        numbers.Sort();
        long releasedBelow = 0;
        long nextSegment = 0;
        if (checkpointPresent)
        {
            using var file = _storage.Open(CheckpointName, create: false);
            Span<byte> bytes = stackalloc byte[CheckpointBytes];
            var length = file.Length;
            var read = length == CheckpointBytes ? file.Read(bytes, 0) : 0;
            report.CheckpointValid = read == CheckpointBytes && TryDecodeCheckpoint(bytes, out releasedBelow, out nextSegment);
        }

        if (checkpointPresent && !report.CheckpointValid)
        {
            // Kept for inspection; every record is published again (duplicates, never loss).
            var name = $"{QuarantineDirectory}/checkpoint-{DateTime.UtcNow.Ticks.ToString(CultureInfo.InvariantCulture)}.bad";
            _storage.Rename(CheckpointName, name);
            report.QuarantineFiles.Add(name);
        }

        var quarantined = new List<(string Name, byte[] Bytes)>();
        long lastRecord = -1;
        long expectedUnreleased = releasedBelow;
        Segment? last = null;
        long lastValidEnd = 0;
        long lastLength = 0;
        long lastTailEnd = 0;
        for (var n = 0; n < numbers.Count; n++)
        {
            var number = numbers[n];
            if (n > 0)
            {
                for (var missing = numbers[n - 1] + 1; missing < number; missing++)
                {
                    report.MissingSegments.Add(missing);
                }
            }

            var name = SegmentName(number);
            var file = _storage.Open(name, create: false);
            var length = file.Length;
            if (length > SpoolLimits.MaxSegmentFileBytes)
            {
                // Not ours to read into memory; moved aside whole, never deleted.
                file.Dispose();
                var aside = $"{QuarantineDirectory}/{name}.oversize";
                _storage.Rename(name, aside);
                report.QuarantineFiles.Add(aside);
                report.QuarantinedRegions++;
                continue;
            }

            report.Segments++;
            var segment = new Segment(number, file);
            _segments.Add(number, segment);
            var (validEnd, tailEnd) = ScanSegment(segment, (int)length, releasedBelow, ref lastRecord, ref expectedUnreleased, quarantined);
            segment.Offset = length;
            _usedBytes += length;
            last = segment;
            lastValidEnd = validEnd;
            lastTailEnd = tailEnd;
            lastLength = length;
        }

        foreach (var (name, bytes) in quarantined)
        {
            using var file = _storage.Open(name, create: true);
            file.SetLength(0);
            file.Write(bytes, 0);
            file.SyncData();
        }

        if (last is not null && lastValidEnd < lastTailEnd)
        {
            // Torn tail of the last segment: never acknowledged (its group's fdatasync did not return), unless a
            // bit flipped in the last record; kept either way. Stale records of a recycled file after it are not.
            var tail = new byte[lastTailEnd - lastValidEnd];
            last.File.Read(tail, lastValidEnd);
            var name = QuarantineName(last.Number, lastValidEnd, "tail");
            using (var file = _storage.Open(name, create: true))
            {
                file.SetLength(0);
                file.Write(tail, 0);
                file.SyncData();
            }

            report.QuarantineFiles.Add(name);
            quarantined.Add((name, tail));
        }

        if (last is not null)
        {
            // Cut, so that new records are never followed by valid-looking ones of the torn group.
            report.TornTailBytes = lastLength - lastValidEnd;
        }

        if (quarantined.Count > 0)
        {
            _storage.SyncDirectory(QuarantineDirectory);
        }

        if (last is not null)
        {
            if (lastValidEnd < lastLength)
            {
                last.File.SetLength(lastValidEnd);
                last.File.SyncData();
                _usedBytes -= lastLength - lastValidEnd;
            }

            last.Offset = lastValidEnd;
            _active = last;
        }

        _nextSegmentNumber = Math.Max(nextSegment, numbers.Count > 0 ? numbers[^1] + 1 : 0);
        _nextRecordNumber = Math.Max(lastRecord + 1, releasedBelow);
        _releasedBelow = _index.Count > 0 ? _index[0].RecordNumber : _nextRecordNumber;
        _durableReleasedBelow = Math.Min(releasedBelow, _releasedBelow);
        report.RecordsRecovered = _index.Count;

        // Created (or rewritten) now, while there is space: a checkpoint created lazily may meet a full disk.
        WriteCheckpoint(_releasedBelow, _nextSegmentNumber);
        _durableReleasedBelow = _releasedBelow;
        _lastCheckpointTicks = Environment.TickCount64;
        Reclaim();
    }

    /// <summary>
    /// Scans one segment; returns the end of its last valid record and the end of what follows it before stale
    /// records of a recycled file (or the file's end), capped at one record.
    /// </summary>
    private (long ValidEnd, long TailEnd) ScanSegment(Segment segment, int length, long releasedBelow, ref long lastRecord, ref long expectedUnreleased, List<(string Name, byte[] Bytes)> quarantined)
    {
        var report = Recovery;
        // Owner: this method; the whole segment is read first (≤ SpoolLimits.MaxSegmentFileBytes, checked by the caller).
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(length, 1));
        try
        {
            var data = buffer.AsSpan(0, segment.File.Read(buffer.AsSpan(0, length), 0));
            var offset = 0;
            var validEnd = 0;
            while (offset < data.Length)
            {
                var status = SpoolRecordFormat.TryRead(data[offset..], segment.Number, out var header);
                if (status == SpoolReadStatus.Valid && header.RecordNumber > lastRecord)
                {
                    Accept(segment, offset, header, data.Slice(offset, header.TotalLength), releasedBelow, ref expectedUnreleased);
                    lastRecord = header.RecordNumber;
                    segment.LastRecordNumber = header.RecordNumber;
                    offset += header.TotalLength;
                    validEnd = offset;
                    continue;
                }

                if (status is SpoolReadStatus.OtherSegment or SpoolReadStatus.Valid)
                {
                    break; // stale bytes of a recycled file (or numbers going back): the end of this segment's data
                }

                var next = FindNextValid(data, offset + 1, segment.Number, lastRecord);
                if (next < 0)
                {
                    break; // nothing valid follows: a torn tail
                }

                var name = QuarantineName(segment.Number, offset, "bad");
                quarantined.Add((name, data[offset..next].ToArray()));
                report.QuarantineFiles.Add(name);
                if (status == SpoolReadStatus.BadBody && offset + header.TotalLength == next)
                {
                    report.QuarantinedRecords++;
                    report.QuarantinedSamples += header.RowCount;
                }
                else
                {
                    report.QuarantinedRegions++;
                }

                offset = next;
                validEnd = offset;
            }

            var tailEnd = data.Length;
            if (validEnd < data.Length)
            {
                var stale = FindNextStale(data, validEnd);
                tailEnd = (int)Math.Min(stale < 0 ? data.Length : stale, (long)validEnd + SpoolLimits.MaxRecordBytes);
            }

            return (validEnd, tailEnd);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Accept(Segment segment, int offset, in SpoolRecordHeader header, ReadOnlySpan<byte> record, long releasedBelow, ref long expectedUnreleased)
    {
        var identity = SpoolRecordFormat.ReadIdentity(record, header);
        var key = (identity.Hub, identity.Stream);
        var nextSequence = header.Sequence + 1;
        if (!Recovery.NextSequences.TryGetValue(key, out var known) || known < nextSequence)
        {
            Recovery.NextSequences[key] = nextSequence;
        }

        if (header.RecordNumber < releasedBelow)
        {
            Recovery.RecordsAlreadyReleased++;
            return;
        }

        if (header.RecordNumber != expectedUnreleased)
        {
            Recovery.RecordNumberGaps++;
        }

        expectedUnreleased = header.RecordNumber + 1;
        _index.Add(new IndexEntry(header.RecordNumber, segment, offset, header.TotalLength));
    }

    /// <summary>The offset of the next record of this segment that is valid and numbered after <paramref name="lastRecord"/>, or −1.</summary>
    private static int FindNextValid(ReadOnlySpan<byte> data, int from, long segment, long lastRecord)
    {
        ReadOnlySpan<byte> magic = [0x57, 0x53, 0x50, 0x4C]; // SpoolRecordFormat.Magic, little-endian
        var at = from;
        while (at < data.Length)
        {
            var hit = data[at..].IndexOf(magic);
            if (hit < 0)
            {
                return -1;
            }

            at += hit;
            if (SpoolRecordFormat.TryRead(data[at..], segment, out var header) == SpoolReadStatus.Valid && header.RecordNumber > lastRecord)
            {
                return at;
            }

            at++;
        }

        return -1;
    }

    /// <summary>The offset of the first checksum-valid record of another segment at or after <paramref name="from"/>, or −1.</summary>
    private static int FindNextStale(ReadOnlySpan<byte> data, int from)
    {
        ReadOnlySpan<byte> magic = [0x57, 0x53, 0x50, 0x4C];
        var at = from;
        while (at < data.Length)
        {
            var hit = data[at..].IndexOf(magic);
            if (hit < 0)
            {
                return -1;
            }

            at += hit;
            if (SpoolRecordFormat.TryRead(data[at..], -1, out _) == SpoolReadStatus.OtherSegment)
            {
                return at;
            }

            at++;
        }

        return -1;
    }

    private static string QuarantineName(long segment, long offset, string kind) =>
        string.Create(CultureInfo.InvariantCulture, $"{QuarantineDirectory}/{segment:D16}-{offset:D10}.{kind}");

    internal static bool TryParseSegmentName(string name, out long number)
    {
        number = 0;
        return name.Length == 16 + SegmentSuffix.Length
            && name.EndsWith(SegmentSuffix, StringComparison.Ordinal)
            && long.TryParse(name.AsSpan(0, 16), NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }
}
