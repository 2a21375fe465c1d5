using Ingest.Pipeline.Decoding.FixedLayout;
using Ingest.Pipeline.Decoding.InfiniTime;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Decoding.Sig;

namespace Ingest.Pipeline.Decoding;

/// <summary>The decoders a firmware profile can name, and the SIG characteristics that decode without a profile.</summary>
public static class BuiltInDecoders
{
    private static readonly IDecoderFactory[] s_all =
    [
        // Bluetooth SIG characteristics
        BatteryLevelDecoder.Factory,
        HeartRateMeasurementDecoder.Factory,
        PlxContinuousMeasurementDecoder.Factory,
        PlxSpotCheckMeasurementDecoder.Factory,
        TemperatureMeasurementDecoder.Factory,
        RscMeasurementDecoder.Factory,
        CscMeasurementDecoder.Factory,

        // Vendor formats and the declarative fixed-layout decoder
        PolarPmdDecoder.Factory,
        InfiniTimeMotionDecoder.Factory,
        InfiniTimeStepsDecoder.Factory,
        FixedLayoutDecoder.Factory,
    ];

    /// <summary>Every built-in decoder.</summary>
    public static IReadOnlyList<IDecoderFactory> All => s_all;

    /// <summary>Finds a decoder by the name a profile uses.</summary>
    public static bool TryGet(string name, out IDecoderFactory factory)
    {
        foreach (var candidate in s_all)
        {
            if (string.Equals(candidate.Name, name, StringComparison.Ordinal))
            {
                factory = candidate;
                return true;
            }
        }

        factory = null!;
        return false;
    }

    /// <summary>Finds the decoder for a standard SIG characteristic by its canonical UUID.</summary>
    public static bool TryGetForCharacteristic(string canonicalUuid, out IDecoderFactory factory)
    {
        foreach (var candidate in s_all)
        {
            foreach (var uuid in candidate.StandardCharacteristics)
            {
                if (string.Equals(uuid, canonicalUuid, StringComparison.Ordinal))
                {
                    factory = candidate;
                    return true;
                }
            }
        }

        factory = null!;
        return false;
    }

    /// <summary>The names of every built-in decoder, for error messages.</summary>
    public static string Names => string.Join(", ", s_all.Select(f => f.Name));
}
