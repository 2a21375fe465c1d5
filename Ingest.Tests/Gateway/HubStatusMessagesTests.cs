using System.Text.Json;
using System.Text.RegularExpressions;
using Ingest.Gateway.Telemetry;
using Ingest.Pipeline.Service;
using Ingest.Tests.Support;

namespace Ingest.Tests.Gateway;

public partial class HubStatusMessagesTests
{
    private static readonly IngestOptions s_hub = new() { HubId = "hub-7", Study = "cardio-2", Site = "berlin" };

    private static IngestStatus Status(DateTimeOffset at, long notifications, long samples) => new()
    {
        At = at,
        StartedAt = at.AddMinutes(-1),
        Notifications = notifications,
        Samples = samples,
        Backlog = 2,
        SpoolBytes = 512,
        SpoolLimitBytes = 1024,
        OldestUnsentSample = at.AddSeconds(-3),
        Destination = "mqtt://broker:1883",
        DestinationState = "connected",
        Devices = [new DeviceStatus("sim-001", "p-1", "polar-h10", true, at, samples, 0)],
    };

    [Fact]
    public void Online_RatesOverTheInterval_AndBacklogAge()
    {
        var at = new DateTimeOffset(2026, 11, 30, 12, 0, 10, TimeSpan.Zero);

        var json = JsonDocument.Parse(HubStatusMessages.Online(s_hub, Status(at, 300, 1500), Status(at.AddSeconds(-10), 100, 500), TimeSpan.FromSeconds(10))).RootElement;

        Assert.Equal("online", json.GetProperty("state").GetString());
        Assert.Equal(20, json.GetProperty("rates").GetProperty("notificationsPerSecond").GetDouble());
        Assert.Equal(100, json.GetProperty("rates").GetProperty("samplesPerSecond").GetDouble());
        Assert.Equal(3, json.GetProperty("backlog").GetProperty("oldestUnsentAgeSeconds").GetDouble());
        Assert.Equal(0.5, json.GetProperty("spool").GetProperty("use").GetDouble());
        Assert.Equal("p-1", json.GetProperty("devices")[0].GetProperty("participant").GetString());
    }

    [Fact]
    public void Offline_IsTheWillWithIdentityOnly()
    {
        var json = JsonDocument.Parse(HubStatusMessages.Offline(s_hub, DateTimeOffset.UnixEpoch)).RootElement;

        Assert.Equal("offline", json.GetProperty("state").GetString());
        Assert.Equal("hub-7", json.GetProperty("hub").GetString());
        Assert.False(json.TryGetProperty("totals", out _));
    }

    [Fact]
    public void Stopped_WithoutPrevious_HasNoRates()
    {
        var json = JsonDocument.Parse(HubStatusMessages.Stopped(s_hub, Status(DateTimeOffset.UnixEpoch, 1, 1))).RootElement;

        Assert.Equal("stopped", json.GetProperty("state").GetString());
        Assert.False(json.TryGetProperty("rates", out _));
        Assert.Equal(2, json.GetProperty("backlog").GetProperty("batches").GetInt64());
    }

    [Fact]
    public void Contract_DocumentsEveryFieldTheHubWrites()
    {
        var at = DateTimeOffset.UnixEpoch.AddYears(50);
        var status = Status(at, 2, 2) with { Failure = "disk" };
        var contract = File.ReadAllText(Path.Combine(Peers.RepositoryRoot, "docs", "wire", "mqtt-contract.md"));
        var section = contract[contract.IndexOf("## Hub status", StringComparison.Ordinal)..];
        var documented = FieldPattern().Matches(section).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        foreach (var payload in new[] { HubStatusMessages.Online(s_hub, status, Status(at.AddSeconds(-1), 1, 1), TimeSpan.FromSeconds(1)), HubStatusMessages.Offline(s_hub, at) })
        {
            foreach (var path in Paths(JsonDocument.Parse(payload).RootElement, ""))
            {
                Assert.True(documented.Contains(path), $"the hub writes '{path}', which docs/wire/mqtt-contract.md \"Hub status\" does not document");
            }
        }
    }

    private static IEnumerable<string> Paths(JsonElement element, string prefix)
    {
        foreach (var property in element.EnumerateObject())
        {
            var path = prefix + property.Name;
            if (property.Value.ValueKind == JsonValueKind.Object)
            {
                foreach (var inner in Paths(property.Value, path + "."))
                {
                    yield return inner;
                }
            }
            else if (property.Value.ValueKind == JsonValueKind.Array)
            {
                yield return path + "[]";
                foreach (var item in property.Value.EnumerateArray())
                {
                    foreach (var inner in Paths(item, ""))
                    {
                        yield return inner;
                    }
                }
            }
            else
            {
                yield return path;
            }
        }
    }

    [GeneratedRegex(@"`([A-Za-z.\[\]]+)`")]
    private static partial Regex FieldPattern();
}
