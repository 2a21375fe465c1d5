using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Output;

/// <summary>
/// Writes one line per rejected notification or unreadable line for people (stderr in the CLI):
/// <c>c.hex line 4: rejected (truncated): …; bytes: 01 48</c>. Never starts a line with <c>error:</c>: the command's
/// closing summary is its one error line.
/// </summary>
public sealed class TextRejectionOutput : IRejectionOutput
{
    private readonly TextWriter _writer;
    private readonly string _source;

    /// <summary>Writes to <paramref name="writer"/>, naming the input as <paramref name="source"/> (e.g. the capture path).</summary>
    public TextRejectionOutput(TextWriter writer, string source)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(source);
        _writer = writer;
        _source = InputText.Printable(source);
    }

    /// <inheritdoc />
    public void WriteRejected(int lineNumber, RejectReason reason, string detail, ReadOnlySpan<byte> frame) =>
        _writer.WriteLine($"{_source} line {lineNumber}: rejected ({RejectReasons.Name(reason)}): {detail}; bytes: {HexText.Format(frame)}");

    /// <inheritdoc />
    public void WriteUnreadable(int lineNumber, string problem) =>
        _writer.WriteLine($"{_source} line {lineNumber}: unreadable: {problem}");
}
