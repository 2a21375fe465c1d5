using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Ingest.Gateway.Radio;
using Ingest.Pipeline.Service;

namespace Ingest.Tests.Telemetry;

/// <summary>
/// The instruments of both meters, read in this process with a <see cref="MeterListener"/>: named by OpenTelemetry's
/// conventions, with UCUM units, and device labels capped at <see cref="IngestMetrics.MaxLabelledDevices"/> without losing
/// counts.
/// </summary>
public sealed partial class InstrumentConventionTests
{
    private const int Devices = IngestMetrics.MaxLabelledDevices + 8;

    [Fact]
    public void Instruments_BothMeters_NamedAndUnitedByOpenTelemetryConventions()
    {
        using var ingest = NewIngestMetrics();
        using var radio = new RadioMetrics(static () => Radio());
        var instruments = Record(ingest.Meter, radio.Meter).Instruments;

        Assert.True(instruments.Count >= 30, $"{instruments.Count} instruments");
        foreach (var instrument in instruments)
        {
            Assert.Matches(InstrumentName(), instrument.Name);
            Assert.DoesNotContain("total", instrument.Name, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(instrument.Description), instrument.Name);
            // UCUM: bytes, seconds, or an {annotation} for counts of things; no unit only for 0/1 states.
            Assert.True(instrument.Unit is null or "By" or "s" || AnnotationUnit().IsMatch(instrument.Unit), $"{instrument.Name}: unit {instrument.Unit}");
        }
    }

    [Fact]
    public void DeviceLabels_MoreDevicesThanTheCap_CappedAndSummedUnderOther()
    {
        using var ingest = NewIngestMetrics();
        using var radio = new RadioMetrics(static () => Radio());
        var measurements = Record(ingest.Meter, radio.Meter).Measurements;

        var samples = measurements.Where(static m => m.Instrument == "wearable_ingest.stream.samples").ToList();
        var devices = samples.Select(static m => m.Tags["device"]).Distinct().ToList();
        Assert.Equal(IngestMetrics.MaxLabelledDevices + 1, devices.Count);
        Assert.Contains(IngestMetrics.OtherDevices, devices);
        // The first devices seen keep their own label; every sample is still counted.
        Assert.Contains("dev-000", devices);
        Assert.DoesNotContain($"dev-{Devices - 1:000}", devices);
        Assert.Equal(Streams().Sum(static s => s.Samples), samples.Sum(static m => m.Value));

        // Expected samples: the event stream (no nominal rate) has none.
        var expected = measurements.Where(static m => m.Instrument == "wearable_ingest.stream.samples.expected").ToList();
        Assert.DoesNotContain(expected, static m => m.Tags["stream"] == "battery");
        Assert.Equal(Streams().Sum(static s => s.ExpectedSamples ?? 0), expected.Sum(static m => m.Value), 6);

        // A gauge cannot be summed: devices past the cap are left out.
        Assert.Equal(IngestMetrics.MaxLabelledDevices, measurements.Count(static m => m.Instrument == "wearable_ingest.device.clock.offset"));
        Assert.Equal(0.25, measurements.First(static m => m.Instrument == "wearable_ingest.device.clock.offset").Value);

        var connects = measurements.Where(static m => m.Instrument == "wearable_ingest.radio.tracker.connects").ToList();
        Assert.Equal(IngestMetrics.MaxLabelledDevices + 1, connects.Count);
        Assert.Equal(Devices * 2, connects.Sum(static m => m.Value));

        var states = measurements.Where(static m => m.Instrument == "wearable_ingest.radio.trackers").ToDictionary(static m => m.Tags["state"], static m => m.Value);
        Assert.Equal(Enum.GetValues<TrackerLinkState>().Length, states.Count);
        Assert.Equal(Devices, states.Values.Sum());
        Assert.Equal(Devices / 2, states["streaming"]);

        Assert.Equal(3, Assert.Single(measurements, static m => m.Instrument == "wearable_ingest.radio.adapter.link.usage").Value);
        Assert.Equal(5, Assert.Single(measurements, static m => m.Instrument == "wearable_ingest.radio.adapter.link.limit").Value);
    }

    private static IngestMetrics NewIngestMetrics() =>
        new(static () => new IngestStatus { At = DateTimeOffset.UnixEpoch, StartedAt = DateTimeOffset.UnixEpoch, Destination = "test", DestinationState = "local", Streams = Streams() },
            static () => Clocks());

    private static List<StreamStatus> Streams() =>
        Enumerable.Range(0, Devices).SelectMany(static i => new[]
        {
            new StreamStatus { Device = $"dev-{i:000}", Participant = $"p-{i}", ProfileId = "polar-h10", StreamId = "ecg", Samples = 100 + i, ExpectedSamples = 130 * (i + 1) },
            new StreamStatus { Device = $"dev-{i:000}", Participant = $"p-{i}", ProfileId = "polar-h10", StreamId = "battery", Samples = 1, ExpectedSamples = null },
        }).ToList();

    private static List<DeviceClockOffset> Clocks() =>
        Enumerable.Range(0, Devices).Select(static i => new DeviceClockOffset($"dev-{i:000}", 250_000_000 + i, double.NaN)).ToList();

    private static RadioStatus Radio() => new(
        [new AdapterStatus("hci0", Powered: true, Discovering: false, Links: 3, MaxLinks: 5)],
        Enumerable.Range(0, Devices).Select(static i => new TrackerStatus($"dev-{i:000}", $"p-{i}", "polar-h10",
            i % 2 == 0 ? TrackerLinkState.Streaming : TrackerLinkState.Waiting, null, null, 0, 0, Connects: 2, 0, 0, null)).ToList(),
        NeighboursRefused: 4, AdapterRecoveries: 1, BackendAvailable: true, Problems: []);

    private static (List<Instrument> Instruments, List<Recorded> Measurements) Record(params Meter[] meters)
    {
        var instruments = new List<Instrument>();
        var measurements = new List<Recorded>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only these meters: services of other tests publish meters of the same name in parallel.
            if (meters.Contains(instrument.Meter))
            {
                instruments.Add(instrument);
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, t, _) => measurements.Add(new Recorded(i.Name, v, Tags(t))));
        listener.SetMeasurementEventCallback<int>((i, v, t, _) => measurements.Add(new Recorded(i.Name, v, Tags(t))));
        listener.SetMeasurementEventCallback<double>((i, v, t, _) => measurements.Add(new Recorded(i.Name, v, Tags(t))));
        listener.Start();
        listener.RecordObservableInstruments();
        return (instruments, measurements);
    }

    private static Dictionary<string, string> Tags(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in tags)
        {
            map[key] = value?.ToString() ?? "";
        }

        return map;
    }

    private sealed record Recorded(string Instrument, double Value, Dictionary<string, string> Tags);

    /// <summary>Lower-case, dot-separated namespaces under wearable_ingest, snake_case words.</summary>
    [GeneratedRegex(@"^wearable_ingest(\.[a-z][a-z0-9_]*)+$")]
    private static partial Regex InstrumentName();

    [GeneratedRegex(@"^\{[a-z_]+\}$")]
    private static partial Regex AnnotationUnit();
}
