using System.Globalization;
using System.Text.Json;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// The latest retained status of every hub <c>receive</c> has heard (<c>wearables/{study}/hubs/{hub}/status</c>,
/// docs/wire/mqtt-contract.md "Hub status"), parsed under <see cref="HubStatusLimits"/>. Malformed messages are counted
/// and skipped; the previous good status of that hub stays. Thread-safety: any thread (one lock).
/// </summary>
internal sealed class HubStatusBoard
{
    /// <summary>
    /// A hub whose last "online" status is older than this many of its health intervals is reported "stale": it neither
    /// reports nor was declared offline by its Will (yet) — a hung hub, or a broker that lost it.
    /// </summary>
    public const int StaleIntervals = 3;

    /// <summary>The interval assumed when a hub's status does not say (its first message): the hub's default, 10 s.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(10);

    private readonly Lock _sync = new();
    private readonly Dictionary<string, HubStatusEntry> _hubs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _lastDigest = new(StringComparer.Ordinal);
    private long _malformed;
    private long _received;

    /// <summary>Status messages skipped as malformed (too large, not JSON, missing or oversized fields).</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Status messages read (good or not).</summary>
    public long Received => Interlocked.Read(ref _received);

    /// <summary>The last problem with a malformed status message, for people; null when none.</summary>
    public string? LastProblem { get; private set; }

    /// <summary>Whether <paramref name="topic"/> is a hub's status topic: <c>wearables/{study}/hubs/{hub}/status</c>.</summary>
    public static bool IsStatusTopic(string topic, out string study, out string hub)
    {
        study = hub = string.Empty;
        var parts = topic.Split('/');
        if (parts.Length != 5 || parts[0] != Pipeline.Publishing.BatchAddress.TopicRoot || parts[2] != "hubs" || parts[4] != "status")
        {
            return false;
        }

        study = parts[1];
        hub = parts[3];
        return true;
    }

    /// <summary>
    /// Takes one status message. <paramref name="retained"/>: the broker kept it (it may be old), so its age is the hub's
    /// own <c>at</c>, not the time it arrived. Returns null when taken, else why it was skipped.
    /// </summary>
    public string? Observe(string topic, ReadOnlySpan<byte> payload, bool retained, DateTimeOffset receivedAt)
    {
        // The same message comes through the status subscription and the shared one: take it once. Every "online" and
        // "stopped" carries its own "at", so equal bytes on one topic are a repeat, not news.
        Span<byte> digest = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(payload, digest);
        lock (_sync)
        {
            if (_lastDigest.TryGetValue(topic, out var last) && digest.SequenceEqual(last))
            {
                return null;
            }

            if (_lastDigest.Count < HubStatusLimits.MaximumHubs || _lastDigest.ContainsKey(topic))
            {
                _lastDigest[topic] = digest.ToArray();
            }
        }

        Interlocked.Increment(ref _received);
        var problem = TryParse(topic, payload, retained, receivedAt, out var entry);
        lock (_sync)
        {
            if (problem is null && (_hubs.ContainsKey(entry!.Key) || _hubs.Count < HubStatusLimits.MaximumHubs))
            {
                _hubs[entry.Key] = entry;
                return null;
            }

            problem ??= $"more than {HubStatusLimits.MaximumHubs} hubs (HubStatusLimits.MaximumHubs)";
            LastProblem = problem;
        }

        Interlocked.Increment(ref _malformed);
        return problem;
    }

    /// <summary>Records that the broker refused the status subscription (the report says so).</summary>
    public void NoteSubscriptionRefused(string filter)
    {
        lock (_sync)
        {
            LastProblem = $"the broker refused the status subscription {filter}: no hub status is heard";
        }
    }

    /// <summary>The latest status of each hub, by study and hub id.</summary>
    public List<HubStatusEntry> Snapshot()
    {
        lock (_sync)
        {
            return [.. _hubs.Values];
        }
    }

