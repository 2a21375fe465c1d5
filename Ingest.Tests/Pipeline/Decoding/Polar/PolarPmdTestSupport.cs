using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Polar;

namespace Ingest.Tests.Pipeline.Decoding.Polar;

/// <summary>Builds <c>polar-pmd</c> decoders from settings JSON, as a profile would.</summary>
internal static class PolarPmdTestSupport
{
    /// <summary>ns from the Unix epoch to 2000-01-01.</summary>
    public const long Y2000 = 946_684_800L * 1_000_000_000L;

    public static PolarPmdDecoder Create(string settingsJson) =>
        (PolarPmdDecoder)PolarPmdDecoder.Factory.Create(DecoderSettings.Parse(settingsJson, "test", "$.settings"));

    public static StreamDecoder Stream(string settingsJson) => new(Create(settingsJson));
}
