using System.Buffers;
using Ingest.Arrow;
using Ingest.Tests.Support;

namespace Ingest.Tests.Arrow;

/// <summary>
/// Reads each Arrow C++ gold file, writes its batches again with our writers (buffers passed through
/// as-is), reads that back and compares with the gold JSON: our writer handles everything C++ produced.
/// </summary>
public sealed class GoldRewriteTests
{
    [Theory]
    [MemberData(nameof(GoldFileTests.ReadableCases), MemberType = typeof(GoldFileTests))]
    public void RewriteWithOurWriters_GoldCase_StillMatchesJson(string stem)
    {
        var directory = Path.Combine(Peers.SharedTestData, "arrow-gold");
        using var json = GoldJson.Load(Path.Combine(directory, stem + ".json.gz"));
        var gold = ArrowIpcReader.Read(File.ReadAllBytes(Path.Combine(directory, stem + ".stream")));
        var dictionaries = DictionaryColumns(gold);

        var stream = new ArrayBufferWriter<byte>();
        var streamWriter = new ArrowStreamWriter(stream, gold.Schema);
        var file = new ArrayBufferWriter<byte>();
        var fileWriter = new ArrowFileWriter(file, gold.Schema);
        streamWriter.WriteStart(dictionaries);
        fileWriter.WriteStart(dictionaries);
        foreach (var batch in gold.RecordBatches)
        {
            var columns = batch.Columns.Select(ToColumn).ToArray();
            streamWriter.WriteBatch(batch.Length, columns);
            fileWriter.WriteBatch(batch.Length, columns);
        }

        streamWriter.WriteEnd();
        fileWriter.Finish();
        GoldJson.AssertContentMatches(json.RootElement, ArrowIpcReader.Read(stream.WrittenMemory));
        GoldJson.AssertContentMatches(json.RootElement, ArrowIpcReader.Read(file.WrittenMemory));
    }

    private static ArrowColumn[] DictionaryColumns(ArrowIpcContent content)
    {
        var columns = new ArrowColumn[content.Schema.DictionaryFields.Count];
        for (var i = 0; i < columns.Length; i++)
        {
            var field = content.Schema.DictionaryFields[i];
            // Top-level dictionary fields only in the gold cases: take the dictionary from the first batch.
            var index = content.Schema.GetFieldIndex(field.Name);
            columns[i] = content.RecordBatches.Count > 0
                ? ToColumn(content.RecordBatches[0].Columns[index].Dictionary!)
                : ColumnFactory.Strings([]).Column;
        }

        return columns;
    }

    internal static ArrowColumn ToColumn(ArrowArray array)
    {
        if (array.Type.Id == ArrowTypeId.Null && array.Dictionary is null)
        {
            return ArrowColumn.Null(array.Length);
        }

        var children = array.Children.Select(ToColumn).ToArray();
        return new ArrowColumn(array.Length, array.NullCount, array.ValidityBuffer, array.ValueBuffer, array.OffsetBuffer, children);
    }
}
