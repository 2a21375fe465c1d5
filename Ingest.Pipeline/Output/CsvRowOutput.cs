using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Output;

/// <summary>
/// Writes rows as CSV with a header (list values joined with ';'); rejected notifications go to a separate
/// text writer (stderr in the CLI) so the CSV stays a clean table.
/// </summary>
public sealed class CsvRowOutput : IRowOutput
{
    private readonly TextWriter _rows;
    private readonly TextWriter _rejections;
    private readonly bool _ownsRows;
    private bool _headerWritten;

    /// <summary>Writes rows to <paramref name="rows"/> and rejections to <paramref name="rejections"/>.</summary>
    public CsvRowOutput(TextWriter rows, TextWriter rejections, bool ownsRows)
    {
        _rows = rows;
        _rejections = rejections;
        _ownsRows = ownsRows;
    }

    /// <inheritdoc />
    public void WriteRows(StreamColumns columns, int fromRow, int toRow)
    {
        ArgumentNullException.ThrowIfNull(columns);
        if (!_headerWritten)
        {
            var names = new List<string> { StreamSchema.HubTimeColumn };
            if (columns.DeviceTime is not null)
            {
                names.Add(StreamSchema.DeviceTimeColumn);
            }

            for (var i = 0; i < columns.ValueColumnCount; i++)
            {
                names.Add(columns[i].Spec.Name);
            }

            _rows.WriteLine(string.Join(',', names));
            _headerWritten = true;
        }

        for (var row = fromRow; row < toRow; row++)
        {
            _rows.Write(ColumnValueFormatter.Csv(columns.HubTime, row));
            if (columns.DeviceTime is { } deviceTime)
            {
                _rows.Write(',');
                _rows.Write(ColumnValueFormatter.Csv(deviceTime, row));
            }

            for (var i = 0; i < columns.ValueColumnCount; i++)
            {
                _rows.Write(',');
                _rows.Write(ColumnValueFormatter.Csv(columns[i], row));
            }

            _rows.WriteLine();
        }
    }

    /// <inheritdoc />
    public void WriteBatch(StreamColumns columns)
    {
        // Rows were written as they came.
    }

    /// <inheritdoc />
    public void WriteRejected(int lineNumber, RejectReason reason, string detail, ReadOnlySpan<byte> frame) =>
        _rejections.WriteLine($"line {lineNumber}: rejected ({RejectReasons.Name(reason)}): {detail}; bytes: {HexText.Format(frame)}");

    /// <inheritdoc />
    public void Dispose()
    {
        _rows.Flush();
        if (_ownsRows)
        {
            _rows.Dispose();
        }
    }
}
