namespace Ingest.Pipeline.Captures;

/// <summary>One line of a capture file: a notification with its receive time, or what was wrong with the line.</summary>
/// <param name="LineNumber">1-based line number in the file.</param>
/// <param name="HubTimeNs">Receive time, UTC ns since the Unix epoch.</param>
/// <param name="Frame">The notification's bytes (empty when <paramref name="Error"/> is set).</param>
/// <param name="Error">Why the line could not be read, or null.</param>
public sealed record CaptureLine(int LineNumber, long HubTimeNs, byte[] Frame, string? Error);
