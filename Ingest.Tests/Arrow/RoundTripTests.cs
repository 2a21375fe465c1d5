using System.Buffers;
using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>Write with our writers, read with our reader, compare every value with the source.</summary>
public sealed class RoundTripTests
{
    private static readonly ArrowSchema s_schema = ArrowSamples.AllTypesSchema;

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(7, true)]
    [InlineData(8, false)]
    [InlineData(65, true)]
    [InlineData(1000, true)]
    public void WriteStream_EveryType_ReadsBackEveryValue(int rows, bool withNulls)
    {
        var sample = ArrowSamples.AllTypes(rows, seed: 3, withNulls);
        var output = new ArrayBufferWriter<byte>();
        var written = ArrowIpc.WriteStream(output, s_schema, rows, ArrowSamples.Columns(sample), ArrowSamples.AllTypesDictionaries());

        Assert.Equal(output.WrittenCount, written);
        Assert.Equal(written, ArrowIpc.GetStreamLength(s_schema, rows, ArrowSamples.Columns(sample), ArrowSamples.AllTypesDictionaries()));
        var content = ArrowIpcReader.Read(output.WrittenMemory);
        Assert.Equal(ArrowIpcFormat.Stream, content.Format);
        Assert.Equal(s_schema, content.Schema);
        Assert.Equal(2, content.DictionaryBatchCount);
        var batch = Assert.Single(content.RecordBatches);
        Assert.Equal(rows, batch.Length);
        ArrowAssert.BatchEquals(sample, batch);
    }

    [Fact]
    public void StreamWriter_ManyBatchesIncludingEmpty_ReadsBackInOrder()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ArrowStreamWriter(output, s_schema);
        writer.WriteStart(ArrowSamples.AllTypesDictionaries());
        var samples = new List<SampleColumn[]>();
        foreach (var (rows, seed) in new[] { (5, 0), (0, 1), (130, 2), (1, 3), (64, 4) })
        {
            var sample = ArrowSamples.AllTypes(rows, seed, withNulls: seed % 2 == 0);
            samples.Add(sample);
            writer.WriteBatch(rows, ArrowSamples.Columns(sample));
        }

        writer.WriteEnd();
        Assert.Equal(output.WrittenCount, writer.BytesWritten);

        var content = ArrowIpcReader.ReadStream(output.WrittenMemory);
        Assert.Equal(samples.Count, content.RecordBatches.Count);
        Assert.Equal(200, content.RowCount);
        for (var b = 0; b < samples.Count; b++)
        {
            ArrowAssert.BatchEquals(samples[b], content.RecordBatches[b]);
        }
    }

    [Fact]
    public void FileWriter_ManyBatches_ReadsBackThroughFooter()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ArrowFileWriter(output, s_schema);
        writer.WriteStart(ArrowSamples.AllTypesDictionaries());
        var samples = new List<SampleColumn[]>();
        for (var b = 0; b < 4; b++)
        {
            var sample = ArrowSamples.AllTypes(b * 33, b, withNulls: true);
            samples.Add(sample);
            writer.WriteBatch(b * 33, ArrowSamples.Columns(sample));
        }

        writer.Finish();
        var bytes = output.WrittenMemory;
        Assert.True(bytes.Span.StartsWith("ARROW1\0\0"u8));
        Assert.True(bytes.Span.EndsWith("ARROW1"u8));

        var content = ArrowIpcReader.Read(bytes);
        Assert.Equal(ArrowIpcFormat.File, content.Format);
        Assert.Equal(s_schema, content.Schema);
        for (var b = 0; b < samples.Count; b++)
        {
            ArrowAssert.BatchEquals(samples[b], content.RecordBatches[b]);
        }

        // The embedded stream (after the 8-byte magic) is a valid stream on its own.
        var embedded = ArrowIpcReader.ReadStream(bytes[8..]);
        Assert.Equal(samples.Count, embedded.RecordBatches.Count);
    }

    [Fact]
    public void FileWriter_NoBatches_HasSchemaOnly()
    {
        var schema = new ArrowSchema.Builder().Field("x", ArrowType.Float64).Build();
        var output = new ArrayBufferWriter<byte>();
        var writer = new ArrowFileWriter(output, schema);
        writer.Finish();

        var content = ArrowIpcReader.Read(output.WrittenMemory);
        Assert.Equal(schema, content.Schema);
        Assert.Empty(content.RecordBatches);
    }

    [Fact]
    public void StreamWriter_DictionaryReplacement_LaterBatchesUseNewDictionary()
    {
        var schema = new ArrowSchema.Builder()
            .Field(new ArrowField("name", ArrowType.Utf8, true, null, new ArrowDictionaryEncoding(0, ArrowType.Int16)))
            .Build();
        var output = new ArrayBufferWriter<byte>();
        var writer = new ArrowStreamWriter(output, schema);
        writer.WriteStart([ColumnFactory.Strings(["a", "b"]).Column]);
        writer.WriteBatch(2, [ColumnFactory.Fixed(new short?[] { 1, 0 }, v => v).Column]);
        writer.WriteDictionary(0, ColumnFactory.Strings(["x", "y", "z"]).Column);
        writer.WriteBatch(2, [ColumnFactory.Fixed(new short?[] { 2, null }, v => v).Column]);
        writer.WriteEnd();

        var content = ArrowIpcReader.Read(output.WrittenMemory);
        Assert.Equal("b", content.RecordBatches[0].Columns[0].GetString(0));
        Assert.Equal("a", content.RecordBatches[0].Columns[0].GetString(1));
        Assert.Equal("z", content.RecordBatches[1].Columns[0].GetString(0));
        Assert.Null(content.RecordBatches[1].Columns[0].GetString(1));
    }

    [Fact]
    public void ArrowBufferWriter_WriteStream_SameBytesAsArrayBufferWriter()
    {
        var sample = ArrowSamples.AllTypes(50, 1, true);
        var expected = new ArrayBufferWriter<byte>();
        ArrowIpc.WriteStream(expected, s_schema, 50, ArrowSamples.Columns(sample), ArrowSamples.AllTypesDictionaries());
        using var pooled = new ArrowBufferWriter(16);
        ArrowIpc.WriteStream(pooled, s_schema, 50, ArrowSamples.Columns(sample), ArrowSamples.AllTypesDictionaries());
        Assert.Equal(expected.WrittenSpan.ToArray(), pooled.WrittenSpan.ToArray());
    }

    [Fact]
    public void WriteStream_TightGarbageFilledWriter_SameBytes()
    {
        var sample = ArrowSamples.AllTypes(21, 2, true);
        var expected = new ArrayBufferWriter<byte>();
        ArrowIpc.WriteStream(expected, s_schema, 21, ArrowSamples.Columns(sample), ArrowSamples.AllTypesDictionaries());
        var tight = new TightBufferWriter();
        ArrowIpc.WriteStream(tight, s_schema, 21, ArrowSamples.Columns(sample), ArrowSamples.AllTypesDictionaries());
        Assert.Equal(expected.WrittenSpan.ToArray(), tight.ToArray());

        var file = new TightBufferWriter();
        var writer = new ArrowFileWriter(file, s_schema);
        writer.WriteStart(ArrowSamples.AllTypesDictionaries());
        writer.WriteBatch(21, ArrowSamples.Columns(sample));
        writer.Finish();
        ArrowAssert.BatchEquals(sample, ArrowIpcReader.Read(file.ToArray()).RecordBatches[0]);
    }

    [Fact]
    public void WriteBatch_ValuesAreWrittenOnceAndPadded_BodyBuffersAre8Aligned()
    {
        var schema = new ArrowSchema.Builder().Field("v", ArrowType.Int16).Field("s", ArrowType.Utf8).Build();
        var values = ColumnFactory.Fixed(new short?[] { 1, null, 3 }, v => (long)v);
        var strings = ColumnFactory.Strings(["abc", "", "z"]);
        var output = new ArrayBufferWriter<byte>();
        ArrowIpc.WriteStream(output, schema, 3, [values.Column, strings.Column]);
        var batch = ArrowIpcReader.Read(output.WrittenMemory).RecordBatches[0];
        ArrowAssert.ColumnEquals(values.Expected, batch.Columns[0]);
        ArrowAssert.ColumnEquals(strings.Expected, batch.Columns[1]);
        Assert.Equal(6, batch.Columns[0].ValueBuffer.Length);
        Assert.Equal(4, batch.Columns[1].ValueBuffer.Length);
        Assert.True(batch.Columns[1].ValidityBuffer.IsEmpty);
    }
}
