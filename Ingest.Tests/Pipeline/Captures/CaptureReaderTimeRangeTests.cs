using Ingest.Pipeline.Captures;

namespace Ingest.Tests.Pipeline.Captures;

public class CaptureReaderTimeRangeTests
{
    [Theory]
    [InlineData("2300-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("1677-09-21T00:12:43Z")]
    [InlineData("1600-01-01T00:00:00.5Z")]
    [InlineData("2262-01-01T00:00:00.000000001Z")]
    [InlineData("9214646400.000000001")]
    [InlineData("99999999999999999999")]
    public void TryParseTime_OutsideNanosecondRange_Refused(string text)
    {
        var problem = CaptureReader.TryParseTime(text, out _);

        Assert.NotNull(problem);
        Assert.Contains("is outside 1678-01-01T00:00:00Z to 2262-01-01T00:00:00Z", problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2262-01-01T00:00:00Z", CaptureReader.LatestReceiveTimeNs)]
    [InlineData("1678-01-01T00:00:00Z", CaptureReader.EarliestReceiveTimeNs)]
    [InlineData("9214646400", CaptureReader.LatestReceiveTimeNs)]
    [InlineData("1969-12-31T23:59:59.5Z", -500_000_000)]
    public void TryParseTime_AtTheLimits_Exact(string text, long expected)
    {
        Assert.Null(CaptureReader.TryParseTime(text, out var ns));
        Assert.Equal(expected, ns);
    }

    [Fact]
    public void Read_UntimedLinesPastTheLatestTime_LineRefusedNotWrapped()
    {
        var lines = CaptureReader.Read("10\n11\n12\n", CaptureReader.LatestReceiveTimeNs - 1_500_000_000).ToList();

        Assert.Null(lines[0].Error);
        Assert.Null(lines[1].Error);
        Assert.True(lines[1].HubTimeNs > lines[0].HubTimeNs);
        Assert.Contains("past the latest receive time", lines[2].Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ControlCharacterInLine_QuotedEscaped()
    {
        var line = CaptureReader.Read("1\u200b2").Single();

        Assert.Contains("'\\u200b' at position 2", line.Error, StringComparison.Ordinal);
    }
}
