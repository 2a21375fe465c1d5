using System.Buffers;
using Ingest.Arrow.Ipc;

namespace Ingest.Arrow;

/// <summary>
/// Writes an Arrow IPC stream (metadata V5, little-endian, 8-byte aligned, uncompressed) to an
/// <see cref="IBufferWriter{T}"/>: the Schema message once, every dictionary, then record batches, then
/// the end-of-stream marker. Each batch costs one template copy plus one copy of each column buffer; it
/// allocates nothing. Not thread-safe: use one writer per stream from one thread at a time.
/// </summary>
public sealed class ArrowStreamWriter
{
    private readonly IpcEmitter _emitter;

    /// <summary>Creates a writer; nothing is written until the first call.</summary>
    /// <param name="output">Where the bytes go. The writer calls GetSpan/Advance only.</param>
    /// <param name="schema">The stream's schema (its encoding is cached on the instance, so reuse it).</param>
    public ArrowStreamWriter(IBufferWriter<byte> output, ArrowSchema schema)
    {
        _emitter = new IpcEmitter(output, schema, 0);
    }

    /// <summary>The stream's schema.</summary>
    public ArrowSchema Schema => _emitter.Schema;

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => _emitter.Position;

    /// <summary>
    /// Writes the Schema message and one DictionaryBatch per <see cref="ArrowSchema.DictionaryFields"/>
    /// entry, in that order (Arrow C++ requires every dictionary before the first batch). Optional when
    /// the schema has no dictionary fields: the first <see cref="WriteBatch"/> does it.
    /// </summary>
    /// <param name="dictionaries">The dictionary value columns, one per dictionary field, in schema order.</param>
    public void WriteStart(ReadOnlySpan<ArrowColumn> dictionaries = default) => _emitter.Start(dictionaries, null);

    /// <summary>Writes a record batch.</summary>
    /// <param name="length">Number of rows; every column must have this length.</param>
    /// <param name="columns">One column per top-level field, in schema order.</param>
    /// <exception cref="ArgumentException">A column does not match its field (buffer too short, nulls in a non-nullable field, …); nothing was written.</exception>
    public void WriteBatch(int length, ReadOnlySpan<ArrowColumn> columns) => _emitter.WriteBatch(length, columns);

    /// <summary>
    /// Replaces the dictionary of <see cref="ArrowSchema.DictionaryFields"/>[<paramref name="index"/>] for the
    /// batches that follow (a non-delta DictionaryBatch; streams only — files forbid replacement). Every reader
    /// handles replacement; deltas are deliberately not offered. Self-contained streams are still the most
    /// portable choice.
    /// </summary>
    /// <param name="index">Position in <see cref="ArrowSchema.DictionaryFields"/>.</param>
    /// <param name="values">The new dictionary values.</param>
    public void WriteDictionary(int index, in ArrowColumn values) => _emitter.WriteDictionary(index, values, isDelta: false);

    /// <summary>Writes the end-of-stream marker (<c>FFFFFFFF 00000000</c>). Nothing may follow.</summary>
    public void WriteEnd() => _emitter.End();
}
