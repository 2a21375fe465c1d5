using System.Buffers;
using System.Text.Json;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Telemetry;

/// <summary>
/// The JSON documents on the hub's retained status topic, <c>wearables/{study}/hubs/{hub}/status</c>
/// (docs/wire/mqtt-contract.md "Hub status"): the Will ("offline"), "online" with health, and "stopped". Written with
/// <see cref="Utf8JsonWriter"/>: no reflection, field names fixed here and in the contract.
/// </summary>
internal static partial class HubStatusMessages
{
    /// <summary>Version of these documents; a field is only ever added within a version.</summary>
    public const int SchemaVersion = 2;

    /// <summary>Content type of every status message.</summary>
    public const string ContentType = "application/json";

    /// <summary>The Will: what the broker publishes when the hub vanishes without a clean disconnect.</summary>
    public static byte[] Offline(IngestOptions hub, DateTimeOffset startedAt) => Write(writer =>
    {
        Header(writer, "offline", hub, startedAt);
        // The Will is fixed at connect time; "since" is not known then, so the broker's arrival time is the only clock.
        writer.WriteString("reason", "connection lost without a clean stop (power, network or crash)");
    });

    /// <summary>"online" with the health since <paramref name="previous"/> (rates are over that interval).</summary>
    public static byte[] Online(IngestOptions hub, IngestStatus now, IngestStatus? previous, TimeSpan interval, HubHealthExtras? extras = null) => Write(writer =>
    {
        Header(writer, "online", hub, now.StartedAt);
        writer.WriteString("at", now.At);
        writer.WriteNumber("intervalSeconds", interval.TotalSeconds);
        Health(writer, now, previous, extras);
    });

    /// <summary>"stopped": the hub stopped cleanly; totals are final and the backlog is what waits for the next start.</summary>
    public static byte[] Stopped(IngestOptions hub, IngestStatus final, HubHealthExtras? extras = null) => Write(writer =>
    {
        Header(writer, "stopped", hub, final.StartedAt);
        writer.WriteString("at", final.At);
        Health(writer, final, previous: null, extras);
    });

    private static void Header(Utf8JsonWriter writer, string state, IngestOptions hub, DateTimeOffset startedAt)
    {
        writer.WriteString("state", state);
        writer.WriteNumber("schemaVersion", SchemaVersion);
        writer.WriteString("hub", hub.HubId);
        writer.WriteString("study", hub.Study);
        writer.WriteString("site", hub.Site);
        writer.WriteString("startedAt", startedAt);
    }

    private static void Health(Utf8JsonWriter writer, IngestStatus now, IngestStatus? previous, HubHealthExtras? extras)
    {
        writer.WriteNumber("uptimeSeconds", Math.Round((now.At - now.StartedAt).TotalSeconds, 1));
        if (previous is not null && now.At > previous.At)
        {
            var seconds = (now.At - previous.At).TotalSeconds;
            writer.WriteStartObject("rates");
            writer.WriteNumber("notificationsPerSecond", Math.Round((now.Notifications - previous.Notifications) / seconds, 1));
            writer.WriteNumber("samplesPerSecond", Math.Round((now.Samples - previous.Samples) / seconds, 1));
            writer.WriteNumber("batchesPublishedPerSecond", Math.Round((now.BatchesPublished - previous.BatchesPublished) / seconds, 2));
            writer.WriteNumber("framesRejectedPerSecond", Math.Round((now.FramesRejected - previous.FramesRejected) / seconds, 2));
            writer.WriteEndObject();
        }

        writer.WriteStartObject("totals");
        writer.WriteNumber("notifications", now.Notifications);
        writer.WriteNumber("notificationsNotAdmitted", now.NotificationsNotAdmitted);
        writer.WriteNumber("samples", now.Samples);
        writer.WriteNumber("framesRejected", now.FramesRejected);
        writer.WriteNumber("batchesSealed", now.BatchesSealed);
        writer.WriteNumber("batchesSpooled", now.BatchesSpooled);
        writer.WriteNumber("batchesPublished", now.BatchesPublished);
        writer.WriteNumber("batchesReleased", now.BatchesReleased);
        writer.WriteNumber("publishFailures", now.PublishFailures);
        writer.WriteNumber("gaps", now.Gaps);
        writer.WriteEndObject();

        writer.WriteStartObject("backlog");
        writer.WriteNumber("batches", now.Backlog);
        if (now.OldestUnsentSample is { } oldest)
        {
            writer.WriteString("oldestUnsentSample", oldest);
            writer.WriteNumber("oldestUnsentAgeSeconds", Math.Round(Math.Max(0, (now.At - oldest).TotalSeconds), 1));
        }
        else
        {
            writer.WriteNull("oldestUnsentSample");
            writer.WriteNull("oldestUnsentAgeSeconds");
        }

        writer.WriteEndObject();

        writer.WriteStartObject("spool");
        writer.WriteNumber("bytes", now.SpoolBytes);
        writer.WriteNumber("limitBytes", now.SpoolLimitBytes);
        writer.WriteNumber("use", now.SpoolLimitBytes > 0 ? Math.Round((double)now.SpoolBytes / now.SpoolLimitBytes, 4) : 0);
        writer.WriteEndObject();
        writer.WriteBoolean("intakePaused", now.IntakePaused);

        writer.WriteStartObject("broker");
        writer.WriteString("destination", now.Destination);
        writer.WriteString("state", now.DestinationState);
        writer.WriteNumber("reconnects", now.Reconnects);
        writer.WriteEndObject();

        writer.WriteStartArray("devices");
        foreach (var device in now.Devices)
        {
            writer.WriteStartObject();
            writer.WriteString("device", device.Device);
            writer.WriteString("participant", device.Participant);
            writer.WriteString("profile", device.ProfileId);
            writer.WriteBoolean("connected", device.Connected);
            if (device.LastNotification is { } last)
            {
                writer.WriteString("lastNotification", last);
            }
            else
            {
                writer.WriteNull("lastNotification");
            }

            writer.WriteNumber("samples", device.Samples);
            writer.WriteNumber("framesRejected", device.FramesRejected);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        Fleet(writer, now, previous, extras);
        if (now.Failure is not null)
        {
            writer.WriteString("failure", now.Failure);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
