namespace Ingest.Arrow;

/// <summary>
/// Named limits the readers check every wire length, count and depth against before using it
/// (style.md §4). Exceeding one raises <see cref="ArrowFormatException"/>.
/// </summary>
public static class ArrowLimits
{
    /// <summary>Maximum nesting depth of fields (list of struct of …). Our schemas nest at most 3 deep; 64 leaves room and bounds recursion.</summary>
    public const int MaxNestingDepth = 64;

    /// <summary>Maximum number of fields in a schema, counting nested ones. Bounds the work of parsing a hostile schema that shares subtables.</summary>
    public const int MaxFieldCount = 10_000;

    /// <summary>Maximum number of field nodes in one record batch (one per field, so the same as <see cref="MaxFieldCount"/>).</summary>
    public const int MaxNodeCount = MaxFieldCount;

    /// <summary>Maximum number of buffers in one record batch: at most three per field for the supported types.</summary>
    public const int MaxBufferCount = 3 * MaxFieldCount;

    /// <summary>Maximum size of one message's FlatBuffer metadata. Real schemas are a few KiB; 16 MiB bounds a hostile length prefix.</summary>
    public const int MaxMetadataSize = 16 * 1024 * 1024;

    /// <summary>Maximum body length of one message: spans index with int32, and the body must stay 8-aligned.</summary>
    public const long MaxBodyLength = 0x7FFF_FFF8;

    /// <summary>Maximum number of key/value pairs in one custom_metadata list.</summary>
    public const int MaxCustomMetadataEntries = 1024;

    /// <summary>Maximum UTF-8 byte length of a field name, metadata key, metadata value or time zone.</summary>
    public const int MaxStringLength = 1024 * 1024;

    /// <summary>
    /// Maximum total cost of the strings decoded from one schema or message (names, metadata keys and values,
    /// time zones), each counted as its length plus 16. FlatBuffers lets many offsets share one string,
    /// so without this budget a small hostile schema could make the reader decode gigabytes.
    /// </summary>
    public const int MaxStringBudget = 16 * 1024 * 1024;

    /// <summary>Maximum number of dictionary-encoded fields (and dictionary batches in a file footer).</summary>
    public const int MaxDictionaryCount = 1024;

    /// <summary>Maximum number of record batches in one stream or file.</summary>
    public const int MaxRecordBatchCount = 1_000_000;

    /// <summary>Maximum list size of a fixed_size_list and byte width of a fixed_size_binary.</summary>
    public const int MaxFixedSize = 1 << 24;
}
