using Ingest.Pipeline.Decoding.Ieee11073;

namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>One Temperature Measurement (0x2A1C) indication's content; null members are left out (their flag clear).</summary>
/// <param name="Value">The temperature as a FLOAT, in °C or °F per <paramref name="Fahrenheit"/>.</param>
/// <param name="Fahrenheit">Flags bit 0: the value is in °F.</param>
/// <param name="TimeStamp">Time stamp (flags bit 1).</param>
/// <param name="TemperatureType">Measurement site (flags bit 2).</param>
public readonly record struct TemperatureMeasurement(
    MderFloat Value, bool Fahrenheit = false, SigDateTimeFields? TimeStamp = null, byte? TemperatureType = null);
