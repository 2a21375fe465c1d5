namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>One RSC Measurement (0x2A53) notification's content; null members are left out (their flag clear).</summary>
/// <param name="Speed">Instantaneous speed, 1/256 m/s.</param>
/// <param name="Cadence">Instantaneous cadence, /min.</param>
/// <param name="StrideLength">Instantaneous stride length, 1/100 m (flags bit 0).</param>
/// <param name="TotalDistance">Total distance, 1/10 m (flags bit 1).</param>
/// <param name="Running">Flags bit 2: running (else walking).</param>
public readonly record struct RscMeasurement(ushort Speed, byte Cadence, ushort? StrideLength = null, uint? TotalDistance = null, bool Running = false);
