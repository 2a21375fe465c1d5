using System.Text;

namespace Ingest.Arrow;

/// <summary>
/// A named, typed column of a schema, with nullability, optional dictionary encoding and field-level
/// custom metadata (e.g. units and scale). Immutable; compares by value.
/// </summary>
public sealed class ArrowField : IEquatable<ArrowField>
{
    private static readonly KeyValuePair<string, string>[] s_noMetadata = [];

    /// <summary>Creates a field.</summary>
    /// <param name="name">Column name (any string, may be empty).</param>
    /// <param name="type">Data type; for a dictionary-encoded field the dictionary's value type.</param>
    /// <param name="isNullable">Whether the column may hold nulls.</param>
    /// <param name="metadata">Field-level custom metadata, kept in order (null = none).</param>
    /// <param name="dictionary">Dictionary encoding, or null for a plain column.</param>
    public ArrowField(string name, ArrowType type, bool isNullable = true,
        IEnumerable<KeyValuePair<string, string>>? metadata = null, ArrowDictionaryEncoding? dictionary = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        Name = name;
        Type = type;
        IsNullable = isNullable;
        Metadata = ArrowSchema.CopyMetadata(metadata) ?? s_noMetadata;
        Dictionary = dictionary;
    }

    /// <summary>Column name.</summary>
    public string Name { get; }

    /// <summary>Data type (the value type when <see cref="Dictionary"/> is set).</summary>
    public ArrowType Type { get; }

    /// <summary>Whether the column may hold nulls.</summary>
    public bool IsNullable { get; }

    /// <summary>Field-level custom metadata in wire order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }

    /// <summary>Dictionary encoding, or null.</summary>
    public ArrowDictionaryEncoding? Dictionary { get; }

    /// <summary>The value of metadata key <paramref name="key"/>, or null.</summary>
    /// <param name="key">Metadata key.</param>
    public string? GetMetadata(string key) => ArrowSchema.Lookup(Metadata, key);

    /// <inheritdoc />
    public bool Equals(ArrowField? other) =>
        ReferenceEquals(this, other)
        || (other is not null && string.Equals(Name, other.Name, StringComparison.Ordinal) && IsNullable == other.IsNullable
            && Type.Equals(other.Type) && Equals(Dictionary, other.Dictionary) && ArrowSchema.MetadataEquals(Metadata, other.Metadata));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ArrowField);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, Type, IsNullable);

    /// <summary>The field as pyarrow prints it, e.g. <c>hr: uint8 not null</c>.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        Append(builder);
        return builder.ToString();
    }

    internal void Append(StringBuilder builder)
    {
        builder.Append(Name).Append(": ");
        if (Dictionary is not null)
        {
            builder.Append("dictionary<values=");
            Type.Append(builder);
            builder.Append(", indices=");
            Dictionary.IndexType.Append(builder);
            builder.Append(", ordered=").Append(Dictionary.IsOrdered ? '1' : '0').Append('>');
        }
        else
        {
            Type.Append(builder);
        }

        if (!IsNullable)
        {
            builder.Append(" not null");
        }
    }
}
