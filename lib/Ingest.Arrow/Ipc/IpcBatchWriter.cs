using System.Buffers;
using System.Buffers.Binary;

namespace Ingest.Arrow.Ipc;

/// <summary>
/// Writes RecordBatch and DictionaryBatch messages: copies the schema's metadata template into the
/// output, patches row count, field nodes, buffers and body length in place, then copies each column
/// buffer once, padded to 8 bytes (protocols.md §1.5–1.6). No per-value work and no allocation: the
/// caller supplies the scratch span that remembers the buffer slices between the two passes.
/// </summary>
internal static class IpcBatchWriter
{
    private static readonly byte[] s_zeros = new byte[Wire.Alignment];

    /// <summary>Writes one record batch; returns the metadata length (with its 8-byte prefix) and the body length.</summary>
    public static (int MetadataLength, long BodyLength) WriteRecordBatch(IBufferWriter<byte> output, ArrowSchema schema,
        int length, ReadOnlySpan<ArrowColumn> columns, Span<ReadOnlyMemory<byte>> scratch)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var fields = schema.Fields;
        if (columns.Length != fields.Count)
        {
            ThrowHelper.ThrowArgument($"the schema has {fields.Count} fields but {columns.Length} columns were given", nameof(columns));
        }

        var template = schema.Encoding.RecordBatch;
        var metadata = output.GetSpan(template.Bytes.Length).Slice(0, template.Bytes.Length);
        template.Bytes.CopyTo(metadata);
        var nodes = metadata.Slice(template.NodesPosition, template.NodeCount * Wire.StructSize16);
        var buffers = metadata.Slice(template.BuffersPosition, template.BufferCount * Wire.StructSize16);
        int node = 0, buffer = 0;
        long body = 0;
        for (var i = 0; i < columns.Length; i++)
        {
            if (columns[i].Length != length)
            {
                ThrowHelper.ThrowArgument($"column '{fields[i].Name}' has {columns[i].Length} rows, the batch {length}", nameof(columns));
            }

            body = Layout(fields[i], columns[i], nodes, buffers, scratch, ref node, ref buffer, body);
        }

