using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Output;

/// <summary>
/// Writes rows as CSV with a header (list values joined with ';'), nothing else: rejections go to an
/// <see cref="IRejectionOutput"/>, so the CSV stays a clean table. With <see cref="RowValues.Physical"/> each header
/// names its unit and values are physical quantities (<see cref="ColumnKeys"/>).
/// </summary>
public sealed class CsvRowOutput : IRowOutput
{
    private readonly TextWriter _rows;
    private readonly bool _ownsRows;
    private readonly RowValues _values;
    private bool _headerWritten;

    /// <summary>Writes rows to <paramref name="rows"/>; disposes it when <paramref name="ownsRows"/>.</summary>
    public CsvRowOutput(TextWriter rows, bool ownsRows, RowValues values = RowValues.Stored)
    {
        ArgumentNullException.ThrowIfNull(rows);
        _rows = rows;
        _ownsRows = ownsRows;
        _values = values;
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
                names.Add(ColumnKeys.Key(columns[i].Spec, _values));
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
                _rows.Write(ColumnValueFormatter.Csv(columns[i], row, _values));
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
    public void Dispose()
    {
        _rows.Flush();
        if (_ownsRows)
        {
            _rows.Dispose();
        }
    }
}
