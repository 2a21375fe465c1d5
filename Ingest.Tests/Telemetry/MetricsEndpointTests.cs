using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Ingest.Pipeline.Decoding;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Ingest.Tests.Support;

namespace Ingest.Tests.Telemetry;

/// <summary>
/// The metrics of a real running hub: its Prometheus endpoint scraped and parsed strictly (and checked by
/// <c>promtool</c>), OTLP pushed to a real HTTP receiver, and a taken metrics port reported while the hub runs on.
/// </summary>
public sealed partial class MetricsEndpointTests
{
    /// <summary>Families a hub always exposes, with their Prometheus type (docs/metrics.md lists them).</summary>
    public static readonly IReadOnlyDictionary<string, string> ExpectedFamilies = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["target_info"] = "gauge",
        ["wearable_ingest_notifications_total"] = "counter",
        ["wearable_ingest_notifications_not_admitted_total"] = "counter",
        ["wearable_ingest_samples_total"] = "counter",
        ["wearable_ingest_frames_rejected_total"] = "counter",
        ["wearable_ingest_gaps_total"] = "counter",
        ["wearable_ingest_clock_rows_total"] = "counter",
        ["wearable_ingest_stream_samples_total"] = "counter",
        ["wearable_ingest_stream_samples_expected_total"] = "counter",
        ["wearable_ingest_device_clock_offset_seconds"] = "gauge",
        ["wearable_ingest_batches_sealed_total"] = "counter",
        ["wearable_ingest_batches_spooled_total"] = "counter",
        ["wearable_ingest_batches_published_total"] = "counter",
        ["wearable_ingest_batches_released_total"] = "counter",
        ["wearable_ingest_batches_refused_total"] = "counter",
        ["wearable_ingest_batches_republished_total"] = "counter",
        ["wearable_ingest_publish_failures_total"] = "counter",
        ["wearable_ingest_publish_duration_seconds"] = "histogram",
        ["wearable_ingest_spool_backlog"] = "gauge",
        ["wearable_ingest_spool_oldest_unsent_age_seconds"] = "gauge",
        ["wearable_ingest_spool_usage_bytes"] = "gauge",
        ["wearable_ingest_spool_limit_bytes"] = "gauge",
        ["wearable_ingest_intake_paused"] = "gauge",
        ["wearable_ingest_broker_reconnects_total"] = "counter",
        ["wearable_ingest_radio_adapter_link_usage"] = "gauge",
        ["wearable_ingest_radio_adapter_link_limit"] = "gauge",
        ["wearable_ingest_radio_adapter_powered"] = "gauge",
        ["wearable_ingest_radio_adapter_recoveries_total"] = "counter",
        ["wearable_ingest_radio_neighbours_refused_total"] = "counter",
        ["wearable_ingest_radio_trackers"] = "gauge",
        ["wearable_ingest_radio_tracker_connects_total"] = "counter",
        ["wearable_ingest_radio_tracker_connect_failures_total"] = "counter",
        ["wearable_ingest_radio_tracker_stream_restarts_total"] = "counter",
    };

    [Fact]
    public async Task Scrape_RunningHub_NamedSeriesWithSaneValues()
    {
        using var hub = await MetricsHub.StartAsync("metrics-scrape");
        var first = PrometheusText.Parse(await hub.ScrapeAsync());
        // Past the exporter's 300 ms response cache and a few notifications later.
        await Task.Delay(TimeSpan.FromSeconds(2));
        var text = await hub.ScrapeAsync();
        var (types, samples) = PrometheusText.Parse(text);

        foreach (var (family, type) in ExpectedFamilies)
        {
            Assert.True(types.TryGetValue(family, out var actual), $"no family {family} in:\n{text}");
            Assert.Equal(type, actual);
        }

        // Whose metrics: the resource, and its constant labels on every series.
        var target = Assert.Single(samples, static s => s.Name == "target_info");
        Assert.Equal("wearable-ingest", target.Label("service_name"));
        var hubId = target.Label("service_instance_id");
        Assert.False(string.IsNullOrEmpty(hubId));
        Assert.All(samples, s => Assert.Equal(hubId, s.Label("service_instance_id")));
        Assert.All(samples, static s => Assert.False(string.IsNullOrEmpty(s.Label("wearable_ingest_site"))));

        // Samples flow: the counter grows between two scrapes, per stream too.
        Assert.True(Single(samples, "wearable_ingest_samples_total") > Single(first.Samples, "wearable_ingest_samples_total"));
        var streams = samples.Where(static s => s.Name == "wearable_ingest_stream_samples_total").ToList();
        Assert.Contains(streams, static s => s.Label("stream") == "ecg" && s.Value > 0);
        Assert.Equal(Single(samples, "wearable_ingest_samples_total"), streams.Sum(static s => s.Value), tolerance: Single(samples, "wearable_ingest_samples_total") * 0.05);
        var expected = samples.Where(static s => s.Name == "wearable_ingest_stream_samples_expected_total").ToList();
        Assert.Contains(expected, static s => s.Label("stream") == "ecg" && s.Value > 0);

        // Spool and backlog.
        Assert.True(Single(samples, "wearable_ingest_spool_backlog") >= 0);
        Assert.True(Single(samples, "wearable_ingest_spool_oldest_unsent_age_seconds") >= 0);
        Assert.InRange(Single(samples, "wearable_ingest_spool_usage_bytes"), 1, Single(samples, "wearable_ingest_spool_limit_bytes"));

        // Rejections: every reason labelled, from the decoder's reasons.
        var rejected = samples.Where(static s => s.Name == "wearable_ingest_frames_rejected_total").ToList();
        Assert.NotEmpty(rejected);
        Assert.All(rejected, static s => Assert.True(Enum.TryParse<RejectReason>(s.Label("reason"), out var reason) && reason != RejectReason.None, s.Label("reason")));

        // Radio: slots used = the trackers holding a link (3 streaming), within the adapter's limit.
        var usage = Assert.Single(samples, static s => s.Name == "wearable_ingest_radio_adapter_link_usage");
        var trackers = samples.Where(static s => s.Name == "wearable_ingest_radio_trackers").ToDictionary(static s => s.Label("state"), static s => s.Value);
        Assert.Equal(3, trackers["streaming"]);
        Assert.Equal(trackers["streaming"] + trackers["connecting"], usage.Value);
        Assert.True(usage.Value <= Single(samples, "wearable_ingest_radio_adapter_link_limit"));
        Assert.All(samples.Where(static s => s.Name == "wearable_ingest_radio_tracker_connects_total"), static s => Assert.True(s.Value >= 1));

        // Clock offset of the clock-carrying trackers (Polar PMD), in seconds: small on a simulated link.
        var offsets = samples.Where(static s => s.Name == "wearable_ingest_device_clock_offset_seconds").ToList();
        Assert.NotEmpty(offsets);
        Assert.All(offsets, static s => Assert.InRange(Math.Abs(s.Value), 0, 60));

        // Devices by pseudonym only, never an address; every label value of every series.
        Assert.All(samples.SelectMany(static s => s.Labels.Values), static value => Assert.DoesNotMatch(MacAddress(), value));
        Assert.All(samples.Where(static s => s.Labels.ContainsKey("device")), static s => Assert.StartsWith("sim-", s.Label("device"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task Scrape_RunningHub_PassesPromtoolCheckMetrics()
    {
        var promtool = Peers.Require("promtool", "scripts/install-test-peers.sh (apt-get install prometheus, which brings promtool)");
        using var hub = await MetricsHub.StartAsync("metrics-promtool");
        var text = await hub.ScrapeAsync();
        var (exit, output) = await PeerProcess.RunAsync(promtool, ["check", "metrics"], TimeSpan.FromSeconds(30), standardInput: text);
        Assert.True(exit == 0, $"promtool check metrics: {output}\n{text}");
    }

    [Fact]
    public async Task Otlp_CollectorConfigured_ReceivesMetricsOverHttpProtobuf()
    {
        var received = new List<(string Path, string? ContentType, byte[] Body)>();
        var gotOne = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/v1/metrics", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            lock (received)
            {
                received.Add((request.Path, request.ContentType, body.ToArray()));
            }

            gotOne.TrySetResult();
            // An empty ExportMetricsServiceResponse: full success (OTLP/HTTP spec).
            return Results.Bytes([], "application/x-protobuf");
        });
        await collector.StartAsync();
        var address = collector.Urls.Single();

        var data = Peers.NewScratchDirectory("metrics-otlp");
        using var hub = Gateway.Gateway.Start(["run", "--simulate", "2", "--metrics", "off", "--data-dir", data, "--duration", "60s"],
            new Dictionary<string, string>
            {
                ["WEARABLE_INGEST_METRICS__OTLPENDPOINT"] = address,
                ["WEARABLE_INGEST_METRICS__EXPORTINTERVAL"] = "1s",
            });
        await hub.WaitForOutputAsync("metrics: OTLP http/protobuf to " + address + "/v1/metrics every 1s", TimeSpan.FromSeconds(60));
        await gotOne.Task.WaitAsync(TimeSpan.FromSeconds(60));
        // A few exports later the trackers are streaming and the sample counter is in.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        byte[] last;
        do
        {
            await Task.Delay(500);
            lock (received)
            {
                last = received[^1].Body;
            }
        }
        while (!Contains(last, "wearable_ingest.stream.samples") && DateTime.UtcNow < deadline);

        lock (received)
        {
            Assert.All(received, static r => Assert.Equal("/v1/metrics", r.Path));
            Assert.All(received, static r => Assert.Equal("application/x-protobuf", r.ContentType));
            Assert.All(received, static r => Assert.NotEmpty(r.Body));
        }

        foreach (var name in new[] { "wearable_ingest.samples", "wearable_ingest.stream.samples", "wearable_ingest.radio.trackers", "service.instance.id", "wearable-ingest" })
        {
            Assert.True(Contains(last, name), $"the last OTLP body does not hold '{name}'");
        }

        Assert.DoesNotContain("metrics: http://", hub.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MetricsPort_Taken_ReportedAndHubRunsOn()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var data = Peers.NewScratchDirectory("metrics-taken");
        var (exit, output) = await Gateway.Gateway.RunAsync(
            ["run", "--simulate", "2", "--metrics", $"http://127.0.0.1:{port}", "--data-dir", data, "--duration", "4s"], timeoutSeconds: 120);

        Assert.True(exit == 0, output);
        Assert.Contains($"metrics: cannot listen on http://127.0.0.1:{port}", output, StringComparison.Ordinal);
        Assert.Contains("set Metrics:PrometheusUrls (--metrics) to a free address, or off", output, StringComparison.Ordinal);
        Assert.True(Gateway.Gateway.SummarySamples(output) > 0, output);
    }

    [Fact]
    public async Task Metrics_Off_NothingListensAndSaysSo()
    {
        var data = Peers.NewScratchDirectory("metrics-off");
        var (exit, output) = await Gateway.Gateway.RunAsync(["run", "--simulate", "1", "--metrics", "off", "--data-dir", data, "--duration", "2s"], timeoutSeconds: 120);

        Assert.True(exit == 0, output);
        Assert.Contains("metrics: off", output, StringComparison.Ordinal);
        Assert.DoesNotContain("metrics: http://", output, StringComparison.Ordinal);
    }

    private static double Single(IReadOnlyList<PrometheusSample> samples, string name) => Assert.Single(samples, s => s.Name == name).Value;

    private static bool Contains(byte[] body, string text) => body.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0;

    [GeneratedRegex("([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}")]
    private static partial Regex MacAddress();
}
