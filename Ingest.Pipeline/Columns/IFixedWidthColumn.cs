namespace Ingest.Pipeline.Columns;

/// <summary>A column whose values are one fixed-width little-endian buffer (what an Arrow primitive array wraps).</summary>
internal interface IFixedWidthColumn
{
    /// <summary>Exactly the appended values' bytes (no spare capacity), valid until the column is next appended to or cleared.</summary>
    ReadOnlyMemory<byte> ValueMemory { get; }
}
