using Ingest.Tests.Support;

namespace Ingest.Tests.Gateway;

public class DecodeCommandTests
{
    [Fact]
    public async Task Decode_HexWithStandardUuid_PrintsRowsAndExitsZero()
    {
        var (exit, output) = await Cli.RunAsync(["decode", "--uuid", "2A19", "--hex", "2026-11-22T10:00:00Z 55"]);

        Assert.Equal(0, exit);
        Assert.Contains("{\"hub_time\":\"2026-11-22T10:00:00.000000000Z\",\"battery_level\":85}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Decode_RejectedFrame_ReportsReasonAndExitsOne()
    {
        var (exit, output) = await Cli.RunAsync(["decode", "--decoder", "battery-level", "--hex", "10", "--hex", "ff", "--hex", "11"]);

        Assert.Equal(1, exit);
        Assert.Contains("\"battery_level\":16", output, StringComparison.Ordinal);
        Assert.Contains("{\"rejected\":\"invalid-value\",\"line\":2,", output, StringComparison.Ordinal);
        Assert.Contains("\"battery_level\":17", output, StringComparison.Ordinal);
        Assert.Contains("1 rejected", output, StringComparison.Ordinal);
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
        Assert.Contains("line 3: not hex bytes", messages, StringComparison.Ordinal);
        var rows = await File.ReadAllLinesAsync(output);
        Assert.Equal(["hub_time,battery_level", "2026-11-22T10:00:00.000000000Z,100", "2026-11-22T10:00:01.000000000Z,0"], rows);
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
    public async Task Decode_BadRequest_ExplainsAndExitsTwo(string[] arguments, string message)
    {
        var (exit, output) = await Cli.RunAsync(arguments);

        Assert.Equal(2, exit);
        Assert.Contains(message, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "decode", "--format", "xml", "--hex", "00" }, "Argument 'xml' not recognized", "wearable-ingest decode --help")]
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
