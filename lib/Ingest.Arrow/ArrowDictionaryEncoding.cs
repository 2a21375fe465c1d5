namespace Ingest.Arrow;

/// <summary>
/// Marks a field as dictionary-encoded (Schema.fbs <c>DictionaryEncoding</c>): the field's type is the
/// dictionary's value type, record batches carry <see cref="IndexType"/> indices, and the dictionary values
/// travel in a DictionaryBatch with the same <see cref="Id"/>.
/// </summary>
public sealed class ArrowDictionaryEncoding : IEquatable<ArrowDictionaryEncoding>
{
    /// <summary>Creates a dictionary encoding.</summary>
    /// <param name="id">Dictionary id, unique within the schema.</param>
    /// <param name="indexType">Integer type of the indices; signed int32 is the most portable.</param>
    /// <param name="isOrdered">Whether the dictionary order is meaningful.</param>
    public ArrowDictionaryEncoding(long id, ArrowType indexType, bool isOrdered = false)
    {
        ArgumentNullException.ThrowIfNull(indexType);
        if (!indexType.IsInteger)
        {
            ThrowHelper.ThrowArgument("a dictionary index type must be an integer type", nameof(indexType));
        }

        Id = id;
        IndexType = indexType;
        IsOrdered = isOrdered;
    }

    /// <summary>Dictionary id.</summary>
    public long Id { get; }

    /// <summary>Integer type of the indices.</summary>
    public ArrowType IndexType { get; }

    /// <summary>Whether the dictionary order is meaningful.</summary>
    public bool IsOrdered { get; }

    /// <inheritdoc />
    public bool Equals(ArrowDictionaryEncoding? other) =>
        other is not null && Id == other.Id && IndexType.Equals(other.IndexType) && IsOrdered == other.IsOrdered;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ArrowDictionaryEncoding);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, IndexType, IsOrdered);
}
