using System.Buffers;
using System.CommandLine;
using Ingest.Arrow;
using Ingest.Gateway.Cli;
using Ingest.Tests.Support;

namespace Ingest.Tests.Arrow;

/// <summary><c>wearable-ingest arrow inspect</c> through the real command line parser.</summary>
public sealed class ArrowInspectCommandTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = WearableIngestCli.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), error.ToString());
    }

    [Fact]
    public void Inspect_NarrowStream_PrintsFormatSchemaMetadataCountsAndRowTable()
    {
        var schema = new ArrowSchema.Builder()
            .Metadata("wearable:profile", "polar-h10")
            .Field("time", ArrowType.Timestamp(ArrowTimeUnit.Microsecond, "UTC"), isNullable: false)
            .Field("hr", ArrowType.UInt8, metadata: [new("wearable:unit", "bpm")])
            .Field(new ArrowField("device", ArrowType.Utf8, false, null, new ArrowDictionaryEncoding(0, ArrowType.Int32)))
            .Build();
        var output = new ArrayBufferWriter<byte>();
        var writer = new ArrowStreamWriter(output, schema);
        writer.WriteStart([ColumnFactory.Strings(["H10 A1B2", "tab\there"]).Column]);
        var time = ColumnFactory.Fixed(new long?[] { 1_700_000_000_000_000, 1_700_000_000_500_000, 1_700_000_001_000_000 }, v => v);
        var hr = ColumnFactory.Fixed(new byte?[] { 61, null, 63 }, v => (ulong)v);
        var device = ColumnFactory.Fixed(new int?[] { 0, 0, 1 }, v => v);
        writer.WriteBatch(3, [time.Column, hr.Column, device.Column]);
        writer.WriteBatch(0, [ArrowColumn.Primitive(0, default), ArrowColumn.Primitive(0, default), ArrowColumn.Primitive(0, default)]);
        writer.WriteEnd();
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-inspect"), "hr.arrows");
        File.WriteAllBytes(path, output.WrittenSpan.ToArray());

        var (exitCode, text, error) = Run("arrow", "inspect", path);

        Assert.True(exitCode == 0, error);
        Assert.Contains("format:   Arrow IPC stream, metadata V5, little-endian", text, StringComparison.Ordinal);
        Assert.Contains("schema:   3 field(s)", text, StringComparison.Ordinal);
        Assert.Contains("  time: timestamp[us, tz=UTC] not null    [nulls: 0]", text, StringComparison.Ordinal);
        Assert.Contains("  hr: uint8    [nulls: 1]\n      wearable:unit = bpm", text, StringComparison.Ordinal);
        Assert.Contains("  device: dictionary<values=string, indices=int32, ordered=0> not null", text, StringComparison.Ordinal);
        Assert.Contains("schema metadata:\n  wearable:profile = polar-h10", text, StringComparison.Ordinal);
        Assert.Contains("batches:  2 record batch(es), 1 dictionary batch(es)", text, StringComparison.Ordinal);
        Assert.Contains("rows:     3 (per batch: 3, 0)", text, StringComparison.Ordinal);
        Assert.Contains("first 3 row(s):", text, StringComparison.Ordinal);
        Assert.Contains("2023-11-14 22:13:20.000000Z | 61   | \"H10 A1B2\"", text, StringComparison.Ordinal);
        Assert.Contains("2023-11-14 22:13:20.500000Z | null | \"H10 A1B2\"", text, StringComparison.Ordinal);
        Assert.Contains("\"tab\\there\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_WideFileWithEveryType_PrintsOneBlockPerRow()
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new ArrowFileWriter(output, ArrowSamples.AllTypesSchema);
        writer.WriteStart(ArrowSamples.AllTypesDictionaries());
        writer.WriteBatch(4, ArrowSamples.Columns(ArrowSamples.AllTypes(4, 0, withNulls: true)));
        writer.Finish();
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-inspect"), "all.arrow");
        File.WriteAllBytes(path, output.WrittenSpan.ToArray());

        var (exitCode, text, error) = Run("arrow", "inspect", path, "--rows", "2");

        Assert.True(exitCode == 0, error);
        Assert.Contains("format:   Arrow IPC file (random access, footer)", text, StringComparison.Ordinal);
        Assert.Contains("  xyz: fixed_size_list<item: float not null>[3]", text, StringComparison.Ordinal);
        Assert.Contains("  reading: struct<hr: uint8, label: string, at: timestamp[ms, tz=UTC]>", text, StringComparison.Ordinal);
        Assert.Contains("first 2 row(s):\n  -- row 0 --", text, StringComparison.Ordinal);
        Assert.Contains("  -- row 1 --", text, StringComparison.Ordinal);
        Assert.DoesNotContain("-- row 2 --", text, StringComparison.Ordinal);
        Assert.Contains("xyz          : [0, 0, 9.81]", text, StringComparison.Ordinal);
        Assert.Contains("time64_ns    : 00:00:00.000000000", text, StringComparison.Ordinal);
        Assert.Contains("reading      : {hr: 60, label: null, at: 2023-11-14 22:13:20.000Z}", text, StringComparison.Ordinal);
        Assert.Contains("i64          : null", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_NotArrow_ExitCode1WithReason()
    {
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-inspect"), "garbage.arrows");
        File.WriteAllBytes(path, [0x7C, 0x07, 0, 0, 1, 2, 3, 4]);
        var (exitCode, _, error) = Run("arrow", "inspect", path);
        Assert.Equal(1, exitCode);
        Assert.Contains("is not valid Arrow IPC", error, StringComparison.Ordinal);
        Assert.Contains("legacy (pre-0.15) IPC framing", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_MissingFile_ExitCode2()
    {
        var (exitCode, _, error) = Run("arrow", "inspect", "/nonexistent/batch.arrow");
        Assert.Equal(2, exitCode);
        Assert.Contains("cannot read /nonexistent/batch.arrow", error, StringComparison.Ordinal);
    }
}
