using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Publishing;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// Turns one untrusted MQTT message into a <see cref="ReceivedBatch"/> or a reason to reject it: topic shape, payload size,
/// SHA-256 against <c>wearable.sha256</c>, one Arrow IPC stream with exactly one record batch whose buffers are all in bounds
/// (<see cref="ArrowArrayBounds"/>), the identity and origin in the schema metadata consistent with the user properties and
/// the topic. Pure: no I/O. Never throws on bad input.
/// </summary>
internal static class BatchInspector
{
    private const int TopicLevels = 5;

    /// <summary>Second topic level of a hub's own topics (<c>wearables/{study}/hubs/{hub}/status|receipts</c>), which share the filter.</summary>
    public const string HubsLevel = "hubs";

    private static readonly Apache.Arrow.Compression.CompressionCodecFactory s_codecs = new();

    /// <summary>Inspects a message received on <paramref name="topic"/>.</summary>
    public static BatchInspection Inspect(string topic, ReadOnlyMemory<byte> payload, IReadOnlyList<KeyValuePair<string, string>> userProperties,
        int maximumPayloadBytes = ReceiveLimits.DefaultMaximumPayloadBytes, int maximumRows = ReceiveLimits.DefaultMaximumRows)
    {
        ArgumentNullException.ThrowIfNull(topic);
        ArgumentNullException.ThrowIfNull(userProperties);
        var levels = topic.Split('/');
        if (levels.Length == TopicLevels && string.Equals(levels[2], HubsLevel, StringComparison.Ordinal))
        {
            return BatchInspection.Ignored("a hub's status or receipt topic");
        }

        if (levels.Length != TopicLevels || !string.Equals(levels[0], BatchAddress.TopicRoot, StringComparison.Ordinal))
        {
            return BatchInspection.Rejected($"topic '{Excerpt(topic)}' is not wearables/{{study}}/{{site}}/{{participant}}/{{stream}}");
        }

        for (var i = 1; i < TopicLevels; i++)
        {
            if (BatchAddress.ProblemWithLevel(levels[i]) is { } problem)
            {
                return BatchInspection.Rejected($"topic level {i} '{Excerpt(levels[i])}' {problem}");
            }
        }

        return InspectPayload(levels, payload, userProperties, maximumPayloadBytes, maximumRows);
    }

    /// <summary>Inspects a payload read back from staging: no topic and no user properties, the schema metadata says it all.</summary>
    public static BatchInspection InspectStaged(ReadOnlyMemory<byte> payload) =>
        InspectPayload(null, payload, [], ReceiveLimits.DefaultMaximumPayloadBytes, ReceiveLimits.DefaultMaximumRows);

    private static BatchInspection InspectPayload(string[]? levels, ReadOnlyMemory<byte> payload, IReadOnlyList<KeyValuePair<string, string>> userProperties,
        int maximumPayloadBytes, int maximumRows)
    {
        if (payload.Length == 0 || payload.Length > maximumPayloadBytes)
        {
            return BatchInspection.Rejected($"payload is {payload.Length} bytes; a batch is 1 to {maximumPayloadBytes} bytes");
        }

        var sha256 = BatchMessage.Sha256Hex(payload.Span);
        var declaredHash = Find(userProperties, BatchMessage.Sha256Property);
        // MQTT 3.1.1 carries no user properties at all: then there is no hash to verify, and the identity comes from the schema.
        var hasProperties = userProperties.Count > 0;
        if (hasProperties && declaredHash is null)
        {
            return BatchInspection.Rejected($"user property {BatchMessage.Sha256Property} is missing");
        }

        if (declaredHash is not null && !string.Equals(declaredHash, sha256, StringComparison.OrdinalIgnoreCase))
        {
            return BatchInspection.Rejected($"SHA-256 mismatch: {BatchMessage.Sha256Property} says {Excerpt(declaredHash)}, the payload's is {sha256}");
        }

        RecordBatch? batch = null;
        try
        {
            using var reader = new ArrowStreamReader(payload, s_codecs);
            batch = reader.ReadNextRecordBatch();
            if (batch is null)
            {
                return BatchInspection.Rejected("the Arrow stream holds no record batch");
            }

            using var extra = reader.ReadNextRecordBatch();
            if (extra is not null)
            {
                batch.Dispose();
                return BatchInspection.Rejected("the Arrow stream holds more than one record batch");
            }

            levels ??= LevelsOf(reader.Schema);
            var result = Check(levels, payload, sha256, declaredHash is not null, userProperties, reader.Schema, batch, maximumRows);
            if (result.Outcome != BatchInspectionOutcome.Accepted)
            {
                batch.Dispose();
            }

            return result;
        }
#pragma warning disable CA1031 // Untrusted input: whatever the Arrow reader throws on a malformed stream is a rejection, never a crash.
        catch (Exception ex) when (ex is not OutOfMemoryException)
#pragma warning restore CA1031
        {
            batch?.Dispose();
            return BatchInspection.Rejected($"not a readable Arrow IPC stream: {ex.GetType().Name}: {Excerpt(ex.Message)}");
        }
    }

