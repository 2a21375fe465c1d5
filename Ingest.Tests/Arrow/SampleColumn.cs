using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>A column built from known source values: the raw Arrow buffers plus the expected value of every slot.</summary>
/// <remarks>
/// Expected slots are null or: long/ulong (integers, temporal), double (floats, compared bit-exactly after
/// narrowing to the column's precision), bool, string (utf8 and dictionary values), byte[] (binary),
/// object?[] (list items, or struct children in field order).
/// </remarks>
internal sealed record SampleColumn(ArrowColumn Column, object?[] Expected);
