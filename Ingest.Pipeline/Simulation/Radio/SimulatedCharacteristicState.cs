using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Pipeline.Simulation.Radio;

/// <summary>One characteristic of a simulated peripheral: its value and, while a link is up, its id and subscription. Guarded by the central's lock.</summary>
internal sealed class SimulatedCharacteristicState(Guid service, SimulatedCharacteristic definition)
{
    public Guid Service { get; } = service;

    public Guid Uuid { get; } = definition.Uuid;

    public GattProperties Properties { get; } = definition.Properties;

    /// <summary>What a read returns: the initial value, then the last value notified.</summary>
    public byte[] Value { get; set; } = definition.Value;

    /// <summary>The id on the current link (ids change on every connect), or null while disconnected.</summary>
    public string? CurrentId { get; set; }

    public SimulatedSubscription? Subscription { get; set; }
}
