using Ingest.Pipeline.Publishing.Mqtt;

namespace Ingest.Tests.Mqtt;

/// <summary>Exponential backoff with full jitter: bounded, growing, capped, and spread out across a fleet.</summary>
public sealed class MqttReconnectBackoffTests
{
    private static readonly TimeSpan s_min = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_max = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(0, 100, 200)]
    [InlineData(1, 100, 400)]
    [InlineData(3, 100, 1600)]
    [InlineData(20, 100, 30000)]
    [InlineData(int.MaxValue, 100, 30000)]
    public void GetDelay_Attempt_StaysWithinTheExponentialWindow(int attempt, int lowMs, int highMs)
    {
        // attempt n draws from [min, min(max, min·2^(n+1)))… the ceiling doubles with every failed attempt.
        foreach (var random in new[] { 0.0, 0.25, 0.5, 0.999999 })
        {
            var delay = MqttReconnectBackoff.GetDelay(attempt, s_min, s_max, random);
            Assert.InRange(delay.TotalMilliseconds, lowMs, highMs);
        }
    }

    [Fact]
    public void GetDelay_Fleet_IsSpreadOutNotInLockstep()
    {
        // 1,000 hubs losing the same broker at once: their third attempts land all over the window, not on one instant.
        var random = new Random(42);
        var delays = Enumerable.Range(0, 1000).Select(_ => MqttReconnectBackoff.GetDelay(5, s_min, s_max, random.NextDouble()).TotalMilliseconds).ToArray();
        var buckets = delays.GroupBy(d => (int)(d / 320)).Select(g => g.Count()).ToArray();
        Assert.True(buckets.Length >= 9, $"only {buckets.Length} buckets used");
        Assert.True(buckets.Max() < 200, $"a 320 ms bucket holds {buckets.Max()} of 1,000 reconnects");
    }

    [Fact]
    public void GetDelay_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => MqttReconnectBackoff.GetDelay(-1, s_min, s_max, 0.5));
        Assert.Throws<ArgumentException>(() => MqttReconnectBackoff.GetDelay(0, s_max, s_min, 0.5));
    }
}
