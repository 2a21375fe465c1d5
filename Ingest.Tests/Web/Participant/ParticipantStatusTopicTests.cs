using System.Text.Json;
using Ingest.Gateway.Telemetry;
using Ingest.Gateway.Web.Participant;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Support;
using GatewayProcess = Ingest.Tests.Gateway.Gateway;

namespace Ingest.Tests.Web.Participant;

/// <summary>The participant states on the hub's retained status topic: the document's shape, and a simulated hub against mosquitto.</summary>
public sealed class ParticipantStatusTopicTests
{
    private const string StatusTopic = "wearables/demo/hubs/participant-hub/status";

    [Fact]
    public void Online_WithParticipants_WritesEachWithTheirTrackers()
    {
        var now = ParticipantScenarios.Now;
        var ingest = ParticipantStatesTests.Ingest(at: now);
        var radio = ParticipantStatesTests.Radio(
            ParticipantStatesTests.Tracker("dev-1", participant: "P-1"),
            ParticipantStatesTests.Tracker("dev-2", participant: "P-2", battery: 7),
            ParticipantStatesTests.Tracker("dev-3", participant: "P-2", lastData: now.AddMinutes(-40), battery: null));
        var states = ParticipantStates.Evaluate(ingest, radio, new ParticipantOptions(), now);

        var json = JsonDocument.Parse(HubStatusMessages.Online(new IngestOptions { HubId = "h", Study = "s", Site = "x" }, ingest, null, TimeSpan.Zero,
            participants: states.Participants)).RootElement;

        var participants = json.GetProperty("participants");
        Assert.Equal(2, participants.GetArrayLength());
        Assert.Equal("P-1", participants[0].GetProperty("participant").GetString());
        Assert.Equal("working", participants[0].GetProperty("state").GetString());
        Assert.Equal(0, participants[0].GetProperty("also").GetArrayLength());
        var second = participants[1];
        Assert.Equal("P-2", second.GetProperty("participant").GetString());
        Assert.Equal("tracker-not-seen", second.GetProperty("state").GetString());
        Assert.Equal(now.AddMinutes(-40), second.GetProperty("since").GetDateTimeOffset());
        Assert.Equal(["charge-tracker"], second.GetProperty("also").EnumerateArray().Select(a => a.GetString()));
        var trackers = second.GetProperty("trackers");
        Assert.Equal(["dev-2", "dev-3"], trackers.EnumerateArray().Select(t => t.GetProperty("device").GetString()));
        Assert.Equal("charge-tracker", trackers[0].GetProperty("state").GetString());
        Assert.Equal(7, trackers[0].GetProperty("batteryPercent").GetInt32());
        Assert.Equal("polar-h10", trackers[0].GetProperty("profile").GetString());
        Assert.Equal(JsonValueKind.Null, trackers[1].GetProperty("batteryPercent").ValueKind);
        Assert.Equal(now.AddMinutes(-40), trackers[1].GetProperty("lastData").GetDateTimeOffset());
    }

    [Fact]
    public void Online_WithoutParticipants_HasNoParticipantsField()
    {
        var ingest = ParticipantStatesTests.Ingest();

        var json = JsonDocument.Parse(HubStatusMessages.Online(new IngestOptions { HubId = "h", Study = "s", Site = "x" }, ingest, null, TimeSpan.Zero)).RootElement;

        Assert.False(json.TryGetProperty("participants", out _));
    }

    [Fact]
    public async Task Run_SimulatedHub_StatusCarriesEachParticipantWorking()
    {
        await using var broker = await MosquittoBroker.StartAsync("participant-status");
        await using var watcher = await MqttTestClients.SubscriberAsync(MqttTestClients.Options(broker, "watcher"), StatusTopic);
        using var gateway = GatewayProcess.Start(["run", "--simulate", "2", "--broker", $"mqtt://127.0.0.1:{broker.Port}", "--hub-id", "participant-hub",
            "--health-interval", "1s", "--data-dir", Peers.NewScratchDirectory("participant-status")]);

        // The first statuses may find the trackers still connecting; a loaded machine may take a while.
        JsonElement? working = null;
        var seen = new List<string>();
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        while (working is null && DateTimeOffset.UtcNow < deadline)
        {
            MqttReceivedMessage message;
            try
            {
                message = await MqttTestClients.ReceiveAsync(watcher, 30);
            }
            catch (TimeoutException)
            {
                break;
            }

            var status = JsonDocument.Parse(message.Payload).RootElement.Clone();
            if (!status.TryGetProperty("participants", out var participants))
            {
                continue;
            }

            seen.Add(participants.GetRawText());
            if (participants.GetArrayLength() == 2 && participants.EnumerateArray().All(p => p.GetProperty("state").GetString() == "working"))
            {
                working = participants;
            }
        }

        await gateway.SignalAsync(15);
        var exit = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.True(working is not null, "no status with every participant working; participants seen:\n" + string.Join('\n', seen) + "\n" + gateway.Output);
        Assert.True(exit == 0, gateway.Output);
        var list = working!.Value.EnumerateArray().ToList();
        Assert.Equal(["sim-001", "sim-002"], list.Select(p => p.GetProperty("participant").GetString()));
        foreach (var participant in list)
        {
            var tracker = Assert.Single(participant.GetProperty("trackers").EnumerateArray());
            Assert.Equal(participant.GetProperty("participant").GetString(), tracker.GetProperty("device").GetString());
            Assert.Equal("working", tracker.GetProperty("state").GetString());
            Assert.NotEqual(JsonValueKind.Null, tracker.GetProperty("lastData").ValueKind);
            participant.GetProperty("since").GetDateTimeOffset();
        }
    }
}
