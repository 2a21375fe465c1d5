using System.Threading.Channels;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Pipeline.Simulation.Radio;
using Ingest.Tests.Pipeline.Simulation.Fleet;

namespace Ingest.Tests.Radio.Simulated;

/// <summary>Drives a <see cref="SimulatedCentral"/> on a <see cref="ManualTimeProvider"/> the way the supervisor will use it.</summary>
internal static class RadioHarness
{
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    public static IReadOnlyList<FirmwareProfile> Profiles => FleetHarness.Profiles;

    public static SimulatedCentral Create(ManualTimeProvider clock, SimulatedFleetOptions fleet, int connectionLimit = SimulatedCentralOptions.DefaultConnectionLimit, IReadOnlyList<string>? adapters = null, ulong seed = 1) =>
        new(Profiles, new SimulatedCentralOptions
        {
            Fleet = fleet,
            ConnectionLimit = connectionLimit,
            Adapters = adapters ?? SimulatedCentralOptions.DefaultAdapters,
            Seed = seed,
        }, clock);

    public static FirmwareProfile Profile(string id) => Profiles.Single(p => p.Id == id);

    /// <summary>Moves the clock on by <paramref name="span"/> in steps, each time waiting until the radio has handled it; events read meanwhile go to <paramref name="events"/>.</summary>
    public static async Task RunAsync(SimulatedCentral central, ManualTimeProvider clock, TimeSpan span, List<BleEvent>? events = null)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < span; elapsed += Step)
        {
            clock.Advance(Step);
            await CaughtUpAsync(central, clock, events);
        }
    }

    /// <summary>Waits until the radio's loop has handled the clock's present (reading events, so a full event channel cannot stall it).</summary>
    public static async Task CaughtUpAsync(SimulatedCentral central, ManualTimeProvider clock, List<BleEvent>? events = null)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        var target = clock.NowNs;
        var spins = 0;
        while (central.ProcessedUntilNs < target)
        {
            Drain(central, events);
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"the radio did not catch up with the clock within 20 s (at {central.ProcessedUntilNs}, clock {target})");
            }

            if (++spins < 100)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1);
            }
        }

        Drain(central, events);
    }

    public static void Drain(SimulatedCentral central, List<BleEvent>? events)
    {
        while (central.Events.TryRead(out var e))
        {
            events?.Add(e);
        }
    }

    public static (NotificationTarget Target, Channel<Notification> Channel) NewTarget(TimeProvider clock, int capacity = 100_000, DeviceHandle? device = null, NotificationBufferPool? pool = null)
    {
        var channel = Channel.CreateBounded<Notification>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
        return (new NotificationTarget(device ?? new DeviceHandle(1), pool ?? new NotificationBufferPool(), channel.Writer, clock), channel);
    }

    public static async Task<IReadOnlyList<GattCharacteristic>> CharacteristicsAsync(IBleCentral central, string peripheralId) =>
        [.. (await central.GetServicesAsync(peripheralId, TimeSpan.FromSeconds(5), default)).SelectMany(s => s.Characteristics)];

    public static async Task<GattCharacteristic> FindAsync(IBleCentral central, string peripheralId, Guid uuid) =>
        (await CharacteristicsAsync(central, peripheralId)).First(c => c.Uuid == uuid);

    /// <summary>What the supervisor does after every connect: subscribe every notifying characteristic, then run the profile's setup writes.</summary>
    public static async Task<List<IBleSubscription>> SetUpAsync(IBleCentral central, string peripheralId, FirmwareProfile profile, NotificationTarget target)
    {
        var characteristics = await CharacteristicsAsync(central, peripheralId);
        var subscriptions = new List<IBleSubscription>();
        foreach (var c in characteristics.Where(c => (c.Properties & GattProperties.Notify) != 0))
        {
            subscriptions.Add(await central.SubscribeAsync(c, target, default));
        }

        foreach (var write in profile.Streams.SelectMany(s => s.Setup))
        {
            await central.WriteAsync(characteristics.First(c => c.Uuid == Guid.Parse(write.Characteristic)), write.Value, true, default);
        }

        return subscriptions;
    }

    /// <summary>Everything in the channel now, copied and released.</summary>
    public static List<(Guid Characteristic, byte[] Payload)> Take(Channel<Notification> channel)
    {
        var list = new List<(Guid, byte[])>();
        while (channel.Reader.TryRead(out var n))
        {
            list.Add((n.Characteristic, n.Payload.ToArray()));
            n.Release();
        }

        return list;
    }
}
