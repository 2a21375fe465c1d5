using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Output;

namespace Ingest.Pipeline.Captures;

/// <summary>
/// Decodes capture lines through a <see cref="StreamDecoder"/> (the same path live notifications take), writes rows to
/// an <see cref="IRowOutput"/> and rejected notifications and unreadable lines, as they occur, to an
/// <see cref="IRejectionOutput"/>: the rows stay a clean table. This is <c>wearable-ingest decode</c> and the
/// capture tests.
/// </summary>
public static class CaptureDecoding
{
    // Rows are written as they are decoded; the buffers are emptied past this many rows so a long capture
    // decodes in bounded memory.
    private const int FlushRows = 64 * 1024;

    /// <summary>Decodes <paramref name="lines"/> with <paramref name="decoder"/> into <paramref name="output"/>.</summary>
    /// <exception cref="CaptureFormatException">The capture turned out to be binary (thrown by the line reader).</exception>
    public static CaptureDecodeSummary Run(IFrameDecoder decoder, IEnumerable<CaptureLine> lines, IRowOutput output, IRejectionOutput rejections)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(rejections);
        var stream = new StreamDecoder(decoder);
        var summary = new CaptureDecodeSummary();
        foreach (var line in lines)
        {
            if (line.Error is not null)
            {
                summary.AddUnreadable($"line {line.LineNumber}: {line.Error}");
                rejections.WriteUnreadable(line.LineNumber, line.Error);
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
                rejections.WriteRejected(line.LineNumber, result.Reason, result.Detail ?? "", line.Frame);
            }
        }

        if (stream.Columns.RowCount > 0)
        {
            output.WriteBatch(stream.Columns);
        }

        return summary;
    }
}
