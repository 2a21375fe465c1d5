namespace Ingest.Pipeline.Captures;

/// <summary>Totals of decoding one capture.</summary>
public sealed class CaptureDecodeSummary
{
    /// <summary>Unreadable lines whose message is kept in <see cref="UnreadableLines"/>; the rest are only counted.</summary>
    public const int MaxKeptUnreadableLines = 100;

    /// <summary>Notifications read from the capture.</summary>
    public int Frames { get; internal set; }

    /// <summary>Notifications the decoder rejected.</summary>
    public int Rejected { get; internal set; }

    /// <summary>Rows produced.</summary>
    public long Rows { get; internal set; }

    /// <summary>Lines that were not readable as a notification.</summary>
    public int Unreadable { get; private set; }

    /// <summary>The first <see cref="MaxKeptUnreadableLines"/> unreadable lines, each with its line number and reason.</summary>
    public List<string> UnreadableLines { get; } = [];

    /// <summary>Adds <paramref name="other"/>'s totals to this one.</summary>
    public void Add(CaptureDecodeSummary other)
    {
        ArgumentNullException.ThrowIfNull(other);
        Frames += other.Frames;
        Rejected += other.Rejected;
        Rows += other.Rows;
        Unreadable += other.Unreadable;
        UnreadableLines.AddRange(other.UnreadableLines.Take(MaxKeptUnreadableLines - UnreadableLines.Count));
    }

    /// <summary>True when every line was read and every notification decoded.</summary>
    public bool AllDecoded => Rejected == 0 && Unreadable == 0;

    /// <summary>Counts an unreadable line (its message is kept while fewer than the limit are).</summary>
    internal void AddUnreadable(string message)
    {
        Unreadable++;
        if (UnreadableLines.Count < MaxKeptUnreadableLines)
        {
            UnreadableLines.Add(message);
        }
    }
}
