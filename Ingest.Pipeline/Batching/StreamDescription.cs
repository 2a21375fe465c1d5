namespace Ingest.Pipeline.Batching;

/// <summary>Where a stream's data comes from, recorded in every batch's metadata.</summary>
/// <param name="ProfileId">Firmware profile id (or the decoder name when decoding without a profile).</param>
/// <param name="ProfileVersion">Firmware profile version (without a profile: "built-in" and the program's version).</param>
/// <param name="Decoder">Decoder name.</param>
public sealed record StreamDescription(string ProfileId, string ProfileVersion, string Decoder)
{
    /// <summary>Whose data and where it goes (set by the service; null for files decoded without one, e.g. <c>decode</c>).</summary>
    public StreamOrigin? Origin { get; init; }

    /// <summary>The profile's stream id (e.g. <c>ecg</c>) when there is no <see cref="Origin"/> to carry it (<c>decode</c>).</summary>
    public string? StreamId { get; init; }
}
