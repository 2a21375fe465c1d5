using Ingest.Pipeline.Intake;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>What a simulated tracker is, for tests and logs: the truth the pipeline's estimates can be checked against.</summary>
/// <param name="Device">Its handle in notifications and events.</param>
/// <param name="ProfileId">The firmware profile it speaks.</param>
/// <param name="ClockOffset">Device clock minus hub clock at the start.</param>
/// <param name="ClockDriftPpm">How fast the device's crystal runs against the hub clock, ppm.</param>
/// <param name="Streams">The profile streams it sends (streams the fleet cannot speak are left out).</param>
public sealed record SimulatedTracker(DeviceHandle Device, string ProfileId, TimeSpan ClockOffset, double ClockDriftPpm, IReadOnlyList<string> Streams);
