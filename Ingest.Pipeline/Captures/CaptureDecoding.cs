using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Output;

namespace Ingest.Pipeline.Captures;

/// <summary>
/// Decodes capture lines through a <see cref="StreamDecoder"/> (the same path live notifications take) and writes
/// rows and rejections to an <see cref="IRowOutput"/>. This is <c>wearable-ingest decode</c> and the capture tests.
/// </summary>
public static class CaptureDecoding
{
    // Rows are written as they are decoded; the buffers are emptied past this many rows so a long capture
    // decodes in bounded memory.
    private const int FlushRows = 64 * 1024;

    /// <summary>Decodes <paramref name="lines"/> with <paramref name="decoder"/> into <paramref name="output"/>.</summary>
    public static CaptureDecodeSummary Run(IFrameDecoder decoder, IEnumerable<CaptureLine> lines, IRowOutput output)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(output);
        var stream = new StreamDecoder(decoder);
        var summary = new CaptureDecodeSummary();
        foreach (var line in lines)
        {
            if (line.Error is not null)
            {
                summary.UnreadableLines.Add($"line {line.LineNumber}: {line.Error}");
                continue;
            }

            summary.Frames++;
            var before = stream.Columns.RowCount;
            var result = stream.Decode(line.Frame, line.HubTimeNs);
            if (result.IsAccepted)
            {
                output.WriteRows(stream.Columns, before, stream.Columns.RowCount);
                summary.Rows += result.Rows;
                if (stream.Columns.RowCount >= FlushRows)
                {
                    output.WriteBatch(stream.Columns);
                    stream.Columns.Clear();
                }
            }
            else
            {
                summary.Rejected++;
                output.WriteRejected(line.LineNumber, result.Reason, result.Detail ?? "", line.Frame);
            }
        }

        if (stream.Columns.RowCount > 0)
        {
            output.WriteBatch(stream.Columns);
        }

        return summary;
    }
}
