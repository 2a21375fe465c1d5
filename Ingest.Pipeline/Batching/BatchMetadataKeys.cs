namespace Ingest.Pipeline.Batching;

/// <summary>
/// Arrow metadata keys the hub writes (docs/wire/batch-format.md). Schema-level keys describe the batch; field-level
/// keys describe a column.
/// </summary>
public static class BatchMetadataKeys
{
    /// <summary>Schema: the hub id.</summary>
    public const string Hub = "wearable.hub";

    /// <summary>Schema: the stream key.</summary>
    public const string Stream = "wearable.stream";

    /// <summary>Schema: the batch sequence number (decimal).</summary>
    public const string Sequence = "wearable.sequence";

    /// <summary>Schema: the firmware profile id.</summary>
    public const string ProfileId = "wearable.profile.id";

    /// <summary>Schema: the firmware profile version.</summary>
    public const string ProfileVersion = "wearable.profile.version";

    /// <summary>Schema: the decoder name.</summary>
    public const string Decoder = "wearable.decoder";

    /// <summary>Schema: hub time of the earliest row (ISO 8601, ns).</summary>
    public const string FirstHubTime = "wearable.hub_time.first";

    /// <summary>Schema: hub time of the latest row (ISO 8601, ns).</summary>
    public const string LastHubTime = "wearable.hub_time.last";

    /// <summary>Schema: the study code (<see cref="StreamOrigin.Study"/>).</summary>
    public const string Study = "wearable.study";

    /// <summary>Schema: the site id.</summary>
    public const string Site = "wearable.site";

    /// <summary>Schema: the participant pseudonym.</summary>
    public const string Participant = "wearable.participant";

    /// <summary>Schema: the device pseudonym.</summary>
    public const string Device = "wearable.device";

    /// <summary>Schema: the profile's stream id (the topic's last level).</summary>
    public const string StreamId = "wearable.stream.id";

    /// <summary>Schema: nominal samples per second (invariant decimal); absent for an event stream.</summary>
    public const string NominalRateHz = "wearable.stream.nominal_rate_hz";

    /// <summary>Field: unit of the physical quantity.</summary>
    public const string Unit = "unit";

    /// <summary>Field: physical = stored × scale + offset.</summary>
    public const string Scale = "scale";

    /// <summary>Field: added after the scale.</summary>
    public const string Offset = "offset";

    /// <summary>Field: what the column holds.</summary>
    public const string Description = "description";
}
