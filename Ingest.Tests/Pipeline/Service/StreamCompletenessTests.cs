using Ingest.Pipeline.Service;

namespace Ingest.Tests.Pipeline.Service;

/// <summary>The hub's per-stream expected samples: connected intervals, nominal rate, the cap.</summary>
public sealed class StreamCompletenessTests
{
    private const long Second = 1_000_000_000;

    [Fact]
    public void TotalNs_ClosedAndOpenIntervals_SumsOnlyTheTimeConnected()
    {
        var link = new ConnectedTime();
        Assert.Equal(0, link.TotalNs(100 * Second));

        link.Connect(10 * Second);
        link.Disconnect(40 * Second);        // 30 s
        Assert.False(link.IsConnected);
        Assert.Equal(30 * Second, link.TotalNs(1000 * Second));

        link.Connect(100 * Second);          // open: counts up to now
        Assert.True(link.IsConnected);
        Assert.Equal(30 * Second + 5 * Second, link.TotalNs(105 * Second));

        link.Disconnect(120 * Second);       // 20 s
        Assert.Equal(50 * Second, link.TotalNs(500 * Second));
    }

    [Fact]
    public void TotalNs_RepeatedConnectOrDisconnect_IsIgnored()
    {
        var link = new ConnectedTime();
        link.Disconnect(5 * Second);         // never connected
        link.Connect(10 * Second);
        link.Connect(15 * Second);           // already connected: the interval still starts at 10 s
        link.Disconnect(20 * Second);
        link.Disconnect(30 * Second);
        Assert.Equal(10 * Second, link.TotalNs(60 * Second));
    }

    [Fact]
    public void TotalNs_ClockStepsBack_CountsZeroNotNegative()
    {
        var link = new ConnectedTime();
        link.Connect(50 * Second);
        Assert.Equal(0, link.TotalNs(40 * Second));
        link.Disconnect(45 * Second);
        Assert.Equal(0, link.TotalNs(60 * Second));
    }

    [Theory]
    [InlineData(130.0, 10 * Second, 1300L)]
    [InlineData(1.0, 2_500_000_000L, 2L)]     // rounded down: the third sample is not due yet
    [InlineData(52.0, 0L, 0L)]
    [InlineData(200.0, -Second, 0L)]
    public void ExpectedSamples_NominalRate_IsRateTimesConnectedSeconds(double rate, long connectedNs, long expected) =>
        Assert.Equal(expected, StreamCompleteness.ExpectedSamples(rate, connectedNs));

    [Theory]
    [InlineData(null)]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void ExpectedSamples_NoUsableRate_IsNull(double? rate) =>
        Assert.Null(StreamCompleteness.ExpectedSamples(rate, 10 * Second));

    [Fact]
    public void Of_ReceivedOverExpected_CappedAtOneAndNullWhenNothingExpected()
    {
        Assert.Equal(0.5, StreamCompleteness.Of(650, 1300));
        Assert.Equal(StreamCompleteness.MaximumCompleteness, StreamCompleteness.Of(1400, 1300));
        Assert.Equal(0.0, StreamCompleteness.Of(0, 1300));
        Assert.Null(StreamCompleteness.Of(10, 0));
        Assert.Null(StreamCompleteness.Of(10, null));
    }

    [Fact]
    public void ExpectedSamples_DisconnectedHalfTheTime_CompletenessCountsOnlyConnectedTime()
    {
        // 130 Hz, connected 0-10 s and 20-30 s out of 30 s, every sample of the connected time received.
        var link = new ConnectedTime();
        link.Connect(0);
        link.Disconnect(10 * Second);
        link.Connect(20 * Second);
        var expected = StreamCompleteness.ExpectedSamples(130, link.TotalNs(30 * Second));
        Assert.Equal(2600, expected);
        Assert.Equal(1.0, StreamCompleteness.Of(2600, expected));
    }
}
