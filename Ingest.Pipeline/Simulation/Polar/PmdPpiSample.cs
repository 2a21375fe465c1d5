namespace Ingest.Pipeline.Simulation.Polar;

/// <summary>One PPI beat as PMD PPI frame type 0 carries it (protocols.md §4.8).</summary>
/// <param name="HeartRate">Heart rate, bpm.</param>
/// <param name="PpIntervalMs">Peak-to-peak interval, ms.</param>
/// <param name="ErrorEstimateMs">Error estimate of the interval, ms.</param>
/// <param name="Flags">Bit 0 blocker, bit 1 skin contact, bit 2 skin contact supported.</param>
public readonly record struct PmdPpiSample(byte HeartRate, ushort PpIntervalMs, ushort ErrorEstimateMs, byte Flags);
