using System.Text.Json;
using Ingest.Gateway.Radio;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Telemetry;

/// <summary>The fleet view in the health document: per-stream completeness and rates, the radio, the audit head.</summary>
internal static partial class HubStatusMessages
{
    /// <summary>
    /// Streams listed in one health document. A hub holds a few adapters of about ten links, each tracker a handful of
    /// streams: 128 covers a full hub and bounds the document (about 250 bytes a stream, 32 KiB) for the broker and
    /// every reader. Past it the worst-complete streams are listed and <c>streamsTruncated</c> says so.
    /// </summary>
    public const int MaximumStreamsListed = 128;

    /// <summary>Radio problems listed; more are counted in <c>radio.problemsTotal</c>.</summary>
    public const int MaximumProblemsListed = 16;

    /// <summary>Characters of one radio problem kept (the supervisor's lines are one sentence).</summary>
    public const int MaximumProblemLength = 300;

    private static void Streams(Utf8JsonWriter writer, IngestStatus now, IngestStatus? previous)
    {
        var seconds = previous is not null && now.At > previous.At ? (now.At - previous.At).TotalSeconds : 0;
        Dictionary<(string, string), StreamStatus>? before = null;
        if (seconds > 0)
        {
            before = new Dictionary<(string, string), StreamStatus>(previous!.Streams.Count);
            foreach (var stream in previous.Streams)
            {
                before[(stream.Device, stream.StreamId)] = stream;
            }
        }

        IEnumerable<StreamStatus> listed = now.Streams;
        var truncated = now.Streams.Count > MaximumStreamsListed;
        if (truncated)
        {
            // The ones a person must look at first: least complete (no expected rate last), then most rejections.
            listed = now.Streams.OrderBy(s => s.Completeness ?? double.MaxValue).ThenByDescending(s => s.FramesRejected).Take(MaximumStreamsListed);
        }

        writer.WriteNumber("streamsTotal", now.Streams.Count);
        writer.WriteBoolean("streamsTruncated", truncated);
        writer.WriteStartArray("streams");
        foreach (var stream in listed)
        {
            writer.WriteStartObject();
            writer.WriteString("device", stream.Device);
            writer.WriteString("participant", stream.Participant);
            writer.WriteString("stream", stream.StreamId);
            writer.WriteString("profile", stream.ProfileId);
            writer.WriteBoolean("connected", stream.Connected);
            NumberOrNull(writer, "nominalRateHz", stream.NominalRateHz);
            if (before is not null)
            {
                var samplesBefore = before.TryGetValue((stream.Device, stream.StreamId), out var old) ? old.Samples : 0;
                writer.WriteNumber("samplesPerSecond", Math.Round(Math.Max(0, stream.Samples - samplesBefore) / seconds, 1));
            }
            else
            {
                writer.WriteNull("samplesPerSecond");
            }

            NumberOrNull(writer, "completeness", stream.Completeness is { } c ? Math.Round(c, 4) : null);
            writer.WriteNumber("samples", stream.Samples);
            if (stream.ExpectedSamples is { } expected)
            {
                writer.WriteNumber("expectedSamples", expected);
            }
            else
            {
                writer.WriteNull("expectedSamples");
            }

            writer.WriteNumber("connectedSeconds", Math.Round(stream.ConnectedFor.TotalSeconds, 1));
            if (stream.LastSample is { } last)
            {
                writer.WriteString("lastSample", last);
            }
            else
            {
                writer.WriteNull("lastSample");
            }

            writer.WriteNumber("framesRejected", stream.FramesRejected);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static void Radio(Utf8JsonWriter writer, RadioStatus radio)
    {
        writer.WriteStartObject("radio");
        writer.WriteBoolean("backendAvailable", radio.BackendAvailable);
        writer.WriteStartArray("adapters");
        foreach (var adapter in radio.Adapters)
        {
            writer.WriteStartObject();
            writer.WriteString("name", adapter.Name);
            writer.WriteBoolean("powered", adapter.Powered);
            writer.WriteBoolean("discovering", adapter.Discovering);
            writer.WriteNumber("links", adapter.Links);
            writer.WriteNumber("maxLinks", adapter.MaxLinks);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        Span<int> byState = stackalloc int[5];
        foreach (var tracker in radio.Trackers)
        {
            if ((uint)tracker.State < (uint)byState.Length)
            {
                byState[(int)tracker.State]++;
            }
        }

        writer.WriteStartObject("trackers");
        writer.WriteNumber("notSeen", byState[(int)TrackerLinkState.NotSeen]);
        writer.WriteNumber("waiting", byState[(int)TrackerLinkState.Waiting]);
        writer.WriteNumber("connecting", byState[(int)TrackerLinkState.Connecting]);
        writer.WriteNumber("streaming", byState[(int)TrackerLinkState.Streaming]);
        writer.WriteNumber("blocked", byState[(int)TrackerLinkState.Blocked]);
        writer.WriteEndObject();
        writer.WriteNumber("neighboursRefused", radio.NeighboursRefused);
        writer.WriteNumber("adapterRecoveries", radio.AdapterRecoveries);
        writer.WriteNumber("problemsTotal", radio.Problems.Count);
        writer.WriteStartArray("problems");
        for (var i = 0; i < radio.Problems.Count && i < MaximumProblemsListed; i++)
        {
            var problem = radio.Problems[i];
            writer.WriteStringValue(problem.Length <= MaximumProblemLength ? problem : problem[..MaximumProblemLength]);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static void Audit(Utf8JsonWriter writer, AuditHead head)
    {
        writer.WriteStartObject("audit");
        if (head.Problem is not null)
        {
            writer.WriteNull("sequence");
            writer.WriteNull("hash");
            writer.WriteString("problem", head.Problem);
        }
        else
        {
            writer.WriteNumber("sequence", head.Sequence);
            writer.WriteString("hash", head.Hash);
        }

        if (head.Time is not null)
        {
            writer.WriteString("time", head.Time);
        }

        writer.WriteEndObject();
    }

    private static void Fleet(Utf8JsonWriter writer, IngestStatus now, IngestStatus? previous, HubHealthExtras? extras)
    {
        Streams(writer, now, previous);
        if (extras?.Radio is { } radio)
        {
            Radio(writer, radio);
        }

        if (extras?.Audit is { } audit)
        {
            Audit(writer, audit);
        }
    }

    private static void NumberOrNull(Utf8JsonWriter writer, string name, double? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }
}
