using System.Text.Json.Serialization;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// What the receiver has landed of one stream (hub + stream key): sequences as merged ranges, rows, time span, duplicates and
/// conflicts, and for a gaps stream the intervals it reported. Persisted in <c>ledger.json</c> so a restarted receiver keeps
/// counting missing sequences and completeness where it left off. Mutated only by the receiver's one landing loop.
/// </summary>
internal sealed class StreamLedger
{
    public required string Hub { get; init; }

    public required string Stream { get; init; }

    public required string Study { get; set; }

    public required string Site { get; set; }

    public required string Participant { get; set; }

    public required string Device { get; set; }

    public required string StreamId { get; set; }

    public double? NominalRateHz { get; set; }

    public long Batches { get; set; }

    public long Rows { get; set; }

    public long Duplicates { get; set; }

    public long Conflicts { get; set; }

    public long FirstHubTimeNs { get; set; } = long.MaxValue;

    public long LastHubTimeNs { get; set; } = long.MinValue;

    /// <summary>Landed sequence numbers as sorted, disjoint, non-adjacent inclusive ranges.</summary>
    public List<SequenceRange> Sequences { get; init; } = [];

    /// <summary>For a gaps stream: the intervals without data it reported (start, end in Unix ns).</summary>
    public List<GapInterval> Gaps { get; init; } = [];

    /// <summary>True when <paramref name="sequence"/> was landed.</summary>
    public bool Contains(long sequence)
    {
        var index = Find(sequence);
        return index >= 0 && Sequences[index].First <= sequence && sequence <= Sequences[index].Last;
    }

    /// <summary>Records <paramref name="sequence"/>; false when it was already there.</summary>
    public bool Add(long sequence)
    {
        // Index of the last range starting at or before the sequence (or -1).
        var index = Find(sequence);
        if (index >= 0 && sequence <= Sequences[index].Last)
        {
            return false;
        }

        var joinsPrevious = index >= 0 && Sequences[index].Last == sequence - 1;
        var joinsNext = index + 1 < Sequences.Count && Sequences[index + 1].First == sequence + 1;
        if (joinsPrevious && joinsNext)
        {
            Sequences[index] = new SequenceRange(Sequences[index].First, Sequences[index + 1].Last);
            Sequences.RemoveAt(index + 1);
        }
        else if (joinsPrevious)
        {
            Sequences[index] = Sequences[index] with { Last = sequence };
        }
        else if (joinsNext)
        {
            Sequences[index + 1] = Sequences[index + 1] with { First = sequence };
        }
        else
        {
            Sequences.Insert(index + 1, new SequenceRange(sequence, sequence));
        }

        return true;
    }

    /// <summary>Sequences from 0 to the highest landed that never arrived, as inclusive ranges (sequences start at 0 without gaps).</summary>
    public List<SequenceRange> Missing()
    {
        var missing = new List<SequenceRange>();
        var expected = 0L;
        foreach (var range in Sequences)
        {
            if (range.First > expected)
            {
                missing.Add(new SequenceRange(expected, range.First - 1));
            }

            expected = range.Last + 1;
        }

        return missing;
    }

    /// <summary>How many sequences <see cref="Missing"/> covers.</summary>
    public long MissingCount()
    {
        long count = 0;
        foreach (var range in Missing())
        {
            count += range.Last - range.First + 1;
        }

        return count;
    }

    private int Find(long sequence)
    {
        int low = 0, high = Sequences.Count - 1, found = -1;
        while (low <= high)
        {
            var middle = low + ((high - low) / 2);
            if (Sequences[middle].First <= sequence)
            {
                found = middle;
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        return found;
    }
}

/// <summary>Inclusive range of sequence numbers.</summary>
internal readonly record struct SequenceRange(long First, long Last);

/// <summary>An interval without data from a device's gaps stream (Unix ns; end exclusive) and why.</summary>
internal readonly record struct GapInterval(long StartNs, long EndNs, string? Reason);

/// <summary>The persisted form of the ledger.</summary>
internal sealed class LedgerFile
{
    /// <summary>Format version: 1.</summary>
    public int Version { get; init; } = 1;

    public List<StreamLedger> Streams { get; init; } = [];
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(LedgerFile))]
[JsonSerializable(typeof(ReceiverReport))]
internal sealed partial class ReceiverJsonContext : JsonSerializerContext;