    private static string? TryParse(string topic, ReadOnlySpan<byte> payload, bool retained, DateTimeOffset receivedAt, out HubStatusEntry? entry)
    {
        entry = null;
        if (!IsStatusTopic(topic, out var study, out var hub))
        {
            return "not a hub status topic";
        }

        if (payload.Length > HubStatusLimits.MaximumPayloadBytes)
        {
            return $"{payload.Length} bytes, over {HubStatusLimits.MaximumPayloadBytes} (HubStatusLimits.MaximumPayloadBytes)";
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(payload, new JsonReaderOptions { MaxDepth = HubStatusLimits.MaximumDepth });
            document = JsonDocument.ParseValue(ref reader);
        }
        catch (JsonException ex)
        {
            return "not JSON: " + ex.Message;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return "not a JSON object";
            }

            var state = Identifier(root, "state");
            if (state is not ("online" or "offline" or "stopped"))
            {
                return "state is not online, offline or stopped";
            }

            if (Identifier(root, "hub") is not { } named || !string.Equals(named, hub, StringComparison.Ordinal))
            {
                return $"hub field does not match the topic's hub '{Excerpt(hub)}'";
            }

            var at = Time(root, "at");
            var interval = Number(root, "intervalSeconds") is { } seconds and > 0 and < 86_400 ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;
            long? backlog = null;
            double? oldestAge = null;
            if (root.TryGetProperty("backlog", out var backlogElement) && backlogElement.ValueKind == JsonValueKind.Object)
            {
                backlog = Number(backlogElement, "batches") is { } b and >= 0 and < 1e15 ? (long)b : null;
                oldestAge = Number(backlogElement, "oldestUnsentAgeSeconds") is { } age and >= 0 ? age : null;
            }

            var streams = new List<HubStreamStatus>();
            if (root.TryGetProperty("streams", out var streamsElement))
            {
                if (streamsElement.ValueKind != JsonValueKind.Array || streamsElement.GetArrayLength() > HubStatusLimits.MaximumStreamsPerHub)
                {
                    return $"streams is not an array of at most {HubStatusLimits.MaximumStreamsPerHub} (HubStatusLimits.MaximumStreamsPerHub)";
                }

                foreach (var item in streamsElement.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.Object || Identifier(item, "device") is not { } device || Identifier(item, "stream") is not { } streamId)
                    {
                        return "a stream without device or stream id (or one too long)";
                    }

                    streams.Add(new HubStreamStatus(device, Identifier(item, "participant") ?? string.Empty, streamId,
                        Number(item, "samplesPerSecond") is { } rate and >= 0 ? rate : null,
                        Number(item, "completeness") is { } c and >= 0 and <= 1 ? c : null,
                        Number(item, "samples") is { } n and >= 0 and < 1e18 ? (long)n : 0,
                        Time(item, "lastSample")));
                }
            }

            entry = new HubStatusEntry(study, hub, Identifier(root, "site") ?? string.Empty, state, at, receivedAt, retained, interval, backlog, oldestAge, streams);
            return null;
        }
    }

    /// <summary>A string field within <see cref="HubStatusLimits.MaximumIdentifierLength"/>, or null.</summary>
    private static string? Identifier(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { } text
            && text.Length <= HubStatusLimits.MaximumIdentifierLength && !text.Any(char.IsControl) ? text : null;

    private static double? Number(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number) ? number : null;

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        Identifier(element, name) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time : null;

    private static string Excerpt(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>The latest good status of one hub.</summary>
/// <param name="Study">Study (from the topic).</param>
/// <param name="Hub">Hub id (topic and document agree).</param>
/// <param name="Site">Site, or empty.</param>
/// <param name="State">online, offline or stopped, as the hub (or its Will) said.</param>
/// <param name="At">The hub's snapshot time; null for the Will.</param>
/// <param name="ReceivedAt">When this receiver got it.</param>
/// <param name="Retained">Delivered as the broker's retained copy (it may be old: its age is <paramref name="At"/>'s).</param>
/// <param name="Interval">The hub's health interval, when it said.</param>
/// <param name="BacklogBatches">Batches waiting in the hub's spool.</param>
/// <param name="OldestUnsentAgeSeconds">Age of the hub's oldest unsent sample; null when nothing waits.</param>
/// <param name="Streams">Its streams as the hub reports them.</param>
internal sealed record HubStatusEntry(string Study, string Hub, string Site, string State, DateTimeOffset? At, DateTimeOffset ReceivedAt, bool Retained,
    TimeSpan? Interval, long? BacklogBatches, double? OldestUnsentAgeSeconds, IReadOnlyList<HubStreamStatus> Streams)
{
    /// <summary>Key in the board: study and hub.</summary>
    public string Key => Study + "/" + Hub;

    /// <summary>When the hub last spoke: its own time for a retained copy, else when it arrived.</summary>
    public DateTimeOffset LastSeen => Retained && At is { } at ? at : ReceivedAt;

    /// <summary>The state for people: "stale" for an "online" hub silent for <see cref="HubStatusBoard.StaleIntervals"/> intervals.</summary>
    public string EffectiveState(DateTimeOffset now) =>
        State == "online" && now - LastSeen > HubStatusBoard.StaleIntervals * (Interval ?? HubStatusBoard.DefaultInterval) ? "stale" : State;
}

/// <summary>One stream in a hub's status.</summary>
internal sealed record HubStreamStatus(string Device, string Participant, string StreamId, double? SamplesPerSecond, double? Completeness, long Samples, DateTimeOffset? LastSample);
