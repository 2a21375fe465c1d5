namespace Ingest.Arrow.Ipc;

/// <summary>
/// The complete encapsulated metadata of a RecordBatch or DictionaryBatch message for one schema shape
/// (continuation marker, length, Message FlatBuffer, padding) with every value-dependent field at a known
/// position. Writing a batch copies the template and patches the row count, body length, field nodes and
/// buffers in place: the fixed cost per batch is a memcpy of a few hundred bytes.
/// </summary>
internal sealed class MessageTemplate
{
    public MessageTemplate(byte[] bytes, int lengthPosition, int bodyLengthPosition, int nodesPosition, int buffersPosition,
        int nodeCount, int bufferCount, int isDeltaPosition)
    {
        Bytes = bytes;
        LengthPosition = lengthPosition;
        BodyLengthPosition = bodyLengthPosition;
        NodesPosition = nodesPosition;
        BuffersPosition = buffersPosition;
        NodeCount = nodeCount;
        BufferCount = bufferCount;
        IsDeltaPosition = isDeltaPosition;
    }

    public byte[] Bytes { get; }

    /// <summary>Position of RecordBatch.length (int64).</summary>
    public int LengthPosition { get; }

    /// <summary>Position of Message.bodyLength (int64).</summary>
    public int BodyLengthPosition { get; }

    /// <summary>Position of the first FieldNode struct.</summary>
    public int NodesPosition { get; }

    /// <summary>Position of the first Buffer struct.</summary>
    public int BuffersPosition { get; }

    public int NodeCount { get; }

    public int BufferCount { get; }

    /// <summary>Position of DictionaryBatch.isDelta (bool), or -1 for record batches.</summary>
    public int IsDeltaPosition { get; }
}
