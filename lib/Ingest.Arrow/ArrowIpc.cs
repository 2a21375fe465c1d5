using System.Buffers;
using Ingest.Arrow.Ipc;

namespace Ingest.Arrow;

/// <summary>
/// One-shot helpers: a complete self-contained IPC stream (Schema, every dictionary, one record batch,
/// end-of-stream) — what each MQTT message carries, decodable by any consumer on its own (protocols.md
/// §1.7, §1.12). The schema bytes are encoded once per <see cref="ArrowSchema"/> instance and reused.
/// Thread-safe; allocation-free after the schema's first use.
/// </summary>
public static class ArrowIpc
{
    /// <summary>MIME type of the IPC stream format.</summary>
    public const string StreamMediaType = "application/vnd.apache.arrow.stream";

    /// <summary>MIME type of the IPC file format.</summary>
    public const string FileMediaType = "application/vnd.apache.arrow.file";

    /// <summary>Writes Schema + dictionaries + one record batch + EOS to <paramref name="output"/>.</summary>
    /// <param name="output">Destination.</param>
    /// <param name="schema">The schema (reuse the instance: its encoding is cached).</param>
    /// <param name="length">Rows in the batch.</param>
    /// <param name="columns">One column per top-level field.</param>
    /// <param name="dictionaries">One value column per <see cref="ArrowSchema.DictionaryFields"/> entry.</param>
    /// <returns>Bytes written.</returns>
    /// <exception cref="ArgumentException">A column does not match its field; nothing was written.</exception>
    public static long WriteStream(IBufferWriter<byte> output, ArrowSchema schema, int length, ReadOnlySpan<ArrowColumn> columns,
        ReadOnlySpan<ArrowColumn> dictionaries = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        var encoding = schema.Encoding;
        if (dictionaries.Length != schema.DictionaryFields.Count)
        {
            ThrowHelper.ThrowArgument($"the schema has {schema.DictionaryFields.Count} dictionary fields but {dictionaries.Length} dictionaries were given", nameof(dictionaries));
        }

        // Validate everything first so a bad column leaves the output untouched.
        var total = GetStreamLength(schema, length, columns, dictionaries);
        var scratch = ArrayPool<ReadOnlyMemory<byte>>.Shared.Rent(encoding.MaxBufferCount);
        try
        {
            IpcBatchWriter.WriteBytes(output, encoding.SchemaMessage);
            for (var i = 0; i < dictionaries.Length; i++)
            {
                IpcBatchWriter.WriteDictionaryBatch(output, schema, i, dictionaries[i], isDelta: false, scratch);
            }

            IpcBatchWriter.WriteRecordBatch(output, schema, length, columns, scratch);
            IpcBatchWriter.WriteBytes(output, Wire.EndOfStream);
        }
        finally
        {
            // The slices reference caller memory: clear them so the pool keeps nothing alive.
            ArrayPool<ReadOnlyMemory<byte>>.Shared.Return(scratch, clearArray: true);
        }

        return total;
    }

    /// <summary>Exact byte length <see cref="WriteStream"/> would produce (validates the columns the same way).</summary>
    /// <param name="schema">The schema.</param>
    /// <param name="length">Rows in the batch.</param>
    /// <param name="columns">One column per top-level field.</param>
    /// <param name="dictionaries">One value column per dictionary field.</param>
    /// <returns>The stream length in bytes.</returns>
    public static long GetStreamLength(ArrowSchema schema, int length, ReadOnlySpan<ArrowColumn> columns, ReadOnlySpan<ArrowColumn> dictionaries = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var encoding = schema.Encoding;
        if (columns.Length != schema.Fields.Count)
        {
            ThrowHelper.ThrowArgument($"the schema has {schema.Fields.Count} fields but {columns.Length} columns were given", nameof(columns));
        }

        if (dictionaries.Length != schema.DictionaryFields.Count)
        {
            ThrowHelper.ThrowArgument($"the schema has {schema.DictionaryFields.Count} dictionary fields but {dictionaries.Length} dictionaries were given", nameof(dictionaries));
        }

        long total = encoding.SchemaMessage.Length + encoding.RecordBatch.Bytes.Length + Wire.EndOfStream.Length;
        for (var i = 0; i < dictionaries.Length; i++)
        {
            total += encoding.Dictionaries[i].Bytes.Length + IpcBatchWriter.MeasureBody(encoding.DictionaryValueFields[i], dictionaries[i]);
        }

        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Length != length)
            {
                ThrowHelper.ThrowArgument($"column '{schema.Fields[i].Name}' has {columns[i].Length} rows, the batch {length}", nameof(columns));
            }

            total += IpcBatchWriter.MeasureBody(schema.Fields[i], columns[i]);
        }

        return total;
    }

    /// <summary>The cached, complete Schema message of <paramref name="schema"/> (marker, length, FlatBuffer, padding).</summary>
    /// <param name="schema">The schema.</param>
    /// <returns>The message bytes; do not modify.</returns>
    public static ReadOnlyMemory<byte> GetSchemaMessage(ArrowSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        return schema.Encoding.SchemaMessage;
    }
}
