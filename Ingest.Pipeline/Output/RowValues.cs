namespace Ingest.Pipeline.Output;

/// <summary>How JSON-lines and CSV rows give a column's values (docs/decode-output.md).</summary>
public enum RowValues
{
    /// <summary>
    /// The physical quantity (stored × scale + offset) under a key that names the unit: <c>"rr_interval_s":[1.0]</c>,
    /// <c>"heart_rate_per_min":72</c>. Rows a data engineer can use without the profile.
    /// </summary>
    Physical = 0,

    /// <summary>
    /// The tracker's stored values (integers stay exact) under the plain column names: <c>"rr_interval":[1024]</c>.
    /// The form of a profile's <c>.expected.jsonl</c> files; the unit and scale are in the profile (and in an Arrow
    /// file's field metadata).
    /// </summary>
    Stored = 1,
}
