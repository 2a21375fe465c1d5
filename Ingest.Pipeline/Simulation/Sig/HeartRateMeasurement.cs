namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>One Heart Rate Measurement (0x2A37) notification's content.</summary>
/// <param name="HeartRate">Beats per minute.</param>
/// <param name="HeartRateUInt16">Send the heart rate as uint16 (flags bit 0); required above 255.</param>
/// <param name="SensorContact">Sensor contact status, flags bits 1–2 (0–3).</param>
/// <param name="EnergyExpended">Cumulative energy in kJ (flags bit 3), or null.</param>
/// <param name="RrIntervals">RR intervals in 1/1024 s, oldest first (flags bit 4 when any).</param>
public readonly record struct HeartRateMeasurement(
    ushort HeartRate, bool HeartRateUInt16, byte SensorContact, ushort? EnergyExpended, ReadOnlyMemory<ushort> RrIntervals);
