using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>Builds Arrow column buffers from plain .NET values, the way the pipeline's column buffers look.</summary>
internal static class ColumnFactory
{
    public static (byte[] Bitmap, int NullCount) Bitmap(int length, Func<int, bool> isValid)
    {
        // Pad the bitmap with spare bytes as pooled buffers would be; writers must slice it.
        var bitmap = new byte[((length + 7) / 8) + 3];
        var nulls = 0;
        for (var i = 0; i < length; i++)
        {
            if (isValid(i))
            {
                bitmap[i >> 3] |= (byte)(1 << (i & 7));
            }
            else
            {
                nulls++;
            }
        }

        return (bitmap, nulls);
    }

    public static SampleColumn Fixed<T>(T?[] values, Func<T, object> expected)
        where T : unmanaged
    {
        var raw = new T[values.Length + 2];
        for (var i = 0; i < values.Length; i++)
        {
            raw[i] = values[i] ?? default;
        }

        var (bitmap, nulls) = Bitmap(values.Length, i => values[i].HasValue);
        var bytes = MemoryMarshal.AsBytes(raw.AsSpan()).ToArray();
        return new SampleColumn(ArrowColumn.Primitive(values.Length, bytes, bitmap, nulls),
            Array.ConvertAll(values, v => v.HasValue ? expected(v.Value) : null));
    }

    public static SampleColumn Booleans(bool?[] values)
    {
        var (bits, _) = Bitmap(values.Length, i => values[i] == true);
        var (bitmap, nulls) = Bitmap(values.Length, i => values[i].HasValue);
        return new SampleColumn(ArrowColumn.Primitive(values.Length, bits, bitmap, nulls), Array.ConvertAll(values, v => (object?)v));
    }

    public static SampleColumn Strings(string?[] values) =>
        VariableSize(Array.ConvertAll(values, v => v is null ? null : Encoding.UTF8.GetBytes(v)), Array.ConvertAll(values, v => (object?)v));

    public static SampleColumn Binaries(byte[]?[] values) => VariableSize(values, Array.ConvertAll(values, v => (object?)v));

    public static SampleColumn FixedBinaries(byte[]?[] values, int width)
    {
        var data = new byte[values.Length * width];
        for (var i = 0; i < values.Length; i++)
        {
            values[i]?.CopyTo(data, i * width);
        }

        var (bitmap, nulls) = Bitmap(values.Length, i => values[i] is not null);
        return new SampleColumn(ArrowColumn.Primitive(values.Length, data, bitmap, nulls), Array.ConvertAll(values, v => (object?)v));
    }

    public static SampleColumn DictionaryIndices(int?[] indices, string[] dictionary)
    {
        var column = Fixed(indices, v => v);
        return column with { Expected = Array.ConvertAll(indices, i => i.HasValue ? (object?)dictionary[i.Value] : null) };
    }

    public static SampleColumn Int32Lists(int?[]?[] values)
    {
        var offsets = new int[values.Length + 1];
        var items = new List<int?>();
        for (var i = 0; i < values.Length; i++)
        {
            items.AddRange(values[i] ?? []);
            offsets[i + 1] = items.Count;
        }

        var child = Fixed(items.ToArray(), v => (long)v);
        var (bitmap, nulls) = Bitmap(values.Length, i => values[i] is not null);
        var column = ArrowColumn.List(values.Length, ToBytes(offsets), new[] { child.Column }, bitmap, nulls);
        return new SampleColumn(column, Array.ConvertAll(values, v => v is null ? null : (object?)Array.ConvertAll(v, x => x.HasValue ? (object?)(long)x.Value : null)));
    }

    public static SampleColumn Float32FixedLists(float[]?[] values, int size)
    {
        var items = new float?[values.Length * size];
        for (var i = 0; i < values.Length; i++)
        {
            for (var j = 0; j < size; j++)
            {
                items[(i * size) + j] = values[i]?[j] ?? 0f;
            }
        }

        var child = Fixed(items, v => (double)v);
        var (bitmap, nulls) = Bitmap(values.Length, i => values[i] is not null);
        var column = ArrowColumn.FixedSizeList(values.Length, new[] { child.Column }, bitmap, nulls);
        return new SampleColumn(column, Array.ConvertAll(values, v => v is null ? null : (object?)Array.ConvertAll(v, x => (object?)(double)x)));
    }

    public static SampleColumn Struct(int length, Func<int, bool> isValid, params SampleColumn[] children)
    {
        var (bitmap, nulls) = Bitmap(length, isValid);
        var columns = Array.ConvertAll(children, c => c.Column);
        var expected = new object?[length];
        for (var i = 0; i < length; i++)
        {
            expected[i] = isValid(i) ? Array.ConvertAll(children, c => c.Expected[i]) : null;
        }

        return new SampleColumn(ArrowColumn.Struct(length, columns, bitmap, nulls), expected);
    }

    public static byte[] ToBytes<T>(T[] values)
        where T : unmanaged => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static SampleColumn VariableSize(byte[]?[] values, object?[] expected)
    {
        var offsets = new byte[(values.Length + 1) * 4 + 8];
        using var data = new MemoryStream();
        for (var i = 0; i < values.Length; i++)
        {
            data.Write(values[i] ?? []);
            BinaryPrimitives.WriteInt32LittleEndian(offsets.AsSpan((i + 1) * 4), (int)data.Length);
        }

        data.Write("spare"u8);
        var (bitmap, nulls) = Bitmap(values.Length, i => values[i] is not null);
        return new SampleColumn(ArrowColumn.VariableSize(values.Length, offsets, data.ToArray(), bitmap, nulls), expected);
    }
}
