using Ingest.Gateway.Configuration;
using Ingest.Gateway.Radio;
using Ingest.Pipeline.Service;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace Ingest.Gateway.Telemetry;

/// <summary>
/// Exports the hub's metrics with OpenTelemetry: one <see cref="MeterProvider"/> over the service's meter
/// (<see cref="IngestMetrics.MeterName"/>) and the radio's (<see cref="RadioMetrics.MeterName"/>), read by a Prometheus
/// scrape endpoint (<c>/metrics</c> on its own small Kestrel listener at <see cref="MetricsOptions.PrometheusUrls"/>) and,
/// when <see cref="MetricsOptions.OtlpEndpoint"/> is set, pushed over OTLP every <see cref="MetricsOptions.ExportInterval"/>.
/// The resource says whose metrics they are (service.name, service.instance.id = the hub id, the study and site); the
/// Prometheus endpoint also puts those on every series as labels, so one Prometheus can tell hundreds of hubs apart.
/// A listener that cannot start (port taken) is reported and the hub runs on: the data path never depends on metrics.
/// </summary>
internal sealed class MetricsExport : IAsyncDisposable
{
    /// <summary>The OpenTelemetry <c>service.name</c> of every hub.</summary>
    public const string ServiceName = "wearable-ingest";

    /// <summary>Resource attribute: the study the hub collects for (no OpenTelemetry convention covers it, hence our namespace).</summary>
    public const string StudyAttribute = "wearable_ingest.study";

    /// <summary>Resource attribute: the hub's site.</summary>
    public const string SiteAttribute = "wearable_ingest.site";

    /// <summary>Path of the Prometheus scrape endpoint.</summary>
    public const string ScrapePath = "/metrics";

    /// <summary>OTLP/HTTP's signal path, appended to the collector's base address (as OTEL_EXPORTER_OTLP_ENDPOINT is).</summary>
    public const string OtlpMetricsPath = "v1/metrics";

    /// <summary>Largest request header block the scrape listener takes: a scraper sends a few short headers.</summary>
    private const int MaxRequestHeaderBytes = 8 * 1024;

    /// <summary>Resource attributes copied onto every Prometheus series as labels (bounded: one value each per hub).</summary>
    private static readonly HashSet<string> s_constantLabels = new(StringComparer.Ordinal) { "service.instance.id", StudyAttribute, SiteAttribute };

    private readonly MeterProvider? _provider;
    private readonly RadioMetrics _radio;
    private readonly WebApplication? _app;

    private MetricsExport(MeterProvider? provider, RadioMetrics radio, WebApplication? app, IReadOnlyList<string> scrapeUrls, IReadOnlyList<string> description)
    {
        _provider = provider;
        _radio = radio;
        _app = app;
        ScrapeUrls = scrapeUrls;
        Description = description;
    }

    /// <summary>The scrape endpoints' full addresses (with the real port when port 0 was asked for); empty when off or not listening.</summary>
    public IReadOnlyList<string> ScrapeUrls { get; }

    /// <summary>What is exported where, one line each, for the hub's output (<c>metrics: http://127.0.0.1:9464/metrics</c>).</summary>
    public IReadOnlyList<string> Description { get; }

