namespace Ingest.Arrow;

/// <summary>The logical Arrow types this library reads and writes (a subset of the Arrow <c>Type</c> union).</summary>
public enum ArrowTypeId
{
    /// <summary>All values null; no buffers.</summary>
    Null = 1,

    /// <summary>Bit-packed booleans.</summary>
    Boolean = 2,

    /// <summary>Signed 8-bit integer.</summary>
    Int8 = 3,

    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 4,

    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 5,

    /// <summary>Signed 64-bit integer.</summary>
    Int64 = 6,

    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8 = 7,

    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 8,

    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 9,

    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 10,

    /// <summary>IEEE-754 binary16 (read only in practice; written as raw bytes).</summary>
    Float16 = 11,

    /// <summary>IEEE-754 binary32.</summary>
    Float32 = 12,

    /// <summary>IEEE-754 binary64.</summary>
    Float64 = 13,

    /// <summary>Variable-length UTF-8 string with int32 offsets.</summary>
    Utf8 = 14,

    /// <summary>Variable-length bytes with int32 offsets.</summary>
    Binary = 15,

    /// <summary>Fixed-width bytes (<see cref="ArrowType.FixedSize"/> bytes per value).</summary>
    FixedSizeBinary = 16,

    /// <summary>int32 days since the UNIX epoch.</summary>
    Date32 = 17,

    /// <summary>int64 milliseconds since the UNIX epoch.</summary>
    Date64 = 18,

    /// <summary>int32 time of day in seconds or milliseconds.</summary>
    Time32 = 19,

    /// <summary>int64 time of day in microseconds or nanoseconds.</summary>
    Time64 = 20,

    /// <summary>int64 count of <see cref="ArrowType.Unit"/> since the UNIX epoch, with an optional time zone.</summary>
    Timestamp = 21,

    /// <summary>int64 elapsed time in <see cref="ArrowType.Unit"/>.</summary>
    Duration = 22,

    /// <summary>Variable-size list with int32 offsets into one child.</summary>
    List = 23,

    /// <summary>Fixed-size list of <see cref="ArrowType.FixedSize"/> child values per slot.</summary>
    FixedSizeList = 24,

    /// <summary>Struct of named children.</summary>
    Struct = 25,
}
