using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>
/// The columns a <c>polar-pmd</c> stream produces for its settings. Values are the sensor's integers, losslessly:
/// raw frames are already in µV / mG; for compressed frames the FACTOR (×1000 for ACC compressed type 0, which the
/// SDK documents as G) is the column's <see cref="ColumnSpec.Scale"/> instead of being multiplied in, so no
/// precision is lost to the SDK's <c>(sample × factor).toInt()</c> truncation.
/// </summary>
public static class PolarPmdSchemas
{
    /// <summary>Builds the schema for <paramref name="settings"/>.</summary>
    public static StreamSchema Create(PolarPmdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var scale = settings.Compressed ? (double)settings.Factor : 1.0;
        return settings.Measurement switch
        {
            PmdMeasurementType.Ecg => new StreamSchema(EcgColumns(settings.Layout, scale), hasDeviceTime: true),
            PmdMeasurementType.Acc => new StreamSchema(AccColumns(settings, scale), hasDeviceTime: true),
            PmdMeasurementType.Ppg => new StreamSchema(
            [
                Int32("ppg0", "", scale, "PPG LED channel 0 (ADC counts)"),
                Int32("ppg1", "", scale, "PPG LED channel 1 (ADC counts)"),
                Int32("ppg2", "", scale, "PPG LED channel 2 (ADC counts)"),
                Int32("ambient", "", scale, "PPG ambient light channel (ADC counts)"),
            ], hasDeviceTime: true),
            _ => new StreamSchema(
            [
                new ColumnSpec { Name = "hr", Kind = ColumnKind.UInt8, Unit = "/min", Description = "heart rate" },
                new ColumnSpec { Name = "pp_interval", Kind = ColumnKind.UInt16, Unit = "ms", Description = "peak-to-peak interval" },
                new ColumnSpec { Name = "pp_error_estimate", Kind = ColumnKind.UInt16, Unit = "ms", Description = "error estimate of the interval" },
                new ColumnSpec { Name = "blocker", Kind = ColumnKind.UInt8, Description = "1 when movement or a bad fit made the interval unreliable" },
                new ColumnSpec { Name = "skin_contact", Kind = ColumnKind.UInt8, Description = "1 when the sensor detects skin contact" },
                new ColumnSpec { Name = "skin_contact_supported", Kind = ColumnKind.UInt8, Description = "1 when the sensor can detect skin contact" },
            ], hasDeviceTime: true),
        };
    }

    private static ColumnSpec[] EcgColumns(PmdFrameLayout layout, double scale)
    {
        var ecg = Int32("ecg", "uV", scale, "ECG voltage");
        return layout switch
        {
            PmdFrameLayout.EcgRaw1 =>
            [
                ecg,
                UInt8("over_sampling", "1 when the sample is oversampled"),
                UInt8("skin_contact", "skin contact bits (0–3)"),
                UInt8("contact_impedance", "contact impedance bits (0–3)"),
            ],
            PmdFrameLayout.EcgRaw2 =>
            [
                ecg,
                UInt8("ecg_data_tag", "ECG data tag (0–7)"),
                UInt8("pace_data_tag", "pace data tag (0–7)"),
            ],
            _ => [ecg],
        };
    }

    private static ColumnSpec[] AccColumns(PolarPmdSettings settings, double scale)
    {
        var kind = settings.Layout switch
        {
            PmdFrameLayout.AccRaw0 => ColumnKind.Int8,
            PmdFrameLayout.AccRaw1 => ColumnKind.Int16,
            _ => ColumnKind.Int32,
        };

        // AccData.dataFromCompressedType0: "type 0 data arrives in G units, convert to milliG" (factor × 1000).
        if (settings.Compressed && settings.FrameType == 0)
        {
            scale *= 1000;
        }

        return
        [
            new ColumnSpec { Name = "x", Kind = kind, Unit = "mg", Scale = scale, Description = "acceleration, x axis" },
            new ColumnSpec { Name = "y", Kind = kind, Unit = "mg", Scale = scale, Description = "acceleration, y axis" },
            new ColumnSpec { Name = "z", Kind = kind, Unit = "mg", Scale = scale, Description = "acceleration, z axis" },
        ];
    }

    private static ColumnSpec Int32(string name, string unit, double scale, string description) =>
        new() { Name = name, Kind = ColumnKind.Int32, Unit = unit, Scale = scale, Description = description };

    private static ColumnSpec UInt8(string name, string description) =>
        new() { Name = name, Kind = ColumnKind.UInt8, Description = description };
}
