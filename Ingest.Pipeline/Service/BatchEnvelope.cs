using System.Globalization;
using Apache.Arrow.Ipc;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Publishing;

namespace Ingest.Pipeline.Service;

/// <summary>
/// What the publishing stage needs to send a spooled batch, read back from the batch's own schema metadata (the spool
/// keeps identity, rows and the Arrow bytes; everything else travels in the payload, so a batch spooled before a
/// restart is published exactly as it would have been).
/// </summary>
internal static class BatchEnvelope
{
    /// <summary>Builds the outgoing message of a spooled batch, or explains why its metadata is unusable.</summary>
    public static bool TryCreate(BatchIdentity identity, int rows, ReadOnlyMemory<byte> payload, out OutgoingBatch? batch, out string? problem)
    {
        batch = null;
        IReadOnlyDictionary<string, string> metadata;
        try
        {
            using var reader = new ArrowStreamReader(payload);
            metadata = reader.Schema.Metadata ?? new Dictionary<string, string>();
        }
        catch (Exception ex) when (ex is InvalidDataException or ArgumentException or IOException or InvalidOperationException or IndexOutOfRangeException or OverflowException)
        {
            problem = $"its Arrow schema cannot be read ({ex.Message})";
            return false;
        }

        string Get(string key) => metadata.TryGetValue(key, out var value) ? value : "";
        var origin = new StreamOrigin(Get(BatchMetadataKeys.Study), Get(BatchMetadataKeys.Site), Get(BatchMetadataKeys.Participant),
            Get(BatchMetadataKeys.Device), Get(BatchMetadataKeys.StreamId),
            double.TryParse(Get(BatchMetadataKeys.NominalRateHz), NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) ? rate : null);
        foreach (var (level, value) in new[] { ("study", origin.Study), ("site", origin.Site), ("participant", origin.Participant), ("stream id", origin.StreamId) })
        {
            if (BatchAddress.ProblemWithLevel(value) is { } wrong)
            {
                problem = $"its {level} metadata '{value}' cannot be a topic level: it {wrong}";
                return false;
            }
        }

        var address = new BatchAddress(origin.Study, origin.Site, origin.Participant, origin.StreamId);

        var firstHubTime = Get(BatchMetadataKeys.FirstHubTime);
        var properties = BatchMessage.Properties(identity, rows, firstHubTime, Get(BatchMetadataKeys.LastHubTime),
            Get(BatchMetadataKeys.ProfileId), Get(BatchMetadataKeys.ProfileVersion), payload.Span);
        var firstHubTimeNs = CaptureReader.TryParseTime(firstHubTime, out var ns) is null ? ns : 0;
        batch = new OutgoingBatch(identity, address.Topic, properties, payload, origin, firstHubTimeNs);
        problem = null;
        return true;
    }
}
