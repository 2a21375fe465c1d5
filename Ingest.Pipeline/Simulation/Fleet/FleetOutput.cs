using Ingest.Pipeline.Intake;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>One thing the engine produced: a notification or a device event.</summary>
internal readonly record struct FleetOutput(bool IsEvent, Notification Notification, DeviceEvent Event);
