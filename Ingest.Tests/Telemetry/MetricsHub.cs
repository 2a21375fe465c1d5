using System.Text.RegularExpressions;
using Ingest.Tests.Support;

namespace Ingest.Tests.Telemetry;

/// <summary>
/// A real running hub (the gateway as a child process, simulated radio) with its Prometheus endpoint on a free port:
/// three trackers whose profiles cover a clock-carrying stream (Polar PMD), so every metric family has series.
/// </summary>
internal sealed partial class MetricsHub : IDisposable
{
    /// <summary>Profiles of the simulated trackers: Polar H10 and Verity Sense carry their clock; the strap does not.</summary>
    public static readonly string[] Profiles = ["polar-h10", "polar-verity-sense", "generic-heart-rate-strap"];

    private MetricsHub(PeerProcess process, string dataDirectory, Uri scrapeUrl)
    {
        Process = process;
        DataDirectory = dataDirectory;
        ScrapeUrl = scrapeUrl;
    }

    public PeerProcess Process { get; }

    public string DataDirectory { get; }

    /// <summary>The endpoint the hub printed (<c>metrics: http://127.0.0.1:PORT/metrics</c>).</summary>
    public Uri ScrapeUrl { get; }

    /// <summary>Starts the hub and waits for its metrics line and its trackers streaming.</summary>
    public static async Task<MetricsHub> StartAsync(string purpose, string duration = "120s")
    {
        var data = Peers.NewScratchDirectory(purpose);
        await File.WriteAllTextAsync(Path.Combine(data, "wearable-ingest.json"),
            "{\"Simulator\":{\"Profiles\":[" + string.Join(",", Profiles.Select(static p => "\"" + p + "\"")) + "]}}");
        var process = Gateway.Gateway.Start(["run", "--simulate", "3", "--metrics", "http://127.0.0.1:0", "--data-dir", data, "--duration", duration]);
        try
        {
            await process.WaitForOutputAsync("metrics: http://", TimeSpan.FromSeconds(60));
            var match = MetricsLine().Match(process.Output);
            Assert.True(match.Success, process.Output);
            await process.WaitForOutputAsync("trackers 3/3 streaming", TimeSpan.FromSeconds(60));
            return new MetricsHub(process, data, new Uri(match.Groups[1].Value));
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>One scrape (text format 0.0.4, as a plain HTTP client asks).</summary>
    public async Task<string> ScrapeAsync()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await http.GetAsync(ScrapeUrl);
        Assert.True(response.IsSuccessStatusCode, $"GET {ScrapeUrl}: {(int)response.StatusCode}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.MediaType ?? "", StringComparison.Ordinal);
        return await response.Content.ReadAsStringAsync();
    }

    public void Dispose()
    {
        Process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Left for the OS's temp cleaning.
        }
    }

    [GeneratedRegex(@"metrics: (http://127\.0\.0\.1:\d+/metrics)")]
    private static partial Regex MetricsLine();
}
