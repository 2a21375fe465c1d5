using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Output;

/// <summary>Sends rows and batches to several outputs (e.g. an Arrow file and a JSON-lines log).</summary>
public sealed class TeeRowOutput : IRowOutput
{
    private readonly IRowOutput[] _outputs;

    /// <summary>Writes to every one of <paramref name="outputs"/>, which it owns.</summary>
    public TeeRowOutput(params IRowOutput[] outputs)
    {
        _outputs = outputs;
    }

    /// <inheritdoc />
    public void WriteRows(StreamColumns columns, int fromRow, int toRow)
    {
        foreach (var output in _outputs)
        {
            output.WriteRows(columns, fromRow, toRow);
        }
    }

    /// <inheritdoc />
    public void WriteBatch(StreamColumns columns)
    {
        foreach (var output in _outputs)
        {
            output.WriteBatch(columns);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var output in _outputs)
        {
            output.Dispose();
        }
    }
}
