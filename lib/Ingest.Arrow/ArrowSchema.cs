using System.Text;
using Ingest.Arrow.Ipc;

namespace Ingest.Arrow;

/// <summary>
/// An Arrow schema: ordered fields plus schema-level custom metadata (profile, identity, …). Build it once
/// per stream shape and reuse it: its IPC encoding (the Schema message and the record batch metadata
/// template) is computed on first use and cached in the instance. Immutable and thread-safe.
/// </summary>
public sealed partial class ArrowSchema : IEquatable<ArrowSchema>
{
    private readonly ArrowField[] _fields;
    private readonly ArrowField[] _dictionaryFields;
    private SchemaEncoding? _encoding;

    /// <summary>Creates a schema.</summary>
    /// <param name="fields">The top-level fields, in column order.</param>
    /// <param name="metadata">Schema-level custom metadata, kept in order (null = none).</param>
    /// <exception cref="ArgumentException">Dictionary ids repeat, or the schema exceeds <see cref="ArrowLimits"/>.</exception>
    public ArrowSchema(IEnumerable<ArrowField> fields, IEnumerable<KeyValuePair<string, string>>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(fields);
        _fields = [.. fields];
        Metadata = CopyMetadata(metadata) ?? [];
        var dictionaries = new List<ArrowField>();
        var count = 0;
        foreach (var field in _fields)
        {
            ArgumentNullException.ThrowIfNull(field, nameof(fields));
            Visit(field, 1, dictionaries, ref count);
        }

        for (var i = 0; i < dictionaries.Count; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (dictionaries[i].Dictionary!.Id == dictionaries[j].Dictionary!.Id)
                {
                    ThrowHelper.ThrowArgument($"dictionary id {dictionaries[i].Dictionary!.Id} is used by two fields", nameof(fields));
                }
            }
        }

        _dictionaryFields = [.. dictionaries];
        FieldCount = count;
    }

    /// <summary>The top-level fields in column order.</summary>
    public IReadOnlyList<ArrowField> Fields => _fields;

    /// <summary>Schema-level custom metadata in wire order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }

    /// <summary>
    /// The dictionary-encoded fields in pre-order (depth-first) schema order. Writers take the dictionary
    /// value columns in this order.
    /// </summary>
    public IReadOnlyList<ArrowField> DictionaryFields => _dictionaryFields;

    /// <summary>Number of fields including nested ones (= field nodes per record batch).</summary>
    public int FieldCount { get; }

    /// <summary>The cached IPC encoding (Schema message, batch templates), built on first use.</summary>
    internal SchemaEncoding Encoding
    {
        get
        {
            var encoding = Volatile.Read(ref _encoding);
            if (encoding is null)
            {
                // Two threads may both build it; the encodings are identical, so either may win.
                Interlocked.CompareExchange(ref _encoding, new SchemaEncoding(this), null);
                encoding = _encoding!;
            }

            return encoding;
        }
    }

    /// <summary>The value of schema metadata key <paramref name="key"/>, or null.</summary>
    /// <param name="key">Metadata key.</param>
    public string? GetMetadata(string key) => Lookup(Metadata, key);

    /// <summary>Index of the top-level field named <paramref name="name"/>, or -1.</summary>
    /// <param name="name">Field name (ordinal comparison).</param>
    public int GetFieldIndex(string name)
    {
        for (var i = 0; i < _fields.Length; i++)
        {
            if (string.Equals(_fields[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <inheritdoc />
    public bool Equals(ArrowSchema? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (other is null || _fields.Length != other._fields.Length || !MetadataEquals(Metadata, other.Metadata))
        {
            return false;
        }

        for (var i = 0; i < _fields.Length; i++)
        {
            if (!_fields[i].Equals(other._fields[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ArrowSchema);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_fields.Length, FieldCount);

    /// <summary>One line per field, as pyarrow prints a schema.</summary>
    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var field in _fields)
        {
            field.Append(builder);
            builder.Append('\n');
        }

        return builder.ToString();
    }

    internal static KeyValuePair<string, string>[]? CopyMetadata(IEnumerable<KeyValuePair<string, string>>? metadata)
    {
        if (metadata is null)
        {
            return null;
        }

        KeyValuePair<string, string>[] copy = [.. metadata];
        foreach (var (key, value) in copy)
        {
            if (key is null || value is null)
            {
                ThrowHelper.ThrowArgument("metadata keys and values must not be null", nameof(metadata));
            }
        }

        if (copy.Length > ArrowLimits.MaxCustomMetadataEntries)
        {
            ThrowHelper.ThrowArgument($"more than {ArrowLimits.MaxCustomMetadataEntries} metadata entries", nameof(metadata));
        }

        return copy;
    }

    internal static string? Lookup(IReadOnlyList<KeyValuePair<string, string>> metadata, string key)
    {
        foreach (var (k, v) in metadata)
        {
            if (string.Equals(k, key, StringComparison.Ordinal))
            {
                return v;
            }
        }

        return null;
    }

    internal static bool MetadataEquals(IReadOnlyList<KeyValuePair<string, string>> a, IReadOnlyList<KeyValuePair<string, string>> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (!string.Equals(a[i].Key, b[i].Key, StringComparison.Ordinal) || !string.Equals(a[i].Value, b[i].Value, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static void Visit(ArrowField field, int depth, List<ArrowField> dictionaries, ref int count)
    {
        if (depth > ArrowLimits.MaxNestingDepth)
        {
            ThrowHelper.ThrowArgument($"fields nest deeper than {ArrowLimits.MaxNestingDepth}", "fields");
        }

        if (++count > ArrowLimits.MaxFieldCount)
        {
            ThrowHelper.ThrowArgument($"more than {ArrowLimits.MaxFieldCount} fields", "fields");
        }

        if (field.Dictionary is not null)
        {
            if (field.Type.Children.Count > 0)
            {
                ThrowHelper.ThrowArgument("dictionary-encoded nested types are not supported", "fields");
            }

            dictionaries.Add(field);
            if (dictionaries.Count > ArrowLimits.MaxDictionaryCount)
            {
                ThrowHelper.ThrowArgument($"more than {ArrowLimits.MaxDictionaryCount} dictionary fields", "fields");
            }
        }

        foreach (var child in field.Type.Children)
        {
            Visit(child, depth + 1, dictionaries, ref count);
        }
    }
}
