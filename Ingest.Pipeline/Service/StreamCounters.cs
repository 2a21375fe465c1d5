namespace Ingest.Pipeline.Service;

/// <summary>
/// One data stream's counts since the service started, for the metrics (<see cref="IngestMetrics"/>): what arrived and
/// what the profile's nominal rate says should have arrived while the device was connected. Their ratio over a window is
/// the stream's completeness.
/// </summary>
/// <param name="Device">Device pseudonym (never an address).</param>
/// <param name="Stream">The profile's stream id (<c>ecg</c>, <c>hr</c> …).</param>
/// <param name="Samples">Samples decoded from the stream.</param>
/// <param name="ExpectedSamples">Nominal rate × time the device was connected; null for an event stream (no nominal rate).</param>
public readonly record struct StreamCounters(string Device, string Stream, long Samples, double? ExpectedSamples);

/// <summary>The latest device → hub clock estimate of one device (see <see cref="Clocks.DeviceClockEstimator"/>).</summary>
/// <param name="Device">Device pseudonym.</param>
/// <param name="OffsetNs">Hub − device clock (ns), including the link's smallest delivery delay.</param>
/// <param name="DriftPpm">Drift in ppm, NaN until the fit spans long enough.</param>
public readonly record struct DeviceClockOffset(string Device, long OffsetNs, double DriftPpm);
