namespace Ingest.Gateway.Receiving;

/// <summary>
/// Named limits on what the receiver accepts from the broker (style.md §4): every payload is untrusted until it passed
/// <see cref="BatchInspector"/>. A batch over a limit is quarantined, never half stored.
/// </summary>
internal static class ReceiveLimits
{
    /// <summary>
    /// 64 MiB: 60x the largest batch a hub seals by default (1,024-row PMD ACC ≈ 1 MiB with list columns) and well under
    /// mosquitto's 256 MiB packet ceiling, so a hub misconfigured for huge batches is noticed, not a receiver exhausted.
    /// </summary>
    public const int DefaultMaximumPayloadBytes = 64 * 1024 * 1024;

    /// <summary>1,048,576 rows: a 1 kHz stream sealed every 17 minutes; far beyond any hub batch setting.</summary>
    public const int DefaultMaximumRows = 1 << 20;

    /// <summary>Longest metadata value read from a payload (hub id, stream key, times): room for any identifier, no more.</summary>
    public const int MaximumMetadataValueLength = 256;

    /// <summary>Largest nominal rate taken as real (Hz): above any tracker stream (Polar ECG 130 Hz, ACC 200 Hz, PPG 176 Hz).</summary>
    public const double MaximumNominalRateHz = 100_000;

    /// <summary>Correlation Data echoed in a receipt: the MQTT binary-data limit [MQTT-1.5.6].</summary>
    public const int MaximumCorrelationDataBytes = ushort.MaxValue;
}
