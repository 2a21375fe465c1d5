namespace Ingest.Arrow;

/// <summary>Everything read from one IPC stream or file: the schema and the record batches in order.</summary>
public sealed class ArrowIpcContent
{
    internal ArrowIpcContent(ArrowIpcFormat format, int metadataVersion, ArrowSchema schema, IReadOnlyList<ArrowRecordBatch> batches, int dictionaryBatchCount)
    {
        Format = format;
        MetadataVersion = metadataVersion;
        Schema = schema;
        RecordBatches = batches;
        DictionaryBatchCount = dictionaryBatchCount;
        long rows = 0;
        foreach (var batch in batches)
        {
            rows += batch.Length;
        }

        RowCount = rows;
    }

    /// <summary>Stream or file.</summary>
    public ArrowIpcFormat Format { get; }

    /// <summary>Arrow metadata version of the schema (4 for V4, 5 for V5).</summary>
    public int MetadataVersion { get; }

    /// <summary>The schema (for files, the footer's schema, checked equal to the embedded stream's).</summary>
    public ArrowSchema Schema { get; }

    /// <summary>The record batches in order.</summary>
    public IReadOnlyList<ArrowRecordBatch> RecordBatches { get; }

    /// <summary>Number of DictionaryBatch messages read.</summary>
    public int DictionaryBatchCount { get; }

    /// <summary>Total rows over all batches.</summary>
    public long RowCount { get; }
}