    private static BatchInspection Check(string[] levels, ReadOnlyMemory<byte> payload, string sha256, bool hashVerified,
        IReadOnlyList<KeyValuePair<string, string>> properties, Schema schema, RecordBatch batch, int maximumRows)
    {
        if (batch.Length > maximumRows)
        {
            return BatchInspection.Rejected($"{batch.Length} rows; at most {maximumRows}");
        }

        if (batch.ColumnCount != schema.FieldsList.Count)
        {
            return BatchInspection.Rejected("the record batch's columns do not match the schema");
        }

        for (var i = 0; i < batch.ColumnCount; i++)
        {
            var data = batch.Column(i).Data;
            if (data.Length != batch.Length)
            {
                return BatchInspection.Rejected($"column '{Excerpt(schema.FieldsList[i].Name)}' has {data.Length} rows, the batch {batch.Length}");
            }

            if (!schema.FieldsList[i].IsNullable && batch.Column(i).NullCount > 0)
            {
                return BatchInspection.Rejected($"column '{Excerpt(schema.FieldsList[i].Name)}' is declared non-nullable but has nulls");
            }

            if (ArrowArrayBounds.Problem(data) is { } problem)
            {
                return BatchInspection.Rejected($"column '{Excerpt(schema.FieldsList[i].Name)}': {problem}");
            }
        }

        foreach (var field in schema.FieldsList)
        {
            if (FieldProblem(field, 0) is { } fieldProblem)
            {
                return BatchInspection.Rejected(fieldProblem);
            }
        }

        var metadata = schema.Metadata ?? new Dictionary<string, string>();
        foreach (var value in metadata.Values)
        {
            if (value.Length > ReceiveLimits.MaximumMetadataValueLength && value.Length > 0)
            {
                // Field descriptions may be long, schema values are identifiers and times.
                return BatchInspection.Rejected($"a schema metadata value is {value.Length} characters; at most {ReceiveLimits.MaximumMetadataValueLength}");
            }
        }

        if (Required(metadata, BatchMetadataKeys.Hub, out var hub) is { } e1)
        {
            return e1;
        }

        if (Required(metadata, BatchMetadataKeys.Stream, out var streamKey) is { } e2)
        {
            return e2;
        }

        if (Required(metadata, BatchMetadataKeys.Sequence, out var sequenceText) is { } e3)
        {
            return e3;
        }

        if (!long.TryParse(sequenceText, NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return BatchInspection.Rejected($"{BatchMetadataKeys.Sequence} '{Excerpt(sequenceText)}' is not a decimal number ≥ 0");
        }

        // Every identity property a publisher sent must agree with the schema, or the batch says two different things.
        foreach (var key in new[] { BatchMetadataKeys.Hub, BatchMetadataKeys.Stream, BatchMetadataKeys.Sequence, BatchMetadataKeys.ProfileId, BatchMetadataKeys.ProfileVersion })
        {
            if (Find(properties, key) is { } property && (!metadata.TryGetValue(key, out var schemaValue) || !string.Equals(property, schemaValue, StringComparison.Ordinal)))
            {
                return BatchInspection.Rejected($"user property {key} '{Excerpt(property)}' differs from the schema metadata");
            }
        }

        if (Find(properties, BatchMessage.RowsProperty) is { } rowsText
            && (!int.TryParse(rowsText, NumberStyles.None, CultureInfo.InvariantCulture, out var rows) || rows != batch.Length))
        {
            return BatchInspection.Rejected($"user property {BatchMessage.RowsProperty} '{Excerpt(rowsText)}' but the batch has {batch.Length} rows");
        }

        if (BatchAddress.ProblemWithLevel(hub) is not null || BatchAddress.ProblemWithLevel(streamKey) is not null)
        {
            return BatchInspection.Rejected($"hub '{Excerpt(hub)}' or stream key '{Excerpt(streamKey)}' cannot name a stored batch");
        }

        // The origin: the schema says it (service batches), the topic says the same or fills in what an older hub left out.
        string Level(string key, int level) => metadata.TryGetValue(key, out var value) ? value : levels[level];
        var study = Level(BatchMetadataKeys.Study, 1);
        var site = Level(BatchMetadataKeys.Site, 2);
        var participant = Level(BatchMetadataKeys.Participant, 3);
        var streamId = Level(BatchMetadataKeys.StreamId, 4);
        if (!string.Equals(study, levels[1], StringComparison.Ordinal) || !string.Equals(site, levels[2], StringComparison.Ordinal)
            || !string.Equals(participant, levels[3], StringComparison.Ordinal) || !string.Equals(streamId, levels[4], StringComparison.Ordinal))
        {
            return BatchInspection.Rejected("the schema's study, site, participant or stream id differs from the topic");
        }

        foreach (var level in (ReadOnlySpan<string>)[study, site, participant, streamId])
        {
            if (BatchAddress.ProblemWithLevel(level) is { } levelProblem)
            {
                return BatchInspection.Rejected($"study, site, participant or stream id '{Excerpt(level)}' {levelProblem}");
            }
        }

        var device = metadata.TryGetValue(BatchMetadataKeys.Device, out var deviceValue) ? deviceValue
            : streamKey.LastIndexOf('.') is var dot and > 0 ? streamKey[..dot] : streamKey;
        if (BatchAddress.ProblemWithLevel(device) is not null)
        {
            return BatchInspection.Rejected($"device '{Excerpt(device)}' cannot name a device");
        }

        double? rate = null;
        if (metadata.TryGetValue(BatchMetadataKeys.NominalRateHz, out var rateText))
        {
            if (!double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) || !double.IsFinite(parsed)
                || parsed <= 0 || parsed > ReceiveLimits.MaximumNominalRateHz)
            {
                return BatchInspection.Rejected($"{BatchMetadataKeys.NominalRateHz} '{Excerpt(rateText)}' is not a rate in (0, {ReceiveLimits.MaximumNominalRateHz}] Hz");
            }

            rate = parsed;
        }

        var hubTimeIndex = schema.GetFieldIndex(StreamSchema.HubTimeColumn);
        if (hubTimeIndex < 0 || batch.Column(hubTimeIndex) is not TimestampArray hubTimes
            || ((TimestampType)hubTimes.Data.DataType).Unit != TimeUnit.Nanosecond || hubTimes.NullCount != 0)
        {
            return BatchInspection.Rejected($"column {StreamSchema.HubTimeColumn} is missing, not timestamp[ns] or has nulls");
        }

        if (batch.Length == 0)
        {
            return BatchInspection.Rejected("the record batch has no rows");
        }

        var values = hubTimes.Values;
        long first = long.MaxValue, last = long.MinValue;
        foreach (var value in values)
        {
            first = Math.Min(first, value);
            last = Math.Max(last, value);
        }

        var identity = new BatchIdentity(hub, streamKey, sequence);
        var origin = new StreamOrigin(study, site, participant, device, streamId, rate);
        return BatchInspection.Accepted(new ReceivedBatch(identity, origin, payload, sha256, hashVerified, batch, first, last));
    }

