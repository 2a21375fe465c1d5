namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>How the simulated fleet relates its modelled receive times to the clock.</summary>
public enum SimulationPacing
{
    /// <summary>
    /// Each notification is written when the <see cref="TimeProvider"/> reaches its receive time (checked every
    /// <see cref="SimulatedFleetOptions.PacingInterval"/>): the fleet runs at the trackers' real rates.
    /// </summary>
    RealTime = 0,

    /// <summary>
    /// No waiting: simulated time starts at the provider's now and advances as fast as the consumer reads (the bounded
    /// channel still paces it). Receive times are the same as in <see cref="RealTime"/> for the same seed.
    /// </summary>
    Unpaced = 1,
}
