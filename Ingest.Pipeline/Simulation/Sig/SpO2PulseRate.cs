using Ingest.Pipeline.Decoding.Ieee11073;

namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>A PLX SpO2PR field: SpO2 (%) and pulse rate (/min), both SFLOAT.</summary>
/// <param name="SpO2">Oxygen saturation, %.</param>
/// <param name="PulseRate">Pulse rate, beats per minute.</param>
public readonly record struct SpO2PulseRate(SFloat SpO2, SFloat PulseRate);
