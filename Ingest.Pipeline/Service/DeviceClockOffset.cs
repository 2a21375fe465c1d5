namespace Ingest.Pipeline.Service;

/// <summary>The latest device → hub clock estimate of one device (see <see cref="Clocks.DeviceClockEstimator"/>).</summary>
/// <param name="Device">Device pseudonym.</param>
/// <param name="OffsetNs">Hub − device clock (ns), including the link's smallest delivery delay.</param>
/// <param name="DriftPpm">Drift in ppm, NaN until the fit spans long enough.</param>
public readonly record struct DeviceClockOffset(string Device, long OffsetNs, double DriftPpm);
