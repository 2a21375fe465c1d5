using Ingest.Pipeline.Captures;

namespace Ingest.Tests.Pipeline.Captures;

public class CaptureReaderTests
{
    private static List<CaptureLine> Read(string text, long? start = null) =>
        [.. CaptureReader.Read(text, start)];

    [Fact]
    public void Read_TimedAndUntimedLines_StampsAsDocumented()
    {
        var lines = Read("""
            # heart rate strap
            2026-11-22T10:00:00.250Z 16 48 00 04

            1763805600.5 16:4a:00:04
            164b0004
            """);

        Assert.Equal(3, lines.Count);
        Assert.Equal(2, lines[0].LineNumber);
        Assert.Equal(new byte[] { 0x16, 0x48, 0x00, 0x04 }, lines[0].Frame);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 10, 0, 0, 250, TimeSpan.Zero).ToUnixTimeMilliseconds() * 1_000_000, lines[0].HubTimeNs);
        Assert.Equal(1_763_805_600_500_000_000, lines[1].HubTimeNs);
        Assert.Equal(lines[1].HubTimeNs + 1_000_000_000, lines[2].HubTimeNs);
        Assert.Equal(new byte[] { 0x16, 0x4b, 0x00, 0x04 }, lines[2].Frame);
    }

    [Fact]
    public void Read_UntimedFirstLine_UsesStart()
    {
        var lines = Read("01 02\n03", start: 5_000);
        Assert.Equal(5_000, lines[0].HubTimeNs);
        Assert.Equal(1_000_005_000, lines[1].HubTimeNs);
    }

    [Fact]
    public void Read_NanosecondFraction_IsExact()
    {
        var line = Read("2000-01-01T00:00:00.123456789Z 00")[0];
        Assert.Equal(946_684_800_123_456_789, line.HubTimeNs);
        Assert.Equal("2000-01-01T00:00:00.123456789Z", CaptureReader.FormatTime(line.HubTimeNs));
    }

    [Theory]
    [InlineData("16 4", "odd number of hex digits")]
    [InlineData("16 zz", "'z' at position 4 is not a hex digit")]
    [InlineData("2026-11-22T10:00:00+01:00 16", "must be UTC")]
    [InlineData("2026-13-22T10:00:00Z 16", "not ISO 8601")]
    public void Read_BadLine_ReportsProblemAndKeepsReading(string bad, string problem)
    {
        var lines = Read($"00\n{bad}\n01");

        Assert.Equal(3, lines.Count);
        Assert.Null(lines[0].Error);
        Assert.Contains(problem, lines[1].Error, StringComparison.Ordinal);
        Assert.Equal(2, lines[1].LineNumber);
        Assert.Equal(new byte[] { 1 }, lines[2].Frame);
    }

    [Fact]
    public void Read_OverlongLine_Rejected()
    {
        var line = Read(new string('0', 10_000))[0];
        Assert.Contains("at most", line.Error, StringComparison.Ordinal);
    }
}
