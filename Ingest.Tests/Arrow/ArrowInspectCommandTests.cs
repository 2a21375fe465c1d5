using System.Buffers.Binary;
using System.CommandLine;
using Ingest.Gateway.Cli;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Output;
using Ingest.Tests.Pipeline.Batching;
using Ingest.Tests.Support;

namespace Ingest.Tests.Arrow;

/// <summary><c>wearable-ingest arrow inspect</c> through the real command line parser, reading with Apache.Arrow.</summary>
public sealed class ArrowInspectCommandTests
{
    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exitCode = WearableIngestCli.Build().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString().Replace("\r\n", "\n", StringComparison.Ordinal), error.ToString());
    }

    private static string Write(string name, ReadOnlySpan<byte> bytes)
    {
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-inspect"), name);
        File.WriteAllBytes(path, bytes.ToArray());
        return path;
    }

    private static byte[] OurBatch(BatchCompression compression = BatchCompression.None)
    {
        using var encoder = new ArrowBatchEncoder(ArrowBatchEncoderTests.HeartRateSchema, ArrowBatchEncoderTests.HeartRateDescription,
            new BatchEncodingOptions { Compression = compression });
        return encoder.EncodeStream(ArrowBatchEncoderTests.HeartRateRows(), new BatchIdentity("hub-7", "p-0042/heart-rate", 12)).ToArray();
    }

    [Fact]
    public void Inspect_OurBatch_PrintsFormatSchemaMetadataCountsAndRowTable()
    {
        var path = Write("hr.arrows", OurBatch());

        var (exitCode, text, error) = Run("arrow", "inspect", path);

        Assert.True(exitCode == 0, error);
        Assert.Contains("format:   Arrow IPC stream, little-endian, uncompressed bodies\n", text, StringComparison.Ordinal);
        Assert.Contains("schema:   6 field(s)", text, StringComparison.Ordinal);
        Assert.Contains("  hub_time: timestamp[ns, tz=UTC] not null    [nulls: 0]\n      description = hub receive time (UTC)", text, StringComparison.Ordinal);
        Assert.Contains("  device_time: timestamp[ns]    [nulls: 1]", text, StringComparison.Ordinal);
        Assert.Contains("  energy: uint16    [nulls: 2]\n      unit = kJ", text, StringComparison.Ordinal);
        Assert.Contains("  rr_interval: list<item: uint16 not null> not null    [nulls: 0]\n      unit = s\n      scale = 0.0009765625", text, StringComparison.Ordinal);
        Assert.Contains("schema metadata:\n  wearable.hub = hub-7\n  wearable.stream = p-0042/heart-rate\n  wearable.sequence = 12", text, StringComparison.Ordinal);
        Assert.Contains("batches:  1 record batch(es)", text, StringComparison.Ordinal);
        Assert.Contains("rows:     5\n", text, StringComparison.Ordinal);
        Assert.Contains("first 5 row(s):", text, StringComparison.Ordinal);
        Assert.Contains("2025-11-22 10:00:00.000000000Z | 1970-01-01 00:00:00.000001000 | 60", text, StringComparison.Ordinal);
        Assert.Contains("| [1000, 1001, 1002]", text, StringComparison.Ordinal);
        Assert.Contains("| NaN", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none", ", uncompressed bodies\n")]
    [InlineData("lz4", ", LZ4-compressed bodies (apache-arrow JS cannot read them)\n")]
    [InlineData("zstd", ", zstd-compressed bodies (apache-arrow JS cannot read them)\n")]
    public void Inspect_FileOfSeveralBatches_EveryCompression_ReadsAllRowsAndNamesTheCompression(string compression, string formatEnd)
    {
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-inspect"), "hr.arrow");
        Assert.True(BatchEncodingOptions.TryParseCompression(compression, out var codec));
        using (var output = new ArrowFileRowOutput(File.Create(path), ArrowBatchEncoderTests.HeartRateSchema,
                   ArrowBatchEncoderTests.HeartRateDescription, new BatchEncodingOptions { Compression = codec.Value }))
        {
            var columns = ArrowBatchEncoderTests.HeartRateRows();
            output.WriteBatch(columns);
            output.WriteBatch(columns);
            columns.Clear();
            output.WriteBatch(columns);
        }

        var (exitCode, text, error) = Run("arrow", "inspect", path, "--rows", "7");

        Assert.True(exitCode == 0, error);
        Assert.Contains("format:   Arrow IPC file (random access, footer), little-endian" + formatEnd, text, StringComparison.Ordinal);
        Assert.Contains("batches:  3 record batch(es)", text, StringComparison.Ordinal);
        Assert.Contains("rows:     10 (per batch: 5, 5, 0)", text, StringComparison.Ordinal);
        Assert.Contains("  energy: uint16    [nulls: 4]", text, StringComparison.Ordinal);
        Assert.Contains("first 7 row(s):", text, StringComparison.Ordinal);
        Assert.Contains("2025-11-22 10:00:01.000000000Z | 1970-01-01 00:00:00.000001001 | 61", text, StringComparison.Ordinal);
    }

    public static TheoryData<string, byte[], string> BadInputs()
    {
        var batch = OurBatch();
        var file = new MemoryStream();
        using (var output = new ArrowFileRowOutput(file, ArrowBatchEncoderTests.HeartRateSchema, ArrowBatchEncoderTests.HeartRateDescription))
        {
            output.WriteBatch(ArrowBatchEncoderTests.HeartRateRows());
        }

        var fileBytes = file.ToArray();
        // Valid framing around a body that is not a flatbuffer Message.
        byte[] framedGarbage = [0xFF, 0xFF, 0xFF, 0xFF, 16, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0];
        var corruptMetadataLength = (byte[])batch.Clone();
        corruptMetadataLength[4] = 0xF0; // the schema message claims far more bytes than follow
        corruptMetadataLength[5] = 0xFF;
        var hugeFooter = (byte[])fileBytes.Clone();
        BinaryPrimitives.WriteInt32LittleEndian(hugeFooter.AsSpan(hugeFooter.Length - 10), int.MaxValue);
        return new()
        {
            { "empty.arrows", [], "the file is empty (0 bytes)" },
            { "huge-footer.arrow", hugeFooter, "does not fit in the file" },
            { "notes.arrows", "hub_time,heart_rate\n2025-11-22T10:00:00Z,61\n"u8.ToArray(), "it looks like text, not Arrow IPC" },
            { "other.arrows", [0x7C, 0x07, 0, 0, 1, 2, 3, 4], "it starts with 7C070000: it is not Arrow IPC" },
            // A 12-byte metadata length (4 + 12 is 8-aligned) that fits the file: what a pre-0.15 writer produced.
            { "legacy.arrows", [12, 0, 0, 0, .. new byte[12], 0, 0, 0, 0], "legacy (pre-0.15) IPC framing" },
            { "garbage.bin", RandomBytes(4096), "is not Arrow IPC" },
            { "short-text.arrows", "hi\n"u8.ToArray(), "it looks like text" },
            { "utf8-text.arrows", "Herzfrequenz über 180 — prüfen\n"u8.ToArray(), "it looks like text" },
            { "short.arrows", [0xFF, 0xFF, 0xFF], "shorter than any Arrow IPC message" },
            { "truncated.arrows", batch[..(batch.Length / 2)], "truncated" },
            { "no-end-marker.arrows", batch[..^8], "does not end with the end-of-stream marker" },
            { "joined.arrows", [.. batch, .. batch], "follow the end-of-stream marker" },
            { "truncated.arrow", fileBytes[..(fileBytes.Length - 20)], "its end is missing" },
            { "garbage.arrows", framedGarbage, "is not a valid Arrow message" },
            { "corrupt.arrows", corruptMetadataLength, "claims" },
        };
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void Inspect_BadInput_ExitCode1WithOneLineSayingWhatIsWrong(string name, byte[] bytes, string reason)
    {
        var path = Write(name, bytes);

        var (exitCode, text, error) = Run("arrow", "inspect", path);

        Assert.Equal(1, exitCode);
        Assert.Equal("", text);
        if (!name.StartsWith("legacy", StringComparison.Ordinal))
        {
            Assert.DoesNotContain("legacy", error, StringComparison.Ordinal);
        }

        Assert.StartsWith($"error: {path} is not valid Arrow IPC: ", error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    private static byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        new Random(7).NextBytes(bytes);
        bytes[0] = 0x42; // neither 'A' (ARROW1) nor 0xFF (continuation marker)
        return bytes;
    }

    [Fact]
    public void Inspect_MissingFile_ExitCode2()
    {
        var (exitCode, _, error) = Run("arrow", "inspect", "/nonexistent/batch.arrow");
        Assert.Equal(2, exitCode);
        Assert.Contains("'/nonexistent/batch.arrow' does not exist", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_Folder_ExitCode2SaysItIsAFolder()
    {
        var (exitCode, _, error) = Run("arrow", "inspect", Peers.NewScratchDirectory("arrow-inspect"));
        Assert.Equal(2, exitCode);
        Assert.Contains("is a folder", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dev/null", "the file is empty (0 bytes)")]
    [InlineData("/dev/zero", "a device or special file")]
    public void Inspect_Device_ExitCode1WithoutReadingForever(string device, string reason)
    {
        var (exitCode, _, error) = Run("arrow", "inspect", device);
        Assert.Equal(1, exitCode);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1001")]
    public void Inspect_RowsOutOfRange_ExitCode2(string rows)
    {
        var (exitCode, text, error) = Run("arrow", "inspect", Write("hr.arrows", OurBatch()), "--rows", rows);
        Assert.Equal(2, exitCode);
        Assert.Equal("", text);
        Assert.Contains($"--rows {rows} is out of range; give 0 to {ArrowInspectCommand.MaxRows}", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_StreamClaimingMoreMetadataThanTheFileHolds_RefusedBeforeAllocating()
    {
        // A 300 MB sparse file whose first message claims a 2 GB flatbuffer: refused from its 8-byte prefix.
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-inspect"), "huge.arrows");
        using (var file = File.Create(path))
        {
            file.Write([0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0xFF, 0xFF, 0x7F]);
            file.SetLength(300L << 20);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var (exitCode, _, error) = Run("arrow", "inspect", path);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(1, exitCode);
        Assert.Contains("claims 2147483392 bytes of metadata but 314572792 remain", error, StringComparison.Ordinal);
        Assert.True(allocated < 16 << 20, $"{allocated} bytes allocated");
    }

    [Fact]
    public void Inspect_FileOfManyBatches_CountsThemAllAndShowsRowsAcrossBatches()
    {
        var path = Path.Combine(Peers.NewScratchDirectory("arrow-inspect"), "many.arrow");
        var columns = ArrowBatchEncoderTests.HeartRateRows();
        using (var output = new ArrowFileRowOutput(File.Create(path), ArrowBatchEncoderTests.HeartRateSchema,
                   ArrowBatchEncoderTests.HeartRateDescription))
        {
            for (var i = 0; i < 500; i++)
            {
                output.WriteBatch(columns);
            }
        }

        var (exitCode, text, error) = Run("arrow", "inspect", path, "--rows", "12");

        Assert.True(exitCode == 0, error);
        Assert.Contains("batches:  500 record batch(es)\n", text, StringComparison.Ordinal);
        Assert.Contains("rows:     2,500 (per batch: 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, …)\n", text, StringComparison.Ordinal);
        Assert.Contains("  energy: uint16    [nulls: 1,000]", text, StringComparison.Ordinal);
        Assert.Contains("first 12 row(s):", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_EmptyStreamColumns_PrintsSchemaAndNoRows()
    {
        using var encoder = new ArrowBatchEncoder(ArrowBatchEncoderTests.HeartRateSchema, ArrowBatchEncoderTests.HeartRateDescription);
        var path = Write("empty-batch.arrows", encoder.EncodeStream(new StreamColumns(ArrowBatchEncoderTests.HeartRateSchema), new BatchIdentity("hub-7", "s", 0)).Span);

        var (exitCode, text, error) = Run("arrow", "inspect", path);

        Assert.True(exitCode == 0, error);
        Assert.Contains("rows:     0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("row(s):", text, StringComparison.Ordinal);
    }
}
