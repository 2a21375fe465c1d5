namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>
/// Polar PMD measurement types this decoder handles, with their wire values (byte 0 of a PMD DATA frame,
/// masked with 0x3F; protocols.md §4.8, polar-ble-sdk <c>PmdMeasurementType.kt</c>).
/// </summary>
public enum PmdMeasurementType
{
    /// <summary>Electrocardiogram (H10).</summary>
    Ecg = 0,

    /// <summary>Photoplethysmogram (Verity Sense, OH1).</summary>
    Ppg = 1,

    /// <summary>Accelerometer.</summary>
    Acc = 2,

    /// <summary>Peak-to-peak intervals derived from PPG.</summary>
    Ppi = 3,
}
