namespace Ingest.Pipeline.Captures;

/// <summary>Totals of decoding one capture.</summary>
public sealed class CaptureDecodeSummary
{
    /// <summary>Notifications read from the capture.</summary>
    public int Frames { get; internal set; }

    /// <summary>Notifications the decoder rejected.</summary>
    public int Rejected { get; internal set; }

    /// <summary>Rows produced.</summary>
    public long Rows { get; internal set; }

    /// <summary>Lines that were not readable as a notification (each with its line number and reason).</summary>
    public List<string> UnreadableLines { get; } = [];

    /// <summary>Adds <paramref name="other"/>'s totals to this one.</summary>
    public void Add(CaptureDecodeSummary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Frames += other.Frames;
        Rejected += other.Rejected;
        Rows += other.Rows;
        UnreadableLines.AddRange(other.UnreadableLines);
    }

    /// <summary>True when every line was read and every notification decoded.</summary>
    public bool AllDecoded => Rejected == 0 && UnreadableLines.Count == 0;
}
