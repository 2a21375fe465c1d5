using System.Buffers;

namespace Ingest.Arrow.Ipc;

/// <summary>
/// Shared state of the stream and file writers: output, position, the message-order rules
/// (schema, then every dictionary, then batches) and the per-writer scratch for buffer slices.
/// </summary>
internal sealed class IpcEmitter
{
    private readonly IBufferWriter<byte> _output;
    private readonly ReadOnlyMemory<byte>[] _scratch;

    public IpcEmitter(IBufferWriter<byte> output, ArrowSchema schema, long startPosition)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(schema);
        _output = output;
        Schema = schema;
        Position = startPosition;
        _scratch = new ReadOnlyMemory<byte>[schema.Encoding.MaxBufferCount];
    }

    public ArrowSchema Schema { get; }

    public long Position { get; private set; }

    public bool Started { get; private set; }

    public bool Ended { get; private set; }

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        IpcBatchWriter.WriteBytes(_output, bytes);
        Position += bytes.Length;
    }

    /// <summary>Writes the Schema message and every dictionary; adds the dictionary blocks to <paramref name="dictionaryBlocks"/>.</summary>
    public void Start(ReadOnlySpan<ArrowColumn> dictionaries, List<FileBlock>? dictionaryBlocks)
    {
        EnsureOpen();
        if (Started)
        {
            ThrowHelper.ThrowInvalidOperation("the stream has already been started");
        }

        var fields = Schema.DictionaryFields;
        if (dictionaries.Length != fields.Count)
        {
            ThrowHelper.ThrowArgument($"the schema has {fields.Count} dictionary fields but {dictionaries.Length} dictionaries were given", nameof(dictionaries));
        }

        // Validate every dictionary before writing anything, so a bad one leaves the output untouched.
        for (var i = 0; i < dictionaries.Length; i++)
        {
            IpcBatchWriter.MeasureBody(Schema.Encoding.DictionaryValueFields[i], dictionaries[i]);
        }

        WriteRaw(Schema.Encoding.SchemaMessage);
        Started = true;
        for (var i = 0; i < dictionaries.Length; i++)
        {
            var block = WriteDictionary(i, dictionaries[i], isDelta: false);
            dictionaryBlocks?.Add(block);
        }
    }

    public FileBlock WriteDictionary(int index, in ArrowColumn values, bool isDelta)
    {
        EnsureOpen();
        if (!Started)
        {
            ThrowHelper.ThrowInvalidOperation("write the schema (Start) before dictionaries");
        }

        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Schema.DictionaryFields.Count, nameof(index));
        var offset = Position;
        var (metadata, body) = IpcBatchWriter.WriteDictionaryBatch(_output, Schema, index, values, isDelta, _scratch);
        Position += metadata + body;
        return new FileBlock(offset, metadata, body);
    }

    public FileBlock WriteBatch(int length, ReadOnlySpan<ArrowColumn> columns)
    {
        EnsureOpen();
        if (!Started)
        {
            if (Schema.DictionaryFields.Count > 0)
            {
                ThrowHelper.ThrowInvalidOperation("the schema has dictionary fields: call WriteStart with the dictionaries first");
            }

            Start(default, null);
        }

        var offset = Position;
        var (metadata, body) = IpcBatchWriter.WriteRecordBatch(_output, Schema, length, columns, _scratch);
        Position += metadata + body;
        return new FileBlock(offset, metadata, body);
    }

    public void End()
    {
        EnsureOpen();
        if (!Started)
        {
            if (Schema.DictionaryFields.Count > 0)
            {
                ThrowHelper.ThrowInvalidOperation("the schema has dictionary fields: call WriteStart with the dictionaries first");
            }

            Start(default, null);
        }

        WriteRaw(Wire.EndOfStream);
        Ended = true;
    }

    private void EnsureOpen()
    {
        if (Ended)
        {
            ThrowHelper.ThrowInvalidOperation("the stream has already been ended");
        }
    }
}
