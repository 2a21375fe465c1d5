namespace Ingest.Pipeline.Decoding;

/// <summary>An <see cref="IDecoderFactory"/> from a name, a summary and a creation function.</summary>
public sealed class DecoderFactory : IDecoderFactory
{
    private readonly Func<DecoderSettings, IFrameDecoder> _create;

    /// <summary>Creates the factory.</summary>
    public DecoderFactory(string name, string summary, IReadOnlyList<string> standardCharacteristics, Func<DecoderSettings, IFrameDecoder> create)
    {
        Name = name;
        Summary = summary;
        StandardCharacteristics = standardCharacteristics;
        _create = create;
    }

    /// <summary>A factory for a decoder that takes no settings (any setting given is rejected as unknown).</summary>
    public static DecoderFactory WithoutSettings<TDecoder>(string name, string summary, IReadOnlyList<string> standardCharacteristics)
        where TDecoder : IFrameDecoder, new() =>
        new(name, summary, standardCharacteristics, static settings =>
        {
            settings.RejectUnknown();
            return new TDecoder();
        });

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Summary { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> StandardCharacteristics { get; }

    /// <inheritdoc />
    public IFrameDecoder Create(DecoderSettings settings) => _create(settings);
}
