namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>One CSC Measurement (0x2A5B) notification's content: each block is sent when its counter is not null.</summary>
/// <param name="WheelRevolutions">Cumulative wheel revolutions (flags bit 0), or null.</param>
/// <param name="WheelEventTime">Last wheel event time, 1/1024 s (sent with the wheel block).</param>
/// <param name="CrankRevolutions">Cumulative crank revolutions (flags bit 1), or null.</param>
/// <param name="CrankEventTime">Last crank event time, 1/1024 s (sent with the crank block).</param>
public readonly record struct CscMeasurement(uint? WheelRevolutions, ushort WheelEventTime, ushort? CrankRevolutions, ushort CrankEventTime);