        BinaryPrimitives.WriteInt64LittleEndian(metadata.Slice(template.LengthPosition), length);
        BinaryPrimitives.WriteInt64LittleEndian(metadata.Slice(template.BodyLengthPosition), body);
        output.Advance(template.Bytes.Length);
        CopyBody(output, scratch.Slice(0, buffer));
        return (template.Bytes.Length, body);
    }

    /// <summary>Writes one dictionary batch for <see cref="ArrowSchema.DictionaryFields"/>[<paramref name="index"/>].</summary>
    public static (int MetadataLength, long BodyLength) WriteDictionaryBatch(IBufferWriter<byte> output, ArrowSchema schema,
        int index, in ArrowColumn values, bool isDelta, Span<ReadOnlyMemory<byte>> scratch)
    {
        var encoding = schema.Encoding;
        var template = encoding.Dictionaries[index];
        var metadata = output.GetSpan(template.Bytes.Length).Slice(0, template.Bytes.Length);
        template.Bytes.CopyTo(metadata);
        var nodes = metadata.Slice(template.NodesPosition, template.NodeCount * Wire.StructSize16);
        var buffers = metadata.Slice(template.BuffersPosition, template.BufferCount * Wire.StructSize16);
        int node = 0, buffer = 0;
        var body = Layout(encoding.DictionaryValueFields[index], values, nodes, buffers, scratch, ref node, ref buffer, 0);
        BinaryPrimitives.WriteInt64LittleEndian(metadata.Slice(template.LengthPosition), values.Length);
        BinaryPrimitives.WriteInt64LittleEndian(metadata.Slice(template.BodyLengthPosition), body);
        metadata[template.IsDeltaPosition] = isDelta ? (byte)1 : (byte)0;
        output.Advance(template.Bytes.Length);
        CopyBody(output, scratch.Slice(0, buffer));
        return (template.Bytes.Length, body);
    }

    /// <summary>Body bytes one field's column (and its children) would take; validates the column like a write does.</summary>
    public static long MeasureBody(ArrowField field, in ArrowColumn column)
    {
        int node = 0, buffer = 0;
        return Layout(field, column, default, default, default, ref node, ref buffer, 0);
    }

    public static void WriteBytes(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            var span = output.GetSpan(bytes.Length);
            var count = Math.Min(span.Length, bytes.Length);
            bytes.Slice(0, count).CopyTo(span);
            output.Advance(count);
            bytes = bytes.Slice(count);
        }
    }

    /// <summary>Copies each buffer once, followed by zero padding to 8, then forgets the slices (the scratch must not keep caller memory alive).</summary>
    private static void CopyBody(IBufferWriter<byte> output, Span<ReadOnlyMemory<byte>> slices)
    {
        foreach (var slice in slices)
        {
            var source = slice.Span;
            var padded = Wire.Align8(source.Length);
            // IBufferWriter.GetSpan(sizeHint) returns at least sizeHint bytes: data and padding in one reservation.
            var span = output.GetSpan(padded);
            source.CopyTo(span);
            span.Slice(source.Length, padded - source.Length).Clear();
            output.Advance(padded);
        }

        slices.Clear();
    }

    /// <summary>
    /// Pre-order layout of one field (protocols.md §1.5): its FieldNode, its buffers, then its children.
    /// With empty spans it only measures and validates.
    /// </summary>
    private static long Layout(ArrowField field, in ArrowColumn column, Span<byte> nodes, Span<byte> buffers,
        Span<ReadOnlyMemory<byte>> slices, ref int node, ref int buffer, long body)
    {
        var length = column.Length;
        var type = field.Type;
        var nullCount = type.Id == ArrowTypeId.Null ? length : column.NullCount;
        if (nullCount > 0 && !field.IsNullable && type.Id != ArrowTypeId.Null)
        {
            ThrowHelper.ThrowArgument($"column '{field.Name}' has {nullCount} nulls but the field is not nullable", nameof(column));
        }

        if (!nodes.IsEmpty)
        {
            var entry = nodes.Slice(node * Wire.StructSize16);
            BinaryPrimitives.WriteInt64LittleEndian(entry, length);
            BinaryPrimitives.WriteInt64LittleEndian(entry.Slice(8), nullCount);
        }

        node++;
        if (type.Id == ArrowTypeId.Null)
        {
            return body;
        }

        ReadOnlyMemory<byte> validity = default;
        if (column.NullCount > 0)
        {
            var bitmapBytes = Wire.BitmapBytes(length);
            if (column.Validity.Length < bitmapBytes)
            {
                ThrowHelper.ThrowArgument($"column '{field.Name}' has nulls but its validity bitmap has {column.Validity.Length} of {bitmapBytes} bytes", nameof(column));
            }

            validity = column.Validity.Slice(0, bitmapBytes);
        }

        // Arrow allows omitting the bitmap of a column without nulls: the Buffer entry stays, with length 0.
        body = Add(validity, buffers, slices, ref buffer, body);
        if (field.Dictionary is not null)
        {
            return Add(FixedValues(field, column, field.Dictionary.IndexType.ByteWidth), buffers, slices, ref buffer, body);
        }

        switch (type.Id)
        {
            case ArrowTypeId.Boolean:
                return Add(Slice(field, column.Values, Wire.BitmapBytes(length), "values"), buffers, slices, ref buffer, body);
            case ArrowTypeId.Utf8:
            case ArrowTypeId.Binary:
            {
                var offsets = Offsets(field, column, out var end);
                if (end > column.Values.Length)
                {
                    ThrowHelper.ThrowArgument($"column '{field.Name}' offsets end at {end} but it has {column.Values.Length} data bytes", nameof(column));
                }

                body = Add(offsets, buffers, slices, ref buffer, body);
                return Add(column.Values.Slice(0, end), buffers, slices, ref buffer, body);
            }

            case ArrowTypeId.List:
            {
                var offsets = Offsets(field, column, out var end);
                var child = Child(field, column, 0, 1);
                if (end > child.Length)
                {
                    ThrowHelper.ThrowArgument($"column '{field.Name}' offsets end at {end} but its child has {child.Length} values", nameof(column));
                }

                body = Add(offsets, buffers, slices, ref buffer, body);
                return Layout(type.Children[0], child, nodes, buffers, slices, ref node, ref buffer, body);
            }

            case ArrowTypeId.FixedSizeList:
            {
                var child = Child(field, column, 0, 1);
                if (child.Length != (long)length * type.FixedSize)
                {
                    ThrowHelper.ThrowArgument($"column '{field.Name}' needs {(long)length * type.FixedSize} child values but has {child.Length}", nameof(column));
                }

                return Layout(type.Children[0], child, nodes, buffers, slices, ref node, ref buffer, body);
            }

            case ArrowTypeId.Struct:
                for (var i = 0; i < type.Children.Count; i++)
                {
                    var child = Child(field, column, i, type.Children.Count);
                    if (child.Length != length)
                    {
                        ThrowHelper.ThrowArgument($"struct '{field.Name}' child '{type.Children[i].Name}' has {child.Length} rows, the struct {length}", nameof(column));
                    }

                    body = Layout(type.Children[i], child, nodes, buffers, slices, ref node, ref buffer, body);
                }

                return body;
            default:
                return Add(FixedValues(field, column, type.ByteWidth), buffers, slices, ref buffer, body);
        }
    }

    private static ReadOnlyMemory<byte> FixedValues(ArrowField field, in ArrowColumn column, int width) =>
        Slice(field, column.Values, (long)column.Length * width, "values");

    private static ReadOnlyMemory<byte> Slice(ArrowField field, ReadOnlyMemory<byte> memory, long needed, string what)
    {
        if (memory.Length < needed)
        {
            ThrowHelper.ThrowArgument($"column '{field.Name}' {what} buffer has {memory.Length} bytes, {needed} needed", "columns");
        }

        return memory.Slice(0, (int)needed);
    }

    private static ReadOnlyMemory<byte> Offsets(ArrowField field, in ArrowColumn column, out int end)
    {
        if (column.Length == 0 && column.Offsets.Length < 4)
        {
            // An empty variable-size column still gets the single offset 0, as Arrow C++ and JS write it.
            end = 0;
            return s_zeros.AsMemory(0, 4);
        }

        var offsets = Slice(field, column.Offsets, ((long)column.Length + 1) * 4, "offsets");
        var span = offsets.Span;
        if (BinaryPrimitives.ReadInt32LittleEndian(span) != 0)
        {
            ThrowHelper.ThrowArgument($"column '{field.Name}' offsets must start at 0", nameof(column));
        }

        end = BinaryPrimitives.ReadInt32LittleEndian(span.Slice(column.Length * 4));
        if (end < 0)
        {
            ThrowHelper.ThrowArgument($"column '{field.Name}' last offset is negative", nameof(column));
        }

        return offsets;
    }

    private static ArrowColumn Child(ArrowField field, in ArrowColumn column, int index, int expected)
    {
        if (column.Children.Length != expected)
        {
            ThrowHelper.ThrowArgument($"column '{field.Name}' needs {expected} child column(s) but has {column.Children.Length}", nameof(column));
        }

        return column.Children.Span[index];
    }

    private static long Add(ReadOnlyMemory<byte> memory, Span<byte> buffers, Span<ReadOnlyMemory<byte>> slices, ref int buffer, long body)
    {
        if (!buffers.IsEmpty)
        {
            var entry = buffers.Slice(buffer * Wire.StructSize16);
            BinaryPrimitives.WriteInt64LittleEndian(entry, body);
            BinaryPrimitives.WriteInt64LittleEndian(entry.Slice(8), memory.Length);
            slices[buffer] = memory;
        }

        buffer++;
        var next = body + Wire.Align8((long)memory.Length);
        if (next > ArrowLimits.MaxBodyLength)
        {
            ThrowHelper.ThrowArgument($"the message body would exceed {ArrowLimits.MaxBodyLength} bytes", "columns");
        }

        return next;
    }
}
