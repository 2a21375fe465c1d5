using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Tests.Pipeline.Simulation.Fleet;

/// <summary>Bad settings fail with a message naming the setting.</summary>
public class SimulatedFleetOptionsTests
{
    public static TheoryData<SimulatedFleetOptions, string> BadOptions() => new()
    {
        { new SimulatedFleetOptions { TrackerCount = 0 }, "TrackerCount" },
        { new SimulatedFleetOptions { ProfileIds = [] }, "ProfileIds" },
        { new SimulatedFleetOptions { NotificationCapacity = 0 }, "NotificationCapacity" },
        { new SimulatedFleetOptions { EventCapacity = -1 }, "EventCapacity" },
        { new SimulatedFleetOptions { ClockDriftPpm = 5000 }, "ClockDriftPpm" },
        { new SimulatedFleetOptions { ClockDriftSpreadPpm = double.NaN }, "ClockDriftSpreadPpm" },
        { new SimulatedFleetOptions { ClockOffsetSpread = TimeSpan.FromSeconds(-1) }, "ClockOffsetSpread" },
        { new SimulatedFleetOptions { LinkLatency = TimeSpan.FromSeconds(1) }, "LinkLatency" },
        { new SimulatedFleetOptions { PacingInterval = TimeSpan.Zero }, "PacingInterval" },
        { new SimulatedFleetOptions { Pacing = (SimulationPacing)9 }, "Pacing" },
        { new SimulatedFleetOptions { Faults = new SimulatedFaultOptions { GarbageProbability = 1.5 } }, "GarbageProbability" },
        { new SimulatedFleetOptions { Faults = new SimulatedFaultOptions { DisconnectsPerHour = -1 } }, "DisconnectsPerHour" },
        { new SimulatedFleetOptions { Faults = new SimulatedFaultOptions { ReconnectDelay = TimeSpan.Zero } }, "ReconnectDelay" },
        { new SimulatedFleetOptions { Faults = new SimulatedFaultOptions { BurstLength = 1 } }, "BurstLength" },
        { new SimulatedFleetOptions { Faults = new SimulatedFaultOptions { ClockResetsPerHour = double.PositiveInfinity } }, "ClockResetsPerHour" },
        { new SimulatedFleetOptions { Faults = new SimulatedFaultOptions { ClockResetEpoch = new DateTimeOffset(1999, 1, 1, 0, 0, 0, TimeSpan.Zero) } }, "ClockResetEpoch" },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Validate_BadSetting_MessageNamesIt(SimulatedFleetOptions options, string setting)
    {
        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.StartsWith(setting + " is ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_Defaults_Pass() => new SimulatedFleetOptions().Validate();

    [Fact]
    public void Constructor_UnknownProfileId_NamesIt()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new SimulatedFleet(FleetHarness.Profiles, new SimulatedFleetOptions { ProfileIds = ["polar-h11"] }));
        Assert.Contains("polar-h11", error.Message, StringComparison.Ordinal);
        Assert.Contains("ProfileIds", error.Message, StringComparison.Ordinal);
    }
}
