using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Output;

/// <summary>
/// Where decoded rows go for people and tools (JSON lines, CSV, Arrow): only rows; rejected notifications go to an
/// <see cref="IRejectionOutput"/>.
/// </summary>
public interface IRowOutput : IDisposable
{
    /// <summary>Writes committed rows [<paramref name="fromRow"/>, <paramref name="toRow"/>).</summary>
    void WriteRows(StreamColumns columns, int fromRow, int toRow);

    /// <summary>
    /// Called with every committed row of <paramref name="columns"/> before they are cleared and at the end, so a
    /// columnar output can write them as one batch. Row-at-a-time outputs ignore it.
    /// </summary>
    void WriteBatch(StreamColumns columns);
}
