using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Profiles;

/// <summary>One stream of a profile: a notifying characteristic, its setup, decoder and columns.</summary>
public sealed class StreamDefinition
{
    /// <summary>Lower kebab-case id, unique in the profile (used in MQTT topics).</summary>
    public required string Id { get; init; }

    /// <summary>One line for people.</summary>
    public string Description { get; init; } = "";

    /// <summary>Canonical UUID of the GATT service.</summary>
    public required string Service { get; init; }

    /// <summary>Canonical UUID of the notifying characteristic.</summary>
    public required string Characteristic { get; init; }

    /// <summary>The decoder.</summary>
    public required IDecoderFactory Decoder { get; init; }

    /// <summary>The decoder's settings.</summary>
    public required DecoderSettings Settings { get; init; }

    /// <summary>Nominal samples per second, or null for an event stream.</summary>
    public double? NominalRateHz { get; init; }

    /// <summary>Writes made before notifications are enabled.</summary>
    public IReadOnlyList<SetupWrite> Setup { get; init; } = [];

    /// <summary>The rows' shape, as the decoder produces it (and the profile lists it).</summary>
    public required StreamSchema Schema { get; init; }

    /// <summary>Shipped captures with expected rows.</summary>
    public IReadOnlyList<CaptureReference> Captures { get; init; } = [];

    /// <summary>Where the stream is in its profile file: <c>$.streams[2]</c>.</summary>
    public required string JsonPath { get; init; }

    /// <summary>A new decoder instance for one device's stream.</summary>
    public IFrameDecoder CreateDecoder() => Decoder.Create(Settings);
}
