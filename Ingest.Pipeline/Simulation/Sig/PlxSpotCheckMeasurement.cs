using Ingest.Pipeline.Decoding.Ieee11073;

namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>One PLX Spot-Check Measurement (0x2A5E) indication's content; null members are left out (their flag clear).</summary>
/// <param name="SpotCheck">SpO2PR-Spot-Check (always present).</param>
/// <param name="Timestamp">Time stamp (flags bit 0).</param>
/// <param name="MeasurementStatus">Measurement Status (bit 1).</param>
/// <param name="DeviceSensorStatus">Device and Sensor Status, 24 bits (bit 2).</param>
/// <param name="PulseAmplitudeIndex">Pulse Amplitude Index, % (bit 3).</param>
/// <param name="DeviceClockNotSet">Flags bit 4.</param>
public readonly record struct PlxSpotCheckMeasurement(
    SpO2PulseRate SpotCheck,
    SigDateTimeFields? Timestamp = null,
    ushort? MeasurementStatus = null,
    uint? DeviceSensorStatus = null,
    SFloat? PulseAmplitudeIndex = null,
    bool DeviceClockNotSet = false);
