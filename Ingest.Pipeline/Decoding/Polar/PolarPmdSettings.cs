namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>
/// Settings of one <c>polar-pmd</c> stream: what the PMD START command asked for and what the sensor answered.
/// <list type="table">
/// <item><term>measurement</term><description>ecg | acc | ppg | ppi (required)</description></item>
/// <item><term>sampleRateHz</term><description>the START sample rate, a whole number of Hz (required except for ppi, which has none)</description></item>
/// <item><term>frameType</term><description>the frame type number the sensor sends (0–127, default 0)</description></item>
/// <item><term>compressed</term><description>true when the frames are delta-compressed (frame-type bit 7; default false)</description></item>
/// <item><term>resolutionBits</term><description>the START resolution (1–32). For compressed frames the reference sample
/// occupies <c>ceil(resolutionBits/8)</c> bytes per channel and sign-extends from that many whole bytes, matching the
/// SDK's per-type widths (ACC 16, PPG 24 for the 22-bit Verity Sense setting); default 16 for ACC, 24 otherwise</description></item>
/// <item><term>factor</term><description>the FACTOR (float32) from the START response; multiplies compressed samples (default 1.0).
/// Only compressed frames use it: raw frames already carry µV / mG</description></item>
/// </list>
/// </summary>
public sealed record PolarPmdSettings
{
    /// <summary>Setting names, for <see cref="DecoderSettings.RejectUnknown"/>.</summary>
    public static readonly string[] Names = ["measurement", "sampleRateHz", "frameType", "compressed", "resolutionBits", "factor"];

    private static readonly string[] s_measurements = ["ecg", "ppg", "acc", "ppi"];

    /// <summary>The measurement the stream carries.</summary>
    public required PmdMeasurementType Measurement { get; init; }

    /// <summary>Nominal sample rate (0 for PPI).</summary>
    public required int SampleRateHz { get; init; }

    /// <summary>Frame type number (bits 0–6 of byte 9).</summary>
    public required int FrameType { get; init; }

    /// <summary>Delta-compressed frames (bit 7 of byte 9).</summary>
    public required bool Compressed { get; init; }

    /// <summary>START resolution in bits.</summary>
    public required int ResolutionBits { get; init; }

    /// <summary>FACTOR from the START response, as the float32 the sensor sent.</summary>
    public required float Factor { get; init; }

    /// <summary>The sample layout implied by measurement, frame type and compression.</summary>
    public required PmdFrameLayout Layout { get; init; }

    /// <summary>Channels per sample.</summary>
    public required int Channels { get; init; }

    /// <summary>Reference width of compressed frames: whole bytes covering <see cref="ResolutionBits"/>.</summary>
    public int ReferenceBits => PmdDeltaCodec.ReferenceBytes(ResolutionBits) * 8;

    /// <summary>The frame-type byte frames of this stream carry.</summary>
    public byte FrameTypeByte => (byte)(FrameType | (Compressed ? PmdFrameHeader.CompressedBit : 0));

    /// <summary>Reads and validates the settings; problems throw through <paramref name="settings"/> naming the setting.</summary>
    public static PolarPmdSettings Parse(DecoderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.RejectUnknown(Names);
        var measurement = settings.GetString("measurement", s_measurements) switch
        {
            "ecg" => PmdMeasurementType.Ecg,
            "ppg" => PmdMeasurementType.Ppg,
            "acc" => PmdMeasurementType.Acc,
            _ => PmdMeasurementType.Ppi,
        };

        var frameType = settings.GetInt32("frameType", 0, PmdFrameHeader.FrameTypeMask, 0);
        var compressed = settings.GetBoolean("compressed", false);
        var layout = LayoutFor(measurement, frameType, compressed, out var channels);
        if (layout is null)
        {
            throw settings.Error(settings.Has("frameType") ? "frameType" : "compressed",
                $"{Name(measurement)} frames of {(compressed ? "compressed" : "raw")} type {frameType} are not supported; supported: {Supported(measurement)}");
        }

        int sampleRate;
        if (measurement == PmdMeasurementType.Ppi)
        {
            if (settings.Has("sampleRateHz"))
            {
                throw settings.Error("sampleRateHz", "PPI has no sample rate: each sample is one heartbeat, timed by its PP interval; remove this setting");
            }

            sampleRate = 0;
        }
        else
        {
            sampleRate = settings.GetInt32("sampleRateHz", 1, (int)DecodeLimits.MaxSampleRateHz);
        }

        var resolution = settings.GetInt32("resolutionBits", 1, PmdDeltaCodec.MaxDeltaBits, measurement == PmdMeasurementType.Acc ? 16 : 24);
        var factor = (float)settings.GetDouble("factor", 1e-9, 1e9, 1.0);
        if (!compressed && factor != 1.0f)
        {
            throw settings.Error("factor", "the FACTOR applies to compressed frames only; raw frames already carry their unit (µV, mG) — remove it or set compressed: true");
        }

        return new PolarPmdSettings
        {
            Measurement = measurement,
            SampleRateHz = sampleRate,
            FrameType = frameType,
            Compressed = compressed,
            ResolutionBits = resolution,
            Factor = factor,
            Layout = layout.GetValueOrDefault(),
            Channels = channels,
        };
    }

    /// <summary>The layout of (measurement, frame type, compressed), or null when the SDK defines none.</summary>
    public static PmdFrameLayout? LayoutFor(PmdMeasurementType measurement, int frameType, bool compressed, out int channels)
    {
        channels = measurement switch
        {
            PmdMeasurementType.Ecg => 1,
            PmdMeasurementType.Acc => 3,
            PmdMeasurementType.Ppg => 4,
            _ => 1,
        };
        return (measurement, frameType, compressed) switch
        {
            (PmdMeasurementType.Ecg, 0, false) => PmdFrameLayout.EcgRaw0,
            (PmdMeasurementType.Ecg, 1, false) => PmdFrameLayout.EcgRaw1,
            (PmdMeasurementType.Ecg, 2, false) => PmdFrameLayout.EcgRaw2,
            (PmdMeasurementType.Ecg, 0, true) => PmdFrameLayout.Delta,
            (PmdMeasurementType.Acc, 0, false) => PmdFrameLayout.AccRaw0,
            (PmdMeasurementType.Acc, 1, false) => PmdFrameLayout.AccRaw1,
            (PmdMeasurementType.Acc, 2, false) => PmdFrameLayout.AccRaw2,
            (PmdMeasurementType.Acc, 0 or 1, true) => PmdFrameLayout.Delta,
            (PmdMeasurementType.Ppg, 0, false) => PmdFrameLayout.PpgRaw0,
            (PmdMeasurementType.Ppg, 0, true) => PmdFrameLayout.Delta,
            (PmdMeasurementType.Ppi, 0, false) => PmdFrameLayout.PpiRaw0,
            _ => null,
        };
    }

    /// <summary>The profile name of a measurement.</summary>
    public static string Name(PmdMeasurementType measurement) => measurement switch
    {
        PmdMeasurementType.Ecg => "ecg",
        PmdMeasurementType.Ppg => "ppg",
        PmdMeasurementType.Acc => "acc",
        _ => "ppi",
    };

    private static string Supported(PmdMeasurementType measurement) => measurement switch
    {
        PmdMeasurementType.Ecg => "raw 0, 1, 2; compressed 0",
        PmdMeasurementType.Acc => "raw 0, 1, 2; compressed 0, 1",
        PmdMeasurementType.Ppg => "raw 0; compressed 0",
        _ => "raw 0",
    };
}
