using System.Text.Json;
using System.Text.RegularExpressions;
using Ingest.Gateway.Radio;
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

    private static StreamStatus Stream(string device, string stream, long samples, double? completeness, double? rate = 130) => new()
    {
        Device = device,
        Participant = "p-" + device,
        ProfileId = "polar-h10",
        StreamId = stream,
        NominalRateHz = rate,
        Connected = true,
        ConnectedFor = TimeSpan.FromSeconds(10),
        Samples = samples,
        ExpectedSamples = rate is null ? null : 1300,
        Completeness = completeness,
        LastSample = DateTimeOffset.UnixEpoch.AddYears(56),
    };

    private static readonly HubHealthExtras s_extras = new(
        new RadioStatus([new AdapterStatus("hci0", true, false, 2, 5)],
            [new TrackerStatus("d-1", "p-1", "polar-h10", TrackerLinkState.Streaming, -60, 80, 1, 1, 1, 0, 0, null),
             new TrackerStatus("d-2", "p-2", "polar-h10", TrackerLinkState.NotSeen, null, null, 0, 0, 0, 0, 0, null)],
            NeighboursRefused: 4, AdapterRecoveries: 1, BackendAvailable: true, [new string('x', 1000)]),
        new AuditHead(12, new string('a', 64), "2026-11-30T12:00:00.0000000Z"));

    [Fact]
    public void Online_Streams_RatesSinceThePreviousReportAndCompleteness()
    {
        var at = new DateTimeOffset(2026, 11, 30, 12, 0, 10, TimeSpan.Zero);
        var now = Status(at, 300, 1500) with { Streams = [Stream("d-1", "ecg", 1300, 1.0), Stream("d-1", "hr", 5, null, rate: null)] };
        var before = Status(at.AddSeconds(-10), 100, 500) with { Streams = [Stream("d-1", "ecg", 300, 1.0)] };

        var json = JsonDocument.Parse(HubStatusMessages.Online(s_hub, now, before, TimeSpan.FromSeconds(10), s_extras)).RootElement;

        Assert.Equal(HubStatusMessages.SchemaVersion, json.GetProperty("schemaVersion").GetInt32());
        var ecg = json.GetProperty("streams")[0];
        Assert.Equal("ecg", ecg.GetProperty("stream").GetString());
        Assert.Equal(100, ecg.GetProperty("samplesPerSecond").GetDouble());
        Assert.Equal(1, ecg.GetProperty("completeness").GetDouble());
        var hr = json.GetProperty("streams")[1];
        Assert.Equal(0.5, hr.GetProperty("samplesPerSecond").GetDouble()); // new since the previous report: counted from 0
        Assert.Equal(JsonValueKind.Null, hr.GetProperty("completeness").ValueKind);
        Assert.False(json.GetProperty("streamsTruncated").GetBoolean());
    }

    [Fact]
    public void Online_RadioAndAudit_CountsTrackersByStateBoundsProblemsAndGivesTheAnchor()
    {
        var at = DateTimeOffset.UnixEpoch.AddYears(56);

        var json = JsonDocument.Parse(HubStatusMessages.Online(s_hub, Status(at, 1, 1), null, TimeSpan.Zero, s_extras)).RootElement;

        var radio = json.GetProperty("radio");
        Assert.Equal(5, radio.GetProperty("adapters")[0].GetProperty("maxLinks").GetInt32());
        Assert.Equal(1, radio.GetProperty("trackers").GetProperty("streaming").GetInt32());
        Assert.Equal(1, radio.GetProperty("trackers").GetProperty("notSeen").GetInt32());
        Assert.Equal(4, radio.GetProperty("neighboursRefused").GetInt64());
        Assert.Equal(HubStatusMessages.MaximumProblemLength, radio.GetProperty("problems")[0].GetString()!.Length);
        Assert.Equal(12, json.GetProperty("audit").GetProperty("sequence").GetInt64());
        Assert.Equal(new string('a', 64), json.GetProperty("audit").GetProperty("hash").GetString());
    }

    [Fact]
    public void Online_MoreStreamsThanTheLimit_ListsTheLeastCompleteAndSaysTruncated()
    {
        var at = DateTimeOffset.UnixEpoch.AddYears(56);
        var streams = Enumerable.Range(0, HubStatusMessages.MaximumStreamsListed + 10)
            .Select(i => Stream($"d-{i}", "ecg", 1000, i == 77 ? 0.1 : 1.0)).ToList();

        var json = JsonDocument.Parse(HubStatusMessages.Online(s_hub, Status(at, 1, 1) with { Streams = streams }, null, TimeSpan.Zero)).RootElement;

        Assert.Equal(HubStatusMessages.MaximumStreamsListed, json.GetProperty("streams").GetArrayLength());
        Assert.Equal(streams.Count, json.GetProperty("streamsTotal").GetInt32());
        Assert.True(json.GetProperty("streamsTruncated").GetBoolean());
        Assert.Equal("d-77", json.GetProperty("streams")[0].GetProperty("device").GetString());
    }

    [Fact]
    public void AuditHead_Read_EmptyTrailIsGenesisThenTheLastEntry()
    {
        using var directory = new TemporaryDirectory("status-audit");
        using var registry = Ingest.Gateway.Registry.EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);

        Assert.Equal(new AuditHead(0, Ingest.Gateway.Registry.AuditTrail.GenesisHash, null), AuditHead.Read(registry));
        registry.Audit.Append("service", Ingest.Gateway.Registry.AuditActions.Quarantine, "hub", "first");
        var entry = registry.Audit.Append("service", Ingest.Gateway.Registry.AuditActions.Quarantine, "hub", "second");

        var head = AuditHead.Read(registry);
        Assert.Equal(entry.Seq, head.Sequence);
        Assert.Equal(entry.Hash, head.Hash);
        Assert.Null(registry.Audit.CheckAnchor(head.Sequence, head.Hash));
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
        var status = Status(at, 2, 2) with { Failure = "disk", Streams = [Stream("d-1", "ecg", 10, 0.5)] };
        var contract = File.ReadAllText(Path.Combine(Peers.RepositoryRoot, "docs", "wire", "mqtt-contract.md"));
        var section = contract[contract.IndexOf("## Hub status", StringComparison.Ordinal)..];
        var documented = FieldPattern().Matches(section).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        foreach (var payload in new[] { HubStatusMessages.Online(s_hub, status, Status(at.AddSeconds(-1), 1, 1), TimeSpan.FromSeconds(1), s_extras),
            HubStatusMessages.Online(s_hub, status, null, TimeSpan.Zero, s_extras with { Audit = new AuditHead(0, "", null, "busy") }), HubStatusMessages.Offline(s_hub, at) })
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
                foreach (var item in property.Value.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
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
