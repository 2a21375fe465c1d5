using Ingest.Pipeline.Clocks;

namespace Ingest.Tests.Pipeline.Clocks;

/// <summary>
/// The clock estimator on synthetic readings: a device clock with a known offset and drift, delivered with BLE-like delay
/// (a floor, jitter, occasional bursts of late frames), must be recovered within tolerance; resets restart the fit.
/// </summary>
public sealed class DeviceClockEstimatorTests
{
    private const long Second = 1_000_000_000;
    private const long HubStart = 1_796_000_000L * Second;

    /// <summary>Readings of a device whose clock is hub + offset and runs fast by driftPpm; delay ≥ floor.</summary>
    private static IEnumerable<(long Device, long Hub)> Readings(long offsetNs, double driftPpm, TimeSpan duration, int seed, long periodNs = 280_000_000,
        long floorNs = 7_500_000, long jitterNs = 45_000_000, double burstChance = 0.02)
    {
        var random = new Random(seed);
        var frames = (long)(duration.Ticks * 100 / periodNs);
        for (long i = 0; i < frames; i++)
        {
            var hubSampled = HubStart + (i * periodNs);
            var device = HubStart + offsetNs + (long)((hubSampled - HubStart) * (1 + (driftPpm * 1e-6)));
            var delay = floorNs + (long)(random.NextDouble() * jitterNs);
            if (random.NextDouble() < burstChance)
            {
                delay += (long)(random.NextDouble() * 2 * Second); // a burst: held, then delivered late
            }

            yield return (device, hubSampled + delay);
        }
    }

    [Theory]
    [InlineData(-3_600_000_000_000L, 25.0, 1)]
    [InlineData(123_456_789L, -40.0, 2)]
    [InlineData(0L, 0.0, 3)]
    public void Observe_KnownOffsetAndDrift_EstimatesThemWithinTolerance(long offsetNs, double driftPpm, int seed)
    {
        var estimator = new DeviceClockEstimator();
        DeviceClockEstimate last = default;
        var rows = 0;
        foreach (var (device, hub) in Readings(offsetNs, driftPpm, TimeSpan.FromMinutes(30), seed))
        {
            if (estimator.Observe(device, hub, out var estimate) != DeviceClockEvent.None)
            {
                last = estimate;
                rows++;
            }
        }

        // hub − device at the last reading's device time, by construction: −offset − drift·elapsed(device)/(1+drift),
        // plus the delay floor (which the estimate includes, as documented).
        var elapsedDevice = last.DeviceTimeNs - (HubStart + offsetNs);
        var expectedOffset = -offsetNs - (long)(elapsedDevice * (driftPpm * 1e-6) / (1 + (driftPpm * 1e-6))) + 7_500_000;
        Assert.InRange(last.OffsetNs - expectedOffset, -2_000_000, 5_000_000);
        Assert.InRange(last.DriftPpm, -driftPpm - 1.0, -driftPpm + 1.0);
        Assert.True(last.UncertaintyNs is >= 0 and < 10_000_000, $"uncertainty {last.UncertaintyNs}");

        // Bounded volume: about one row per 10 s of device time (30 min → ~180), not one per frame (~6400).
        Assert.InRange(rows, 150, 260);
    }

    [Fact]
    public void Observe_FirstReading_IsConnectionStartWithUnknownDrift()
    {
        var estimator = new DeviceClockEstimator();

        var kind = estimator.Observe(HubStart + 5 * Second, HubStart + 20_000_000, out var estimate);

        Assert.Equal(DeviceClockEvent.ConnectionStart, kind);
        Assert.Equal(20_000_000 - (5 * Second), estimate.OffsetNs);
        Assert.True(double.IsNaN(estimate.DriftPpm));
        Assert.Equal(1, estimate.Samples);
    }

    [Fact]
    public void Observe_DeviceTimeJumpsToResetEpoch_ReportsResetAndRestartsTheFit()
    {
        var estimator = new DeviceClockEstimator();
        long hub = 0;
        foreach (var (device, h) in Readings(1_000_000, 10, TimeSpan.FromMinutes(5), 4))
        {
            estimator.Observe(device, h, out _);
            hub = h;
        }

        var epoch = DeviceClockLimits.ResetEpochNs;
        var kind = estimator.Observe(epoch + 60 * Second, hub + 300_000_000, out var estimate);

        Assert.Equal(DeviceClockEvent.Reset, kind);
        Assert.Equal(hub + 300_000_000 - (epoch + 60 * Second), estimate.OffsetNs);
        Assert.Equal(1, estimate.Samples);

        // The fit continues from the reset clock: the next readings are estimates, not further resets.
        var next = estimator.Observe(epoch + 61 * Second, hub + 1_300_000_000, out _);
        Assert.NotEqual(DeviceClockEvent.Reset, next);
    }

    [Fact]
    public void Observe_ClockStepsForwardBelowTheFloor_ReportsReset()
    {
        var estimator = new DeviceClockEstimator();
        long device = 0, hub = 0;
        foreach (var reading in Readings(0, 0, TimeSpan.FromMinutes(2), 5))
        {
            (device, hub) = reading;
            estimator.Observe(device, hub, out _);
        }

        // The device clock set an hour ahead (e.g. a phone app set it): hub − device falls an hour below the floor.
        var kind = estimator.Observe(device + 3600 * Second, hub + 280_000_000, out _);

        Assert.Equal(DeviceClockEvent.Reset, kind);
    }

    [Fact]
    public void Observe_InterleavedStreamsSlightlyOutOfOrder_AreNotResets()
    {
        var estimator = new DeviceClockEstimator();
        var resets = 0;
        foreach (var (device, hub) in Readings(0, 5, TimeSpan.FromMinutes(3), 6))
        {
            // A second stream's frame ending half a second earlier, delivered just after.
            resets += estimator.Observe(device, hub, out _) == DeviceClockEvent.Reset ? 1 : 0;
            resets += estimator.Observe(device - 500_000_000, hub + 1_000_000, out _) == DeviceClockEvent.Reset ? 1 : 0;
        }

        Assert.Equal(0, resets);
    }

    [Fact]
    public void Restart_NewConnection_StartsAFreshFit()
    {
        var estimator = new DeviceClockEstimator();
        foreach (var (device, hub) in Readings(0, 30, TimeSpan.FromMinutes(3), 7))
        {
            estimator.Observe(device, hub, out _);
        }

        estimator.Restart();
        var kind = estimator.Observe(HubStart + 10 * Second, HubStart + 9 * Second, out var estimate);

        Assert.Equal(DeviceClockEvent.ConnectionStart, kind);
        Assert.Equal(-Second, estimate.OffsetNs);
        Assert.True(double.IsNaN(estimate.DriftPpm));
        Assert.Equal(1, estimator.Samples);
    }

    [Fact]
    public void Observe_LongConnection_AllocatesNothing()
    {
        var estimator = new DeviceClockEstimator();
        var readings = Readings(0, 12, TimeSpan.FromHours(3), 8).ToArray();
        estimator.Observe(readings[0].Device, readings[0].Hub, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < readings.Length; i++)
        {
            estimator.Observe(readings[i].Device, readings[i].Hub, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
