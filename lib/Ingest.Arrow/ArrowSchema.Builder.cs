namespace Ingest.Arrow;

public sealed partial class ArrowSchema
{
    /// <summary>Collects fields and metadata, then builds an immutable <see cref="ArrowSchema"/>.</summary>
    public sealed class Builder
    {
        private readonly List<ArrowField> _fields = [];
        private readonly List<KeyValuePair<string, string>> _metadata = [];

        /// <summary>Adds a field.</summary>
        /// <param name="field">The field.</param>
        /// <returns>This builder.</returns>
        public Builder Field(ArrowField field)
        {
            ArgumentNullException.ThrowIfNull(field);
            _fields.Add(field);
            return this;
        }

        /// <summary>Adds a field.</summary>
        /// <param name="name">Column name.</param>
        /// <param name="type">Data type.</param>
        /// <param name="isNullable">Whether the column may hold nulls.</param>
        /// <param name="metadata">Field-level custom metadata.</param>
        /// <returns>This builder.</returns>
        public Builder Field(string name, ArrowType type, bool isNullable = true, IEnumerable<KeyValuePair<string, string>>? metadata = null) =>
            Field(new ArrowField(name, type, isNullable, metadata));

        /// <summary>Adds a schema-level metadata entry.</summary>
        /// <param name="key">Key (use a namespace such as <c>wearable:profile</c>; <c>ARROW:</c> is reserved).</param>
        /// <param name="value">Value.</param>
        /// <returns>This builder.</returns>
        public Builder Metadata(string key, string value)
        {
            ArgumentNullException.ThrowIfNull(key);
            ArgumentNullException.ThrowIfNull(value);
            _metadata.Add(new(key, value));
            return this;
        }

        /// <summary>Builds the schema.</summary>
        /// <returns>A new immutable schema.</returns>
        public ArrowSchema Build() => new(_fields, _metadata);
    }
}
