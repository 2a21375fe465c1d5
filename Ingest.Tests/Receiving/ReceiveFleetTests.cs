using System.Text.Json;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Support;
using static Ingest.Tests.Mqtt.Support.MqttTestClients;

namespace Ingest.Tests.Receiving;

/// <summary><c>receive</c>'s fleet report: two simulated hubs on a real mosquitto, their retained status, a malformed one.</summary>
public sealed class ReceiveFleetTests
{
    [Fact]
    public async Task Receive_TwoSimulatedHubsAndAMalformedStatus_ReportsBothHubsStoppedWithStreamsAndCountsTheBadOne()
    {
        await using var broker = await MosquittoBroker.StartAsync("receive-fleet");
        var directory = Peers.NewScratchDirectory("receive-fleet");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        // Idle counts batches only, and two hubs start slowly on a loaded machine: 5 s once ended the receiver before
        // the first batch came.
        using var receiver = PeerProcess.Start(dotnet, [Cli.Assembly, "receive", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--out", directory,
            "--client-id", "recv-fleet", "--session-expiry", "0", "--until-idle", "15"], Peers.RepositoryRoot);
        await receiver.WaitForOutputAsync("Receiving ", TimeSpan.FromSeconds(30));

        // Untrusted input on the status topic: not JSON, and a hub field that does not match the topic.
        await using (var rogue = new MqttPublisher(Options(broker, "rogue")))
        {
            await rogue.ConnectAsync();
            Assert.True((await rogue.PublishAsync("wearables/demo/hubs/bad-hub/status", "{\"state\":"u8.ToArray(), new MqttPublishProperties(), retain: true)).IsSuccess);
            Assert.True((await rogue.PublishAsync("wearables/demo/hubs/other-hub/status", "{\"state\":\"online\",\"hub\":\"not-other-hub\"}"u8.ToArray(),
                new MqttPublishProperties(), retain: true)).IsSuccess);
        }

        string[] Hub(string id) => ["run", "--simulate", "2", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--hub-id", id, "--duration", "6s",
            "--health-interval", "1s", "--data-dir", Peers.NewScratchDirectory(id)];
        var runs = await Task.WhenAll(Ingest.Tests.Gateway.Gateway.RunAsync(Hub("fleet-a")), Ingest.Tests.Gateway.Gateway.RunAsync(Hub("fleet-b")));
        Assert.All(runs, run => Assert.True(run.ExitCode == 0, run.Output));

        Assert.Equal(0, await receiver.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.True(receiver.Output.Contains("Fleet: 2 hub(s): 0 online, 0 stale, 0 offline, 2 stopped", StringComparison.Ordinal), receiver.Output);
        using var report = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(directory, "report.json")));
        var root = report.RootElement;
        Assert.True(root.GetProperty("status_messages_malformed").GetInt64() >= 2, receiver.Output);
        var hubs = root.GetProperty("fleet").GetProperty("hubs").EnumerateArray().ToList();
        Assert.Equal(["fleet-a", "fleet-b"], hubs.Select(h => h.GetProperty("hub").GetString()).Order(StringComparer.Ordinal));
        foreach (var hub in hubs)
        {
            Assert.Equal("stopped", hub.GetProperty("state").GetString());
            Assert.Equal(JsonValueKind.String, hub.GetProperty("last_status").ValueKind);
            Assert.Equal(JsonValueKind.String, hub.GetProperty("last_batch").ValueKind);
            Assert.Equal(0, hub.GetProperty("backlog_batches").GetInt64());
            var streams = hub.GetProperty("streams").EnumerateArray().ToList();
            Assert.NotEmpty(streams);
            Assert.Contains(streams, s => s.GetProperty("hub_completeness").ValueKind == JsonValueKind.Number
                && s.GetProperty("receiver_completeness").ValueKind == JsonValueKind.Number);
        }
    }
}
