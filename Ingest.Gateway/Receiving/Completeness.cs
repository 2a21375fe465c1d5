using System.Globalization;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// Completeness of a stream = received samples ÷ (nominal rate × connected seconds). Connected seconds are the stream's
/// span (first to last hub_time, plus one sample period, since each sample stands for one period) minus the time the
/// device's gaps stream says it was not connected (disconnected, hub down) within that span. Intake paused and frames
/// lost are losses while connected: they stay in the expected count, so they lower completeness, and the gap rows say
/// why. Without a gaps stream the whole span counts. docs/receiver.md explains it for data engineers.
/// </summary>
internal static class Completeness
{
    /// <summary>Missing ranges listed per stream in reports; the count covers the rest.</summary>
    public const int MaximumRangesListed = 32;

    public static StreamReport Of(StreamLedger stream, IReadOnlyList<GapInterval> gaps)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(gaps);
        var hasRows = stream.Rows > 0 && stream.LastHubTimeNs >= stream.FirstHubTimeNs;
        var period = stream.NominalRateHz is { } rate ? (long)Math.Round(1e9 / rate) : 0L;
        var spanEnd = hasRows ? stream.LastHubTimeNs + period : 0;
        var spanNs = hasRows ? spanEnd - stream.FirstHubTimeNs : 0;
        var gapNs = hasRows ? Overlap([.. gaps.Where(g => !IsLossWhileConnected(g.Reason))], stream.FirstHubTimeNs, spanEnd) : 0;
        var connected = Math.Max(0, spanNs - gapNs) / 1e9;
        double? expected = stream.NominalRateHz is { } hz && hasRows ? hz * connected : null;
        var missing = stream.Missing();
        var ranges = new List<string>(Math.Min(missing.Count, MaximumRangesListed));
        foreach (var range in missing)
        {
            if (ranges.Count == MaximumRangesListed)
            {
                break;
            }

            ranges.Add(range.First == range.Last ? range.First.ToString(CultureInfo.InvariantCulture)
                : string.Create(CultureInfo.InvariantCulture, $"{range.First}-{range.Last}"));
        }

        return new StreamReport
        {
            Hub = stream.Hub,
            Stream = stream.Stream,
            Study = stream.Study,
            Participant = stream.Participant,
            Device = stream.Device,
            StreamId = stream.StreamId,
            NominalRateHz = stream.NominalRateHz,
            Batches = stream.Batches,
            Rows = stream.Rows,
            Duplicates = stream.Duplicates,
            Conflicts = stream.Conflicts,
            HighestSequence = stream.Sequences.Count > 0 ? stream.Sequences[^1].Last : -1,
            MissingSequences = stream.MissingCount(),
            MissingRanges = ranges,
            FirstHubTime = hasRows ? BatchInspector.Time(stream.FirstHubTimeNs) : string.Empty,
            LastHubTime = hasRows ? BatchInspector.Time(stream.LastHubTimeNs) : string.Empty,
            SpanSeconds = spanNs / 1e9,
            GapSeconds = gapNs / 1e9,
            ConnectedSeconds = connected,
            ExpectedRows = expected,
            Completeness = expected is > 0 ? stream.Rows / expected : null,
        };
    }

    /// <summary>Gap reasons during which the device was connected and should have delivered: they count against completeness.</summary>
    internal static bool IsLossWhileConnected(string? reason) => reason is "intake-paused" or "frames-lost";

    /// <summary>Nanoseconds of [start, end) covered by the union of <paramref name="gaps"/>.</summary>
    internal static long Overlap(IReadOnlyList<GapInterval> gaps, long start, long end)
    {
        var clipped = new List<(long Start, long End)>(gaps.Count);
        foreach (var gap in gaps)
        {
            var from = Math.Max(gap.StartNs, start);
            var to = Math.Min(gap.EndNs, end);
            if (to > from)
            {
                clipped.Add((from, to));
            }
        }

        clipped.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        long total = 0, coveredUntil = long.MinValue;
        foreach (var (from, to) in clipped)
        {
            var effectiveStart = Math.Max(from, coveredUntil);
            if (to > effectiveStart)
            {
                total += to - effectiveStart;
                coveredUntil = to;
            }
        }

        return total;
    }
}
