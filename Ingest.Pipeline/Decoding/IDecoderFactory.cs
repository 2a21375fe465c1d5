namespace Ingest.Pipeline.Decoding;

/// <summary>A named decoder a firmware profile can reference (<c>"decoder": "heart-rate-measurement"</c>).</summary>
public interface IDecoderFactory
{
    /// <summary>The name profiles use: lower kebab case.</summary>
    string Name { get; }

    /// <summary>One line for <c>profiles list</c> and error messages.</summary>
    string Summary { get; }

    /// <summary>
    /// Bluetooth SIG characteristics this decoder handles on its own (canonical 128-bit lower-case UUIDs), so
    /// <c>decode --uuid 2a37</c> works without a profile; empty for vendor decoders.
    /// </summary>
    IReadOnlyList<string> StandardCharacteristics { get; }

    /// <summary>
    /// Creates a decoder for one stream. Invalid settings throw <see cref="Profiles.ProfileException"/> through
    /// <paramref name="settings"/>, naming the setting and the problem.
    /// </summary>
    IFrameDecoder Create(DecoderSettings settings);
}
