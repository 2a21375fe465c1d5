using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>One simulated tracker's state: identity, clocks, heart, link and fault state. Owned by the fleet's engine.</summary>
internal sealed class VirtualTracker
{
    public VirtualTracker(int index, FirmwareProfile profile, DeviceClock clock, HeartModel heart)
    {
        Index = index;
        Device = new DeviceHandle(index + 1);
        Profile = profile;
        Clock = clock;
        Heart = heart;
    }

    public int Index { get; }

    public DeviceHandle Device { get; }

    public FirmwareProfile Profile { get; }

    public DeviceClock Clock { get; }

    public HeartModel Heart { get; }

    public bool Connected { get; set; }

    /// <summary>Notifications still to hold in the current burst (0: no burst).</summary>
    public int BurstRemaining { get; set; }
}
