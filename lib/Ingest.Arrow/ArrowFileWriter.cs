using System.Buffers;
using System.Buffers.Binary;
using Ingest.Arrow.FlatBuffers;
using Ingest.Arrow.Ipc;

namespace Ingest.Arrow;

/// <summary>
/// Writes an Arrow IPC file (<c>.arrow</c>, "Feather v2"): the magic, an embedded stream and a footer
/// whose blocks point at each message's continuation marker (protocols.md §1.3). Call
/// <see cref="WriteStart"/> (or go straight to <see cref="WriteBatch"/> without dictionaries), then
/// <see cref="Finish"/>. Not thread-safe.
/// </summary>
public sealed class ArrowFileWriter
{
    private readonly IpcEmitter _emitter;
    private readonly List<FileBlock> _dictionaries = [];
    private readonly List<FileBlock> _batches = [];
    private bool _finished;

    /// <summary>Creates a writer and writes the leading magic.</summary>
    /// <param name="output">Where the bytes go.</param>
    /// <param name="schema">The file's schema.</param>
    public ArrowFileWriter(IBufferWriter<byte> output, ArrowSchema schema)
    {
        _emitter = new IpcEmitter(output, schema, 0);
        _emitter.WriteRaw(Wire.FileMagicPadded);
    }

    /// <summary>The file's schema.</summary>
    public ArrowSchema Schema => _emitter.Schema;

    /// <summary>Bytes written so far.</summary>
    public long BytesWritten => _emitter.Position;

    /// <summary>Writes the Schema message and the dictionaries (one per dictionary field, schema order).</summary>
    /// <param name="dictionaries">The dictionary value columns.</param>
    public void WriteStart(ReadOnlySpan<ArrowColumn> dictionaries = default) => _emitter.Start(dictionaries, _dictionaries);

    /// <summary>Writes a record batch.</summary>
    /// <param name="length">Number of rows.</param>
    /// <param name="columns">One column per top-level field.</param>
    public void WriteBatch(int length, ReadOnlySpan<ArrowColumn> columns)
    {
        if (_batches.Count >= ArrowLimits.MaxRecordBatchCount)
        {
            ThrowHelper.ThrowInvalidOperation($"a file holds at most {ArrowLimits.MaxRecordBatchCount} record batches");
        }

        _batches.Add(_emitter.WriteBatch(length, columns));
    }

    /// <summary>Writes the end-of-stream marker, the footer, its length and the trailing magic.</summary>
    public void Finish()
    {
        if (_finished)
        {
            ThrowHelper.ThrowInvalidOperation("the file has already been finished");
        }

        _emitter.End();
        var builder = new FlatBufferBuilder();
        var batches = WriteBlocks(builder, _batches);
        var dictionaries = WriteBlocks(builder, _dictionaries);
        var schema = SchemaEncoding.WriteSchemaTable(builder, Schema);
        builder.StartTable(5);
        builder.AddFieldOffset(1, schema);
        builder.AddFieldOffset(2, dictionaries);
        builder.AddFieldOffset(3, batches);
        builder.AddFieldInt16(0, Wire.MetadataV5);
        var footer = builder.Finish(builder.EndTable());
        _emitter.WriteRaw(footer);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, footer.Length);
        _emitter.WriteRaw(length);
        _emitter.WriteRaw(Wire.FileMagic);
        _finished = true;
    }

    private static int WriteBlocks(FlatBufferBuilder builder, List<FileBlock> blocks)
    {
        builder.StartVector(Wire.BlockSize, blocks.Count, 8);
        Span<byte> block = stackalloc byte[Wire.BlockSize];
        for (var i = blocks.Count - 1; i >= 0; i--)
        {
            block.Clear();
            BinaryPrimitives.WriteInt64LittleEndian(block, blocks[i].Offset);
            BinaryPrimitives.WriteInt32LittleEndian(block.Slice(8), blocks[i].MetadataLength);
            BinaryPrimitives.WriteInt64LittleEndian(block.Slice(16), blocks[i].BodyLength);
            builder.AddRaw(block);
        }

        return builder.EndVector();
    }
}
