namespace Ingest.Pipeline.Columns;

/// <summary>A list column as Arrow lays it out: int32 offsets plus one flattened element column.</summary>
internal interface IListColumn
{
    /// <summary>Exactly Length + 1 int32 offsets, little-endian.</summary>
    ReadOnlyMemory<byte> OffsetMemory { get; }

    /// <summary>The flattened elements (never null: list elements are not nullable here).</summary>
    IFixedWidthColumn ElementColumn { get; }

    /// <summary>Number of flattened elements.</summary>
    int ElementCount { get; }
}
