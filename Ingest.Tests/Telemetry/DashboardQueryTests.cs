using System.Globalization;
using System.Text.Json;
using Ingest.Tests.Support;
using Ingest.Tests.Web;

namespace Ingest.Tests.Telemetry;

/// <summary>
/// The Grafana dashboard (deploy/grafana/wearable-ingest.json) against a real Prometheus scraping a real running hub:
/// every panel's PromQL and every template variable's query returns series through Prometheus' HTTP API. Grafana itself
/// is not packaged for Debian, so the docs' picture is Prometheus' own graph page over the same queries (labelled so).
/// </summary>
public sealed class DashboardQueryTests
{
    /// <summary>The dashboard file in the repository.</summary>
    public static string DashboardPath => Path.Combine(Peers.RepositoryRoot, "deploy", "grafana", "wearable-ingest.json");

    [Fact]
    public void Dashboard_Json_HasTheVariablesAndPanelsTheFleetNeeds()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardPath));
        var root = dashboard.RootElement;
        Assert.InRange(root.GetProperty("schemaVersion").GetInt32(), 36, 41);
        var variables = root.GetProperty("templating").GetProperty("list").EnumerateArray().ToDictionary(static v => v.GetProperty("name").GetString()!);
        Assert.Equal("prometheus", variables["datasource"].GetProperty("query").GetString());
        Assert.Contains("service_instance_id", variables["hub"].GetProperty("definition").GetString(), StringComparison.Ordinal);

        var titles = Panels(root).Select(static p => p.Title).ToList();
        foreach (var needed in new[] { "Ingest rate per hub", "Rejections by reason", "Backlog", "Oldest unsent sample", "Spool use",
            "Completeness per stream", "Reconnects", "Clock offset", "Adapter slots" })
        {
            Assert.Contains(needed, titles);
        }

        // Every panel reads the datasource variable and filters by the hub variable.
        Assert.All(Panels(root).SelectMany(static p => p.Expressions), static e => Assert.Contains("service_instance_id=~\"$hub\"", e, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Dashboard_EveryQuery_ReturnsSeriesFromPrometheusScrapingAHub()
    {
        var prometheusPath = Peers.Require("prometheus", "scripts/install-test-peers.sh (apt-get install prometheus)");
        using var hub = await MetricsHub.StartAsync("metrics-dashboard", duration: "300s");
        var storage = Peers.NewScratchDirectory("prometheus");
        var config = Path.Combine(storage, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: wearable-ingest
                metrics_path: {hub.ScrapeUrl.AbsolutePath}
                static_configs:
                  - targets: ["{hub.ScrapeUrl.Authority}"]
            """);
        var port = Peers.FreeTcpPort();
        using var prometheus = PeerProcess.Start(prometheusPath,
            [$"--config.file={config}", $"--storage.tsdb.path={Path.Combine(storage, "data")}", $"--web.listen-address=127.0.0.1:{port}"]);
        await Peers.WaitForTcpPortAsync(port, TimeSpan.FromSeconds(60), prometheus);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };

        // Enough scrapes for rate() over a minute's window: at least 10 points of the sample counter.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (await QueryWhenReadyAsync(http, "count_over_time(wearable_ingest_samples_total[1m]) >= 10") is null or [])
        {
            Assert.True(DateTime.UtcNow < deadline, "Prometheus did not scrape the hub ten times in 90 s: " + prometheus.Output);
            await Task.Delay(1000);
        }

        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardPath));
        foreach (var (title, expressions) in Panels(dashboard.RootElement))
        {
            foreach (var expression in expressions)
            {
                var series = await QueryAsync(http, Concrete(expression));
                Assert.True(series.Count > 0, $"panel '{title}': {expression} returned no series");
                // [time, "value"]: at least one series holds a number (a ratio is NaN only when nothing was expected).
                Assert.Contains(series, static s => double.TryParse(s.GetProperty("value")[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v));
            }
        }

        // The template variables: label_values(selector, label) is Prometheus' label values API with a match[].
        foreach (var variable in dashboard.RootElement.GetProperty("templating").GetProperty("list").EnumerateArray())
        {
            if (variable.GetProperty("type").GetString() != "query")
            {
                continue;
            }

            var definition = Concrete(variable.GetProperty("definition").GetString()!);
            var inner = definition["label_values(".Length..^1];
            var comma = inner.LastIndexOf(',');
            var (selector, label) = (inner[..comma].Trim(), inner[(comma + 1)..].Trim());
            using var response = await http.GetAsync($"/api/v1/label/{label}/values?match[]={Uri.EscapeDataString(selector)}");
            using var values = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.True(values.RootElement.GetProperty("data").GetArrayLength() > 0, $"variable {variable.GetProperty("name")}: {definition} has no values");
        }

        // The docs' pictures: Prometheus' own graph page (not Grafana) over two of the dashboard's queries.
        var browser = new Browser();
        await browser.InitializeAsync();
        try
        {
            var queries = Panels(dashboard.RootElement).ToDictionary(static p => p.Title, static p => p.Expressions[0]);
            await ScreenshotGraphAsync(browser, port, Concrete(queries["Ingest rate per hub"]).Replace("[1m]", "[15s]", StringComparison.Ordinal), "metrics-prometheus-ingest-rate");
            await ScreenshotGraphAsync(browser, port, Concrete(queries["Completeness per stream"]).Replace("[1m]", "[15s]", StringComparison.Ordinal), "metrics-prometheus-completeness");
        }
        finally
        {
            await browser.DisposeAsync();
            prometheus.Kill();
            try
            {
                Directory.Delete(storage, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS's temp cleaning.
            }
        }
    }

    /// <summary>The dashboard's query with Grafana's variables set: a minute's rate window, every hub and site.</summary>
    private static string Concrete(string expression) =>
        expression.Replace("$__rate_interval", "1m", StringComparison.Ordinal).Replace("$hub", ".*", StringComparison.Ordinal).Replace("$site", ".*", StringComparison.Ordinal);

    private static List<(string Title, List<string> Expressions)> Panels(JsonElement root) =>
        root.GetProperty("panels").EnumerateArray()
            .Select(static p => (p.GetProperty("title").GetString()!,
                p.GetProperty("targets").EnumerateArray().Select(static t => t.GetProperty("expr").GetString()!).ToList()))
            .ToList();

    /// <summary>
    /// Like <see cref="QueryAsync"/>, but null while Prometheus is still starting: it answers "Service Unavailable" (plain
    /// text, HTTP 503) until its storage is open, which on a loaded machine can outlast the first query.
    /// </summary>
    private static async Task<List<JsonElement>?> QueryWhenReadyAsync(HttpClient http, string query)
    {
        using var ready = await http.GetAsync("/-/ready");
        return ready.IsSuccessStatusCode ? await QueryAsync(http, query) : null;
    }

    /// <summary>An instant query's result vector (fails the test when Prometheus reports an error, e.g. bad PromQL).</summary>
    private static async Task<List<JsonElement>> QueryAsync(HttpClient http, string query)
    {
        using var response = await http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(query));
        var body = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(body);
        Assert.True(document.RootElement.GetProperty("status").GetString() == "success", $"{query}: {body}");
        return document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(static r => r.Clone()).ToList();
    }

    private static async Task ScreenshotGraphAsync(Browser browser, int port, string expression, string name)
    {
        var page = await browser.NewPageAsync(new Microsoft.Playwright.ViewportSize { Width = 1280, Height = 800 });
        var url = string.Create(CultureInfo.InvariantCulture,
            $"http://127.0.0.1:{port}/classic/graph?g0.expr={Uri.EscapeDataString(expression)}&g0.tab=0&g0.range_input=1m&g0.stacked=0&g0.show_exemplars=0");
        await page.GotoAsync(url);
        // Debian's prometheus serves the classic UI; the graph is drawn once the query answered: its legend lists the series.
        await page.WaitForSelectorAsync(".rickshaw_legend li", new() { Timeout = 30_000 });
        await Browser.ScreenshotForDocsAsync(page, name);
        await page.Context.CloseAsync();
    }
}
