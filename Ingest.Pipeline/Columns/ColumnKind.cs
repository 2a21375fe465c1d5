namespace Ingest.Pipeline.Columns;

/// <summary>
/// The physical type of a stream column. Each maps one-to-one onto an Arrow type (see
/// docs/firmware-profiles.md "Column types"); values are stored little-endian exactly as Arrow lays them out.
/// </summary>
public enum ColumnKind
{
    /// <summary>Arrow int8.</summary>
    Int8,
    /// <summary>Arrow int16.</summary>
    Int16,
    /// <summary>Arrow int32.</summary>
    Int32,
    /// <summary>Arrow int64.</summary>
    Int64,
    /// <summary>Arrow uint8.</summary>
    UInt8,
    /// <summary>Arrow uint16.</summary>
    UInt16,
    /// <summary>Arrow uint32.</summary>
    UInt32,
    /// <summary>Arrow uint64.</summary>
    UInt64,
    /// <summary>Arrow float32.</summary>
    Float32,
    /// <summary>Arrow float64.</summary>
    Float64,
    /// <summary>Arrow timestamp[ns, UTC]: int64 nanoseconds since the Unix epoch.</summary>
    TimestampNs,
    /// <summary>Arrow list&lt;element&gt; with int32 offsets; the element kind is <see cref="ColumnSpec.ElementKind"/>.</summary>
    List,
}
