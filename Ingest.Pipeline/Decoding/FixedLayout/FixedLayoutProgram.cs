using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding.FixedLayout;

/// <summary>
/// A compiled fixed layout: the header fields, then optionally a group repeated to the end of the frame or a count
/// field's value times, one row per repetition (header values repeat on every row). Immutable; shared by every
/// decoder of the stream.
/// </summary>
public sealed class FixedLayoutProgram
{
    /// <summary>Creates the program.</summary>
    public FixedLayoutProgram(
        FixedLayoutInstruction[] header, FixedLayoutInstruction[] group, bool hasGroup, int countRegister, double sampleRateHz, StreamSchema schema)
    {
        Header = header;
        Group = group;
        HasGroup = hasGroup;
        CountRegister = countRegister;
        SampleRateHz = sampleRateHz;
        PeriodNs = sampleRateHz > 0 ? SampleClock.PeriodNs(sampleRateHz) : 0;
        Schema = schema;
        RegisterCount = header.Length + group.Length;
    }

    /// <summary>Fields read once per frame.</summary>
    public FixedLayoutInstruction[] Header { get; }

    /// <summary>Fields read once per repetition (empty when <see cref="HasGroup"/> is false).</summary>
    public FixedLayoutInstruction[] Group { get; }

    /// <summary>True when the layout has a repeated sample group.</summary>
    public bool HasGroup { get; }

    /// <summary>Register holding the repetition count, or -1 to repeat to the end of the frame.</summary>
    public int CountRegister { get; }

    /// <summary>Sample rate of the repetitions for hub-time spreading, or 0 for "all at the receive time".</summary>
    public double SampleRateHz { get; }

    /// <summary>Sample period in ns (0 without a rate).</summary>
    public long PeriodNs { get; }

    /// <summary>The columns produced.</summary>
    public StreamSchema Schema { get; }

    /// <summary>Registers a decoder needs (one per field).</summary>
    public int RegisterCount { get; }
}
