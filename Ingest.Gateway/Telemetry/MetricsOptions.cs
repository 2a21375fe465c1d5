namespace Ingest.Gateway.Telemetry;

/// <summary>
/// Metrics export (<c>Metrics:*</c>): the hub's <see cref="System.Diagnostics.Metrics"/> instruments through
/// OpenTelemetry, as a Prometheus scrape endpoint and, when an endpoint is configured, OTLP push to a collector.
/// </summary>
internal sealed record MetricsOptions
{
    /// <summary>Default scrape address: loopback only, OpenTelemetry's Prometheus port; a site opens it on purpose.</summary>
    public const string DefaultPrometheusUrl = "http://127.0.0.1:9464";

    /// <summary>Shortest OTLP export interval.</summary>
    public static readonly TimeSpan MinExportInterval = TimeSpan.FromSeconds(1);

    /// <summary>Longest OTLP export interval.</summary>
    public static readonly TimeSpan MaxExportInterval = TimeSpan.FromHours(1);

    /// <summary>Where the Prometheus endpoint (<c>/metrics</c>) listens (<c>Metrics:PrometheusUrls</c>); empty: off.</summary>
    public IReadOnlyList<string> PrometheusUrls { get; init; } = [DefaultPrometheusUrl];

    /// <summary>OTLP collector (<c>Metrics:OtlpEndpoint</c>, e.g. <c>http://collector:4318</c>); null: no OTLP export.</summary>
    public Uri? OtlpEndpoint { get; init; }

    /// <summary>OTLP over <c>grpc</c> or <c>http/protobuf</c> (<c>Metrics:OtlpProtocol</c>, default http/protobuf).</summary>
    public string OtlpProtocol { get; init; } = "http/protobuf";

    /// <summary>How often metrics are pushed over OTLP (<c>Metrics:ExportInterval</c>, default 30 s).</summary>
    public TimeSpan ExportInterval { get; init; } = TimeSpan.FromSeconds(30);
}
