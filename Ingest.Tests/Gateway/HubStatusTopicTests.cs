using System.Text.Json;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Support;

namespace Ingest.Tests.Gateway;

/// <summary>The hub's retained status topic against a real mosquitto: online with health, stopped, and the Will on a crash.</summary>
public class HubStatusTopicTests
{
    private const string StatusTopic = "wearables/demo/hubs/status-hub/status";

    [Fact]
    public async Task Run_WithBroker_StatusGoesOnlineWithHealthThenStoppedAndDataArrives()
    {
        await using var broker = await MosquittoBroker.StartAsync("hub-status");
        await using var watcher = await MqttTestClients.SubscriberAsync(MqttTestClients.Options(broker, "watcher"), StatusTopic);
        await using var data = await MqttTestClients.SubscriberAsync(MqttTestClients.Options(broker, "data-watcher"), "wearables/demo/site-1/#");

        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--hub-id", "status-hub",
            "--duration", "4s", "--health-interval", "1s", "--data-dir", Peers.NewScratchDirectory("hub-status")]);

        Assert.True(exit == 0, output);
        var states = new List<JsonElement>();
        while (states.Count == 0 || states[^1].GetProperty("state").GetString() != "stopped")
        {
            var message = await MqttTestClients.ReceiveAsync(watcher);
            Assert.Equal("application/json", message.ContentType);
            states.Add(JsonDocument.Parse(message.Payload).RootElement.Clone());
        }

        Assert.True(states.Count >= 3, $"{states.Count} status messages: {output}");
        Assert.Equal("online", states[0].GetProperty("state").GetString());
        Assert.Equal("stopped", states[^1].GetProperty("state").GetString());
        var health = states.Where(s => s.GetProperty("state").GetString() == "online" && s.TryGetProperty("rates", out _)).ToList();
        Assert.NotEmpty(health);
        Assert.Contains(health, h => h.GetProperty("rates").GetProperty("samplesPerSecond").GetDouble() > 0);
        var last = health[^1];
        Assert.Equal("status-hub", last.GetProperty("hub").GetString());
        Assert.Equal(3, last.GetProperty("devices").GetArrayLength());
        Assert.Equal("connected", last.GetProperty("broker").GetProperty("state").GetString());
        Assert.False(last.GetProperty("intakePaused").GetBoolean());
        Assert.Equal(0, states[^1].GetProperty("backlog").GetProperty("batches").GetInt64());

        // The retained message a dashboard sees on subscribing afterwards is "stopped".
        await using var late = await MqttTestClients.SubscriberAsync(MqttTestClients.Options(broker, "late"), StatusTopic);
        var retained = await MqttTestClients.ReceiveAsync(late);
        Assert.Equal("stopped", JsonDocument.Parse(retained.Payload).RootElement.GetProperty("state").GetString());

        // Deliveries to other subscribers may trail the gateway's last PUBACK by a moment.
        await Task.Delay(TimeSpan.FromSeconds(1));
        var batches = 0;
        while (data.ReceivedMessages.TryRead(out var message))
        {
            Assert.Equal("application/vnd.apache.arrow.stream", message.ContentType);
            batches++;
        }

        Assert.True(batches > 0, output);
        Assert.Contains($", {batches} sent to mqtt://127.0.0.1:{broker.Port}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_Simulated_HealthListsStreamsWithCompletenessAndTheRadio()
    {
        await using var broker = await MosquittoBroker.StartAsync("hub-fleet");
        await using var watcher = await MqttTestClients.SubscriberAsync(MqttTestClients.Options(broker, "watcher"), StatusTopic);

        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--hub-id", "status-hub",
            "--duration", "8s", "--health-interval", "1s", "--data-dir", Peers.NewScratchDirectory("hub-fleet")]);

        Assert.True(exit == 0, output);
        var states = new List<JsonElement>();
        while (states.Count == 0 || states[^1].GetProperty("state").GetString() != "stopped")
        {
            states.Add(JsonDocument.Parse((await MqttTestClients.ReceiveAsync(watcher)).Payload).RootElement.Clone());
        }

        Assert.All(states, s => Assert.Equal(2, s.GetProperty("schemaVersion").GetInt32()));
        var health = states.Where(s => s.GetProperty("state").GetString() == "online" && s.TryGetProperty("rates", out _)).ToList();
        Assert.NotEmpty(health);
        var last = health[^1];
        var json = last.GetRawText();

        // Three simulated trackers, every stream of their profiles listed; nothing truncated at this size.
        var streams = last.GetProperty("streams").EnumerateArray().ToList();
        Assert.Equal(streams.Count, last.GetProperty("streamsTotal").GetInt32());
        Assert.False(last.GetProperty("streamsTruncated").GetBoolean());
        Assert.Equal(3, streams.Select(s => s.GetProperty("device").GetString()).Distinct().Count());
        var regular = streams.Where(s => s.GetProperty("nominalRateHz").ValueKind == JsonValueKind.Number).ToList();
        Assert.NotEmpty(regular);
        foreach (var stream in regular)
        {
            // The simulator sends at the nominal rate from the moment a tracker connects: near 1, less the start-up.
            var completeness = stream.GetProperty("completeness").GetDouble();
            Assert.True(completeness is > 0.8 and <= 1, $"{stream.GetProperty("device")}.{stream.GetProperty("stream")}: completeness {completeness} in {json}");
            Assert.True(stream.GetProperty("samplesPerSecond").GetDouble() > 0, json);
            Assert.Equal(JsonValueKind.String, stream.GetProperty("lastSample").ValueKind);
            Assert.True(stream.GetProperty("samples").GetInt64() <= stream.GetProperty("expectedSamples").GetInt64() * 1.2, json);
        }

        foreach (var stream in streams.Except(regular))
        {
            Assert.Equal(JsonValueKind.Null, stream.GetProperty("completeness").ValueKind);
            Assert.Equal(JsonValueKind.Null, stream.GetProperty("expectedSamples").ValueKind);
        }

        var radio = last.GetProperty("radio");
        var adapter = Assert.Single(radio.GetProperty("adapters").EnumerateArray());
        Assert.True(adapter.GetProperty("links").GetInt32() >= 3, json);
        Assert.True(adapter.GetProperty("maxLinks").GetInt32() >= adapter.GetProperty("links").GetInt32(), json);
        Assert.Equal(3, radio.GetProperty("trackers").GetProperty("streaming").GetInt32());
        Assert.Equal(0, radio.GetProperty("problemsTotal").GetInt32());

        // The final "stopped" carries the streams too (no rates: no interval).
        var stopped = states[^1];
        Assert.Equal(streams.Count, stopped.GetProperty("streams").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, stopped.GetProperty("streams")[0].GetProperty("samplesPerSecond").ValueKind);
    }

    [Fact]
    public async Task Run_KilledWithSigkill_BrokerPublishesTheWillOffline()
    {
        await using var broker = await MosquittoBroker.StartAsync("hub-will");
        await using var watcher = await MqttTestClients.SubscriberAsync(MqttTestClients.Options(broker, "watcher"), StatusTopic);
        using var gateway = Gateway.Start(["run", "--simulate", "3", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--hub-id", "status-hub",
            "--data-dir", Peers.NewScratchDirectory("hub-will")]);
        Assert.Equal("online", await NextStateAsync(watcher, gateway));

        gateway.Kill();

        Assert.Equal("offline", await NextStateAsync(watcher, gateway));
        await using var late = await MqttTestClients.SubscriberAsync(MqttTestClients.Options(broker, "late"), StatusTopic);
        var retained = JsonDocument.Parse((await MqttTestClients.ReceiveAsync(late)).Payload).RootElement;
        Assert.Equal("offline", retained.GetProperty("state").GetString());
        Assert.Equal("status-hub", retained.GetProperty("hub").GetString());
    }

    [Fact]
    public async Task Run_BrokerGoesAwayAndReturns_HubKeepsRunningAndSendsEverything()
    {
        await using var broker = await MosquittoBroker.StartAsync("hub-outage", persistence: true);
        using var gateway = Gateway.Start(["run", "--simulate", "3", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--hub-id", "status-hub",
            "--data-dir", Peers.NewScratchDirectory("hub-outage"), "--shutdown-grace", "20s"]);
        await gateway.WaitForOutputAsync("running;", TimeSpan.FromSeconds(30));

        await broker.RestartAsync(TimeSpan.FromSeconds(3));
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.True(gateway.IsRunning, gateway.Output);
        await gateway.SignalAsync(15);
        var exit = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(exit == 0, gateway.Output);
        Assert.Contains("nothing left unsent", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SecondCtrlCWhileBrokerIsAway_QuitsAtOnceAndTheNextStartSendsWhatWasSpooled()
    {
        await using var broker = await MosquittoBroker.StartAsync("hub-force");
        var data = Peers.NewScratchDirectory("hub-force");
        string[] arguments = ["run", "--simulate", "3", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--hub-id", "status-hub", "--data-dir", data, "--shutdown-grace", "60s"];
        using (var gateway = Gateway.Start(arguments))
        {
            await gateway.WaitForOutputAsync("running;", TimeSpan.FromSeconds(30));
            await gateway.WaitForOutputAsync("radio: tracker sim-003 connected", TimeSpan.FromSeconds(30));
            await broker.StopAsync();
            // Batches sealed while the broker is away wait in the spool.
            await Task.Delay(TimeSpan.FromSeconds(3));

            await gateway.SignalAsync(2);
            await gateway.WaitForOutputAsync("press Ctrl+C again", TimeSpan.FromSeconds(10));
            await gateway.SignalAsync(2);
            var exit = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(20));

            Assert.True(exit == 130, gateway.Output);
            Assert.Contains("forced exit: every batch already spooled stays in", gateway.Output, StringComparison.Ordinal);
        }

        await broker.StartAgainAsync();
        var (again, output) = await Gateway.RunAsync([.. arguments, "--duration", "2s"]);

        Assert.True(again == 0, output);
        Assert.Contains("left unsent by the last run were recovered and are published first", output, StringComparison.Ordinal);
        Assert.Contains("nothing left unsent", output, StringComparison.Ordinal);
    }

    private static async Task<string?> NextStateAsync(MqttPublisher watcher, PeerProcess gateway)
    {
        try
        {
            var message = await MqttTestClients.ReceiveAsync(watcher, 30);
            return JsonDocument.Parse(message.Payload).RootElement.GetProperty("state").GetString();
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("no status message within 30 s: " + gateway.Output);
        }
    }
}
