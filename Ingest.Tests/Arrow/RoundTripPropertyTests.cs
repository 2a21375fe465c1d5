using System.Buffers;
using FsCheck;
using FsCheck.Fluent;
using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>Property: any subset of the supported columns, any row count, values and null pattern round-trips exactly.</summary>
public sealed class RoundTripPropertyTests
{
    [Fact]
    public void WriteThenRead_RandomColumnSubsetsRowsAndNulls_EveryValueEqual()
    {
        var fieldCount = ArrowSamples.AllTypesSchema.Fields.Count;
        var cases = Gen.Zip(
            Gen.Zip(Gen.Choose(0, 300), Gen.Choose(0, 1000)),
            Gen.Zip(Gen.Elements(true, false), Gen.SubListOf(Enumerable.Range(0, fieldCount).ToArray())));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var ((rows, seed), (nulls, picked)) = c;
            var all = ArrowSamples.AllTypes(rows, seed, nulls);
            var fields = picked.Select(i => ArrowSamples.AllTypesSchema.Fields[i]).ToArray();
            var schema = new ArrowSchema(fields, ArrowSamples.AllTypesSchema.Metadata);
            var sample = picked.Select(i => all[i]).ToArray();
            var dictionaries = schema.DictionaryFields.Select(f => f.Name == "device"
                ? ColumnFactory.Strings(ArrowSamples.DeviceNames).Column
                : ColumnFactory.Strings(ArrowSamples.UnitCodes).Column).ToArray();

            var stream = new ArrayBufferWriter<byte>();
            ArrowIpc.WriteStream(stream, schema, rows, ArrowSamples.Columns(sample), dictionaries);
            var file = new ArrayBufferWriter<byte>();
            var writer = new ArrowFileWriter(file, schema);
            writer.WriteStart(dictionaries);
            writer.WriteBatch(rows, ArrowSamples.Columns(sample));
            writer.Finish();

            foreach (var bytes in new[] { stream.WrittenMemory, file.WrittenMemory })
            {
                var content = ArrowIpcReader.Read(bytes);
                Assert.Equal(schema, content.Schema);
                var batch = Assert.Single(content.RecordBatches);
                Assert.Equal(rows, batch.Length);
                ArrowAssert.BatchEquals(sample, batch);
            }

            return true;
        }));
    }
}