    /// <summary>
    /// Starts the export for the hub <paramref name="hub"/>; <paramref name="radio"/> is read at each collection. Problems
    /// (a taken port) go to <paramref name="log"/> and leave that part off.
    /// </summary>
    public static async Task<MetricsExport> StartAsync(MetricsOptions options, IngestOptions hub, Func<RadioStatus> radio, Action<string> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(log);
#pragma warning disable CA2000 // Owned by the returned export, which disposes it.
        var radioMetrics = new RadioMetrics(radio);
#pragma warning restore CA2000
        var prometheus = options.PrometheusUrls.Count > 0;
        if (!prometheus && options.OtlpEndpoint is null)
        {
            return new MetricsExport(null, radioMetrics, null, [], ["metrics: off (Metrics:PrometheusUrls is off and no Metrics:OtlpEndpoint)"]);
        }

        var description = new List<string>();
        var builder = Sdk.CreateMeterProviderBuilder()
            .SetResourceBuilder(Resource(hub))
            .AddMeter(IngestMetrics.MeterName, RadioMetrics.MeterName);
        if (prometheus)
        {
            builder.AddPrometheusExporter(static exporter =>
            {
                exporter.ScrapeEndpointPath = ScrapePath;
                exporter.ResourceConstantLabels = static key => s_constantLabels.Contains(key);
            });
        }

        if (options.OtlpEndpoint is { } collector)
        {
            var grpc = options.OtlpProtocol == "grpc";
            var endpoint = grpc ? collector : new Uri(collector.AbsoluteUri.EndsWith('/') ? collector : new Uri(collector.AbsoluteUri + "/"), OtlpMetricsPath);
            builder.AddOtlpExporter((exporter, reader) =>
            {
                exporter.Protocol = grpc ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
                exporter.Endpoint = endpoint;
                reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = (int)options.ExportInterval.TotalMilliseconds;
                reader.TemporalityPreference = MetricReaderTemporalityPreference.Cumulative;
            });
            description.Add($"metrics: OTLP {options.OtlpProtocol} to {endpoint} every {ValueText.Duration(options.ExportInterval)}");
        }

        var provider = builder.Build();
        WebApplication? app = null;
        IReadOnlyList<string> scrapeUrls = [];
        if (prometheus)
        {
            (app, scrapeUrls) = await StartListenerAsync(options, provider, log).ConfigureAwait(false);
            description.InsertRange(0, scrapeUrls.Select(static url => "metrics: " + url));
        }

        return new MetricsExport(provider, radioMetrics, app, scrapeUrls, description);
    }

    /// <summary>Stops the listener and flushes and stops the exporters.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        // Flushes a last OTLP export (bounded by the exporter's own timeout).
        _provider?.Dispose();
        _radio.Dispose();
    }

    /// <summary>
    /// The resource: <c>service.name</c>, <c>service.version</c>, <c>service.instance.id</c> (the hub id: stable across
    /// restarts, unique in the fleet, as the resource conventions ask) and the study and site.
    /// </summary>
    internal static ResourceBuilder Resource(IngestOptions hub) =>
        ResourceBuilder.CreateEmpty()
            .AddService(ServiceName, serviceVersion: typeof(MetricsExport).Assembly.GetName().Version?.ToString(3),
                autoGenerateServiceInstanceId: false, serviceInstanceId: hub.HubId)
            .AddAttributes([new(StudyAttribute, hub.Study), new(SiteAttribute, hub.Site)]);

    private static async Task<(WebApplication? App, IReadOnlyList<string> Urls)> StartListenerAsync(MetricsOptions options, MeterProvider provider, Action<string> log)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(MetricsExport).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. options.PrometheusUrls]);
        builder.WebHost.ConfigureKestrel(static kestrel =>
        {
            // A scrape is a GET with a few headers; nothing else is served.
            kestrel.Limits.MaxRequestBodySize = 0;
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeaderBytes;
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.UseOpenTelemetryPrometheusScrapingEndpoint(provider, predicate: null, path: ScrapePath, configureBranchedPipeline: null, optionsName: null);
        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            log($"metrics: cannot listen on {string.Join(", ", options.PrometheusUrls)} ({ex.Message.TrimEnd('.')}); the Prometheus endpoint is off " +
                "(OTLP export, if configured, goes on); set Metrics:PrometheusUrls (--metrics) to a free address, or off");
            await app.DisposeAsync().ConfigureAwait(false);
            return (null, []);
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        return (app, addresses.Select(static a => a.TrimEnd('/') + ScrapePath).ToArray());
    }
}
