using System.Diagnostics;
using System.Threading.Channels;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Tests.Pipeline.Simulation.Fleet;
using Xunit.Abstractions;
using static Ingest.Tests.Radio.Simulated.RadioHarness;

namespace Ingest.Tests.Radio.Simulated;

/// <summary>
/// Notifications per second and bytes allocated per notification: the 9-profile fleet read straight from
/// <see cref="SimulatedFleet"/> (unpaced) against the same fleet through <see cref="Ingest.Pipeline.Simulation.Radio.SimulatedCentral"/>
/// (every notifying characteristic subscribed, every setup write made, a test clock jumped over the span), in one run.
/// A measurement, not a gate: set WEARABLE_STRESS=1 to run it.
/// </summary>
public sealed class SimulatedCentralThroughputTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Span = TimeSpan.FromMinutes(30);

    [Fact]
    public async Task NineProfileFleet_FleetDirectVersusThroughTheRadio_Figures()
    {
        if (Environment.GetEnvironmentVariable("WEARABLE_STRESS") != "1")
        {
            output.WriteLine("measurement: set WEARABLE_STRESS=1 to run it");
            return;
        }

        var fleet = new SimulatedFleetOptions { TrackerCount = Profiles.Count };
        await DirectAsync(fleet); // warm-up: JIT and pools
        await RadioAsync(fleet, SimulatedFleetOptions.DefaultNotificationCapacity);
        var (directCount, directTime, directBytes) = await DirectAsync(fleet);
        var (radioCount, radioTime, radioBytes) = await RadioAsync(fleet, SimulatedFleetOptions.DefaultNotificationCapacity);
        var (roomyCount, roomyTime, roomyBytes) = await RadioAsync(fleet, 1 << 17);

        output.WriteLine($"{Profiles.Count} trackers, {Span.TotalMinutes} simulated minutes");
        output.WriteLine($"SimulatedFleet direct : {directCount} notifications in {directTime.TotalMilliseconds:F0} ms = {directCount / directTime.TotalSeconds:F0}/s, {(double)directBytes / directCount:F1} B allocated each");
        output.WriteLine($"SimulatedCentral      : {radioCount} notifications in {radioTime.TotalMilliseconds:F0} ms = {radioCount / radioTime.TotalSeconds:F0}/s, {(double)radioBytes / radioCount:F1} B allocated each (channel of 1024: the radio often waits for room)");
        output.WriteLine($"SimulatedCentral      : {roomyCount} notifications in {roomyTime.TotalMilliseconds:F0} ms = {roomyCount / roomyTime.TotalSeconds:F0}/s, {(double)roomyBytes / roomyCount:F1} B allocated each (channel never full)");

        // Same fleet, same span: the radio delivers what the fleet generates (the PMD control point's START answers aside).
        Assert.InRange(radioCount, directCount - 50, directCount + 50);
    }

    private static async Task<(long Count, TimeSpan Time, long Bytes)> DirectAsync(SimulatedFleetOptions options)
    {
        var source = new SimulatedFleet(Profiles, options with { Pacing = SimulationPacing.Unpaced }, new FixedTimeProvider());
        var endNs = FixedTimeProvider.DefaultStartNs + (long)Span.TotalNanoseconds;
        using var stop = new CancellationTokenSource();
        var bytes = GC.GetTotalAllocatedBytes(true);
        var clock = Stopwatch.StartNew();
        var run = source.RunAsync(stop.Token);
        var events = Task.Run(async () =>
        {
            await foreach (var _ in source.DeviceEvents.ReadAllAsync())
            {
            }
        });
        long count = 0;
        await foreach (var n in source.Notifications.ReadAllAsync())
        {
            var done = n.HubTimeNs > endNs;
            n.Release();
            if (done)
            {
                break;
            }

            count++;
        }

        var time = clock.Elapsed;
        bytes = GC.GetTotalAllocatedBytes(true) - bytes;
        await stop.CancelAsync();
        await run;
        await events;
        await foreach (var n in source.Notifications.ReadAllAsync())
        {
            n.Release();
        }

        return (count, time, bytes);
    }

    private static async Task<(long Count, TimeSpan Time, long Bytes)> RadioAsync(SimulatedFleetOptions options, int capacity)
    {
        var clock = new ManualTimeProvider();
        await using var central = Create(clock, options, adapters: ["hci0", "hci1"]);
        await central.StartAsync(default);
        var channel = Channel.CreateBounded<Notification>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
        var pool = new NotificationBufferPool(Math.Min(capacity, 100_000));
        for (var i = 0; i < central.FleetPeripheralIds.Count; i++)
        {
            var target = new Ingest.Pipeline.Intake.Radio.NotificationTarget(new DeviceHandle(i + 1), pool, channel.Writer, clock);
            await central.ConnectAsync(central.FleetPeripheralIds[i], default);
            await SetUpAsync(central, central.FleetPeripheralIds[i], Profile(central.Trackers[i].ProfileId), target);
        }

        while (channel.Reader.TryRead(out var answer))
        {
            answer.Release();
        }

        long count = 0;
        var bytes = GC.GetTotalAllocatedBytes(true);
        var stopwatch = Stopwatch.StartNew();
        var consumer = Task.Run(async () =>
        {
            await foreach (var n in channel.Reader.ReadAllAsync())
            {
                n.Release();
                Interlocked.Increment(ref count);
            }
        });
        clock.Advance(Span);
        var end = clock.NowNs;
        while (central.ProcessedUntilNs < end || channel.Reader.Count > 0)
        {
            await Task.Delay(10);
        }

        var time = stopwatch.Elapsed;
        bytes = GC.GetTotalAllocatedBytes(true) - bytes;
        channel.Writer.TryComplete();
        await consumer;
        Drain(central, null);
        return (Interlocked.Read(ref count), time, bytes);
    }
}
