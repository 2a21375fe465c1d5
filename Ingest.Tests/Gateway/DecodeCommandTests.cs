using Apache.Arrow.Ipc;
using Ingest.Pipeline.Batching;
using Ingest.Tests.Support;

namespace Ingest.Tests.Gateway;

public class DecodeCommandTests
{
    [Fact]
    public async Task Decode_HexWithStandardUuid_PrintsRowsAndExitsZero()
    {
        var (exit, output) = await Cli.RunAsync(["decode", "--uuid", "2A19", "--hex", "2026-11-22T10:00:00Z 55"]);

        Assert.Equal(0, exit);
        Assert.Contains("{\"hub_time\":\"2026-11-22T10:00:00.000000000Z\",\"battery_level_pct\":85}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_PhysicalValues_ScaleAppliedAndUnitInKey()
    {
        // Heart rate 72, RR 1024/1024 s: the physical form says 1 s; the stored form keeps the tracker's 1024.
        var (exit, physical) = await Cli.RunAsync(["decode", "--uuid", "2a37", "--hex", "16 48 00 04"]);
        var (storedExit, stored) = await Cli.RunAsync(["decode", "--uuid", "2a37", "--hex", "16 48 00 04", "--values", "stored"]);

        Assert.Equal(0, exit);
        Assert.Contains("\"heart_rate_per_min\":72,\"sensor_contact\":3,\"energy_expended_kj\":null,\"rr_interval_s\":[1]}", physical, StringComparison.Ordinal);
        Assert.Equal(0, storedExit);
        Assert.Contains("\"heart_rate\":72,\"sensor_contact\":3,\"energy_expended\":null,\"rr_interval\":[1024]}", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_RejectedFrame_RowsOnlyInOutputRejectionsApartAndExitsOne()
    {
        var folder = Peers.NewScratchDirectory("decode-rejected");
        var rows = Path.Combine(folder, "rows.jsonl");
        var rejections = Path.Combine(folder, "rejected.jsonl");

        var (exit, messages) = await Cli.RunAsync(["decode", "--decoder", "battery-level", "--hex", "10", "--hex", "ff", "--hex", "11", "--out", rows]);
        var (exitWithFile, _) = await Cli.RunAsync(["decode", "--decoder", "battery-level", "--hex", "10", "--hex", "ff", "--hex", "11",
            "--out", rows, "--rejections", rejections]);

        Assert.Equal(1, exit);
        Assert.Equal(
            ["{\"hub_time\":\"1970-01-01T00:00:00.000000000Z\",\"battery_level_pct\":16}", "{\"hub_time\":\"1970-01-01T00:00:02.000000000Z\",\"battery_level_pct\":17}"],
            await File.ReadAllLinesAsync(rows));
        Assert.Contains("--hex line 2: rejected (invalid-value)", messages, StringComparison.Ordinal);
        Assert.Contains("bytes: ff", messages, StringComparison.Ordinal);
        Assert.Single(messages.Split('\n'), l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Contains("1 rejected", messages, StringComparison.Ordinal);
        Assert.Equal(1, exitWithFile);
        var record = Assert.Single(await File.ReadAllLinesAsync(rejections));
        Assert.StartsWith("{\"rejected\":\"invalid-value\",\"line\":2,", record, StringComparison.Ordinal);
        Assert.EndsWith("\"hex\":\"ff\"}", record, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_CaptureFileAsCsv_WritesHeaderAndRows()
    {
        var folder = Peers.NewScratchDirectory("decode-csv");
        var capture = Path.Combine(folder, "battery.hex");
        await File.WriteAllTextAsync(capture, "# battery\n2026-11-22T10:00:00Z 64\nnot hex\n00\n");
        var output = Path.Combine(folder, "rows.csv");

        var (exit, messages) = await Cli.RunAsync(["decode", "--uuid", "2a19", "--capture", capture, "--format", "csv", "--out", output]);

        Assert.Equal(1, exit);
        Assert.Contains("line 3: unreadable: not hex bytes", messages, StringComparison.Ordinal);
        var rows = await File.ReadAllLinesAsync(output);
        Assert.Equal(["hub_time,battery_level_pct", "2026-11-22T10:00:00.000000000Z,100", "2026-11-22T10:00:01.000000000Z,0"], rows);
    }

    [Fact]
    public async Task Decode_OutputEqualToCapture_RefusedAndCaptureKept()
    {
        var folder = Peers.NewScratchDirectory("decode-same");
        var capture = Path.Combine(folder, "c.hex");
        await File.WriteAllTextAsync(capture, "16 48 00 04\n");
        var link = Path.Combine(folder, "link.hex");
        File.CreateSymbolicLink(link, capture);

        var (exit, output) = await Cli.RunAsync(["decode", "--uuid", "2a37", "--capture", capture, "--out", capture]);
        var (linkExit, linkOutput) = await Cli.RunAsync(["decode", "--uuid", "2a37", "--capture", capture, "--out", link, "--format", "arrow"]);

        Assert.Equal(2, exit);
        Assert.Contains("--out", output, StringComparison.Ordinal);
        Assert.Contains("also an input", output, StringComparison.Ordinal);
        Assert.Equal(2, linkExit);
        Assert.Contains("also an input", linkOutput, StringComparison.Ordinal);
        Assert.Equal("16 48 00 04\n", await File.ReadAllTextAsync(capture));
    }

    [Fact]
    public async Task Decode_BinaryCapture_RefusedWithoutEchoingBytes()
    {
        var folder = Peers.NewScratchDirectory("decode-binary");
        var capture = Path.Combine(folder, "c.hex");
        await File.WriteAllBytesAsync(capture, [0x31, 0x30, 0x0A, 0x1B, 0x5B, 0x33, 0x31, 0x6D, 0x00, 0x0A]);
        var output = Path.Combine(folder, "rows.jsonl");

        var (exit, messages) = await Cli.RunAsync(["decode", "--uuid", "2a19", "--capture", capture, "--out", output]);

        Assert.Equal(2, exit);
        Assert.Contains("is binary, not a text capture", messages, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', messages);
        Assert.False(File.Exists(output));
        Assert.Equal(["c.hex"], Directory.GetFiles(folder).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Decode_Arrow_MetadataSaysWhichStream()
    {
        var folder = Peers.NewScratchDirectory("decode-arrow");
        var profile = Path.Combine(Peers.RepositoryRoot, "firmware-profiles", "polar-h10");
        var ecg = Path.Combine(folder, "ecg.arrow");
        var acc = Path.Combine(folder, "acc.arrow");
        var hr = Path.Combine(folder, "hr.arrow");

        await Cli.RunAsync(["decode", "--profile", profile, "--stream", "ecg", "--hex", "00", "--format", "arrow", "--out", ecg]);
        await Cli.RunAsync(["decode", "--profile", profile, "--stream", "acc", "--hex", "00", "--format", "arrow", "--out", acc]);
        var (exit, _) = await Cli.RunAsync(["decode", "--uuid", "2a37", "--hex", "16 48", "--hex", "06 48", "--format", "arrow", "--out", hr]);

        var ecgMetadata = await SchemaMetadata(ecg);
        Assert.Equal("polar-h10", ecgMetadata[BatchMetadataKeys.ProfileId]);
        Assert.False(string.IsNullOrEmpty(ecgMetadata[BatchMetadataKeys.ProfileVersion]));
        Assert.Equal("ecg", ecgMetadata[BatchMetadataKeys.StreamId]);
        Assert.Equal("acc", (await SchemaMetadata(acc))[BatchMetadataKeys.StreamId]);
        Assert.Equal(1, exit);
        var hrMetadata = await SchemaMetadata(hr);
        Assert.StartsWith("built-in ", hrMetadata[BatchMetadataKeys.ProfileVersion], StringComparison.Ordinal);
        Assert.Equal("heart-rate-measurement", hrMetadata[BatchMetadataKeys.Decoder]);
    }

    private static async Task<IReadOnlyDictionary<string, string>> SchemaMetadata(string path)
    {
        await using var file = File.OpenRead(path);
        using var reader = new ArrowFileReader(file);
        return (await reader.GetSchema()).Metadata;
    }

    [Theory]
    [InlineData(new[] { "decode", "--hex", "00" }, "exactly one of --profile")]
    [InlineData(new[] { "decode", "--uuid", "2a37x", "--hex", "00" }, "is not a Bluetooth UUID")]
    [InlineData(new[] { "decode", "--uuid", "2aff", "--hex", "00" }, "no built-in decoder for characteristic 2aff")]
    [InlineData(new[] { "decode", "--decoder", "nope", "--hex", "00" }, "unknown decoder 'nope'")]
    [InlineData(new[] { "decode", "--decoder", "battery-level", "--setting", "x=1", "--hex", "00" }, "unknown setting 'x'")]
    [InlineData(new[] { "decode", "--decoder", "battery-level" }, "either --hex")]
    [InlineData(new[] { "decode", "--decoder", "battery-level", "--capture", "/nonexistent.hex" }, "does not exist")]
    [InlineData(new[] { "decode", "--profile", "no-such-tracker", "--hex", "00" }, "neither a folder, a file, nor a profile id")]
    [InlineData(new[] { "decode", "--decoder", "battery-level", "--hex", "00", "--format", "arrow", "--out", "/tmp/x.arrow", "--compression", "gzip" }, "--compression 'gzip' is not one of none, lz4, zstd")]
    [InlineData(new[] { "decode", "--decoder", "battery-level", "--hex", "00", "--format", "csv", "--compression", "zstd" }, "--compression applies to --format arrow only (the format is csv)")]
    [InlineData(new[] { "decode", "--decoder", "battery-level", "--hex", "00", "--capture", "x.hex" }, "--hex and --capture both give notifications")]
    [InlineData(new[] { "decode", "--decoder", "battery-level", "--hex", "00", "--stream", "ecg" }, "--stream names a stream of a profile")]
    [InlineData(new[] { "decode", "--decoder", "battery-level", "--hex", "00", "--start", "9999-12-31T23:59:59Z" }, "is outside 1678-01-01T00:00:00Z to 2262-01-01T00:00:00Z")]
    [InlineData(new[] { "decode", "--decoder", "battery-level", "--hex", "00", "--out", "" }, "--out is empty")]
    [InlineData(new[] { "decode", "--decoder", "battery-level", "--hex", "00", "--format", "arrow", "--out", "/tmp/x.arrow", "--values", "stored" }, "--values applies to --format jsonl and csv")]
    public async Task Decode_BadRequest_ExplainsAndExitsTwo(string[] arguments, string message)
    {
        var (exit, output) = await Cli.RunAsync(arguments);

        Assert.Equal(2, exit);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "decode", "--format", "xml", "--hex", "00" }, "--format: Argument 'xml' not recognized. Must be one of: 'jsonl', 'csv', 'arrow'", "wearable-ingest decode --help")]
    [InlineData(new[] { "broker", "check" }, "Option '--broker' is required", "wearable-ingest broker check --help")]
    [InlineData(new[] { "profiles", "bogus" }, "Unrecognized command or argument 'bogus'", "wearable-ingest profiles --help")]
    public async Task ParseError_ExitsTwoAndPointsAtHelp(string[] arguments, string message, string hint)
    {
        var (exit, output) = await Cli.RunAsync(arguments);

        Assert.Equal(2, exit);
        Assert.Contains("error: " + message, output, StringComparison.Ordinal);
        Assert.Contains(hint, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheCommands()
    {
        var (exit, output) = await Cli.RunAsync(["--help"]);

        Assert.Equal(0, exit);
        foreach (var command in new[] { "run", "decode", "profiles", "arrow", "broker" })
        {
            Assert.Contains(command, output, StringComparison.Ordinal);
        }
    }
}
