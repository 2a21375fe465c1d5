using System.Text.RegularExpressions;
using Apache.Arrow.Ipc;
using Ingest.Tests.Support;

namespace Ingest.Tests.Gateway;

/// <summary>Runs the real gateway (wearable-ingest.dll) as a child process, with an environment, as a service manager would.</summary>
internal static partial class Gateway
{
    public static string Dotnet => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>
    /// Starts <c>wearable-ingest</c> with <paramref name="arguments"/>; the caller disposes (kills) it. The hub's web pages
    /// and metrics endpoint listen on free loopback ports (port 0) unless the test sets them, so hubs of tests running
    /// in parallel never fight over the default ports; the hub prints where they listen.
    /// </summary>
    public static PeerProcess Start(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null)
    {
        var withDefaults = new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        withDefaults.TryAdd("WEARABLE_INGEST_WEB__URLS", "http://127.0.0.1:0");
        withDefaults.TryAdd("WEARABLE_INGEST_METRICS__PROMETHEUSURLS", "http://127.0.0.1:0");
        return PeerProcess.Start(Dotnet, new[] { Cli.Assembly }.Concat(arguments), workingDirectory ?? Peers.RepositoryRoot, withDefaults);
    }

    /// <summary>Runs to the end and returns the exit code and everything printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null,
        double timeoutSeconds = 60, string? workingDirectory = null)
    {
        using var process = Start(arguments, environment, workingDirectory);
        var exit = await process.WaitForExitAsync(TimeSpan.FromSeconds(timeoutSeconds));
        // The output handlers may still be draining after the exit; WaitForExit() without a timeout waits for them.
        return (exit, process.Output);
    }

    /// <summary>Sample and gap rows in the Arrow files under <paramref name="outbox"/> (clock-stream rows left out), read with Apache.Arrow's own reader.</summary>
    public static (int Files, long Rows) ReadOutbox(string outbox)
    {
        var files = Directory.GetFiles(outbox, "*.arrows", SearchOption.AllDirectories);
        long rows = 0;
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            using var reader = new ArrowStreamReader(stream);
            var batches = 0;
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                using (batch)
                {
                    Assert.True(batch.ColumnCount > 0, file);

                    // Samples and gap rows; a device's clock stream (PMD trackers) is neither.
                    var isClock = reader.Schema.Metadata.TryGetValue(Ingest.Pipeline.Batching.BatchMetadataKeys.Stream, out var key)
                        && key.EndsWith("." + Ingest.Pipeline.Service.ClockRows.StreamId, StringComparison.Ordinal);
                    rows += isClock ? 0 : batch.Length;
                    batches++;
                }
            }

            // The contract: one IPC stream per batch, schema + one record batch.
            Assert.True(batches == 1, $"{file} holds {batches} record batches");
        }

        return (files.Length, rows);
    }

    /// <summary>The sample total of the exit summary ("samples N").</summary>
    public static long SummarySamples(string output)
    {
        var match = SamplesPattern().Match(output);
        Assert.True(match.Success, "no summary with a sample count in: " + output);
        return long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The gap records of the exit summary ("gaps recorded N"), 0 when it names none.</summary>
    public static long SummaryGaps(string output)
    {
        var match = GapsPattern().Match(output);
        return match.Success ? long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    [GeneratedRegex(@"gaps recorded ([\d,]+)")]
    private static partial Regex GapsPattern();

    [GeneratedRegex(@"samples ([\d,]+), frames rejected")]
    private static partial Regex SamplesPattern();
}
