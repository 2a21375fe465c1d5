using Ingest.Pipeline.Decoding.Ieee11073;

namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>One PLX Continuous Measurement (0x2A5F) notification's content; null members are left out (their flag clear).</summary>
/// <param name="Normal">SpO2PR-Normal (always present).</param>
/// <param name="Fast">SpO2PR-Fast (flags bit 0).</param>
/// <param name="Slow">SpO2PR-Slow (flags bit 1).</param>
/// <param name="MeasurementStatus">Measurement Status (bit 2).</param>
/// <param name="DeviceSensorStatus">Device and Sensor Status, 24 bits (bit 3).</param>
/// <param name="PulseAmplitudeIndex">Pulse Amplitude Index, % (bit 4).</param>
public readonly record struct PlxContinuousMeasurement(
    SpO2PulseRate Normal,
    SpO2PulseRate? Fast = null,
    SpO2PulseRate? Slow = null,
    ushort? MeasurementStatus = null,
    uint? DeviceSensorStatus = null,
    SFloat? PulseAmplitudeIndex = null);