    /// <summary>
    /// Null when a field (and the fields nested in it) has a name and metadata with non-null keys and values: the Arrow C
    /// exporter the Parquet writer goes through throws on a null one (found by the mutation property test).
    /// </summary>
    private static string? FieldProblem(Field field, int depth)
    {
        if (depth > ArrowArrayBounds.MaximumDepth || field.Name is null)
        {
            return "a field without a name, or nested too deep";
        }

        if (field.Metadata is { } metadata)
        {
            foreach (var (key, value) in metadata)
            {
                if (key is null || value is null)
                {
                    return $"field '{Excerpt(field.Name)}' has metadata without a key or value";
                }
            }
        }

        return field.DataType is Apache.Arrow.Types.NestedType nested
            ? nested.Fields.Select(child => FieldProblem(child, depth + 1)).FirstOrDefault(static problem => problem is not null)
            : null;
    }

    /// <summary>The topic levels a staged payload was published under, from its schema metadata ("" where absent).</summary>
    private static string[] LevelsOf(Schema schema)
    {
        var metadata = schema.Metadata ?? new Dictionary<string, string>();
        string Value(string key) => metadata.TryGetValue(key, out var value) ? value : string.Empty;
        return [BatchAddress.TopicRoot, Value(BatchMetadataKeys.Study), Value(BatchMetadataKeys.Site), Value(BatchMetadataKeys.Participant), Value(BatchMetadataKeys.StreamId)];
    }

    private static BatchInspection? Required(IReadOnlyDictionary<string, string> metadata, string key, out string value)
    {
        if (metadata.TryGetValue(key, out var found) && found.Length > 0)
        {
            value = found;
            return null;
        }

        value = string.Empty;
        return BatchInspection.Rejected($"schema metadata {key} is missing");
    }

    internal static string? Find(IReadOnlyList<KeyValuePair<string, string>> properties, string name)
    {
        foreach (var property in properties)
        {
            if (string.Equals(property.Key, name, StringComparison.Ordinal))
            {
                return property.Value;
            }
        }

        return null;
    }

    /// <summary>At most 80 characters of untrusted text, for reasons and logs.</summary>
    internal static string Excerpt(string text) => text.Length <= 80 ? text : string.Concat(text.AsSpan(0, 77), "...");

    /// <summary>Time for logs and metadata (ISO 8601 UTC with ns).</summary>
    internal static string Time(long unixNs) => CaptureReader.FormatTime(unixNs);
}
