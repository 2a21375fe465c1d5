namespace Ingest.Pipeline.Columns;

/// <summary>
/// One value column of a stream: its name, physical type and meaning. The physical quantity is
/// <c>stored value × <see cref="Scale"/> + <see cref="Offset"/></c> in <see cref="Unit"/>; integer columns keep
/// the tracker's raw integers (lossless) and the scale travels as Arrow field metadata.
/// </summary>
public sealed record ColumnSpec
{
    /// <summary>Column name: lower snake case, unique within the stream.</summary>
    public required string Name { get; init; }

    /// <summary>Physical type.</summary>
    public required ColumnKind Kind { get; init; }

    /// <summary>Element type of a <see cref="ColumnKind.List"/> column; ignored otherwise.</summary>
    public ColumnKind ElementKind { get; init; }

    /// <summary>Unit of the physical quantity (UCUM where one exists: "/min", "%", "s", "m/s", "Cel", "uV", "mg").</summary>
    public string Unit { get; init; } = "";

    /// <summary>Multiplier from stored value to the physical quantity.</summary>
    public double Scale { get; init; } = 1.0;

    /// <summary>Added after <see cref="Scale"/>.</summary>
    public double Offset { get; init; }

    /// <summary>True when rows may lack a value (an optional field the frame's flags left out, a special value).</summary>
    public bool Nullable { get; init; }

    /// <summary>One line for people: what the column holds.</summary>
    public string Description { get; init; } = "";

    /// <summary>The type as a profile writes it: <c>uint16</c>, <c>list&lt;uint16&gt;</c>.</summary>
    public string TypeName => Kind == ColumnKind.List
        ? $"list<{ColumnKinds.ProfileName(ElementKind)}>"
        : ColumnKinds.ProfileName(Kind);
}
