using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>
/// One frame type a <c>polar-pmd</c> stream declares (profile <c>settings.frameTypes[i]</c>): the type number, whether it
/// is delta-compressed, the FACTOR its compressed samples carry, and the stream columns its sample slots fill, in slot
/// order (<see cref="PmdFrameSlots"/>). Frames of a type the stream does not declare are rejected, never guessed at.
/// </summary>
public sealed record PmdFrameType
{
    /// <summary>Frame type number (bits 0–6 of byte 9).</summary>
    public required int Type { get; init; }

    /// <summary>Delta-compressed (bit 7 of byte 9).</summary>
    public required bool Compressed { get; init; }

    /// <summary>FACTOR from the START response (compressed types only; 1.0 for raw ones).</summary>
    public required float Factor { get; init; }

    /// <summary>The sample layout.</summary>
    public required PmdFrameLayout Layout { get; init; }

    /// <summary>Channels per sample (the delta codec's channel count for compressed types).</summary>
    public required int Channels { get; init; }

    /// <summary>The stream column each slot fills, in slot order (same length as <see cref="PmdFrameSlots.Of"/>).</summary>
    public required IReadOnlyList<string> Columns { get; init; }

    /// <summary>The frame-type byte frames of this type carry.</summary>
    public byte TypeByte => (byte)(Type | (Compressed ? PmdFrameHeader.CompressedBit : 0));

    /// <summary>How people name the type: "raw 1", "compressed 0".</summary>
    public string Label => Describe(Type, Compressed);

    /// <summary>How people name a frame type.</summary>
    public static string Describe(int type, bool compressed) => $"{(compressed ? "compressed" : "raw")} {type}";
}

/// <summary>One value a frame type's sample carries, before the profile names its column.</summary>
/// <param name="Name">The default column name.</param>
/// <param name="Kind">The column type the value needs.</param>
/// <param name="Unit">The value's unit.</param>
/// <param name="Scaled">True for the measured value (compressed frames scale it by their FACTOR), false for flags and tags.</param>
/// <param name="Description">One line for people.</param>
public readonly record struct PmdSlot(string Name, ColumnKind Kind, string Unit, bool Scaled, string Description);

/// <summary>
/// The slots of each frame type, as polar-ble-sdk's <c>EcgData</c>, <c>AccData</c>, <c>PpgData</c> and <c>PpiData</c>
/// parse them (protocols.md §4.8). A profile maps each slot to a stream column by position.
/// </summary>
public static class PmdFrameSlots
{
    private static readonly PmdSlot[] s_ecg = [new("ecg", ColumnKind.Int32, "uV", true, "ECG voltage")];

    private static readonly PmdSlot[] s_ecgRaw1 =
    [
        new("ecg", ColumnKind.Int32, "uV", true, "ECG voltage"),
        new("over_sampling", ColumnKind.UInt8, "", false, "1 when the sample is oversampled"),
        new("skin_contact", ColumnKind.UInt8, "", false, "skin contact bits (0–3)"),
        new("contact_impedance", ColumnKind.UInt8, "", false, "contact impedance bits (0–3)"),
    ];

    private static readonly PmdSlot[] s_ecgRaw2 =
    [
        new("ecg", ColumnKind.Int32, "uV", true, "ECG voltage"),
        new("ecg_data_tag", ColumnKind.UInt8, "", false, "ECG data tag (0–7)"),
        new("pace_data_tag", ColumnKind.UInt8, "", false, "pace data tag (0–7)"),
    ];

    private static readonly PmdSlot[] s_ecgRaw3 =
    [
        new("ecg_data0", ColumnKind.Int32, "", true, "ECG data field 0 (int24, as the SDK's type 3 leaves it)"),
        new("ecg_data1", ColumnKind.Int32, "", true, "ECG data field 1 (int24)"),
        new("ecg_status", ColumnKind.UInt8, "", false, "ECG type 3 status byte"),
    ];

    private static readonly PmdSlot[] s_acc8 = Acc(ColumnKind.Int8);
    private static readonly PmdSlot[] s_acc16 = Acc(ColumnKind.Int16);
    private static readonly PmdSlot[] s_acc32 = Acc(ColumnKind.Int32);

    private static readonly PmdSlot[] s_ppg =
    [
        new("ppg0", ColumnKind.Int32, "", true, "PPG LED channel 0 (ADC counts)"),
        new("ppg1", ColumnKind.Int32, "", true, "PPG LED channel 1 (ADC counts)"),
        new("ppg2", ColumnKind.Int32, "", true, "PPG LED channel 2 (ADC counts)"),
        new("ambient", ColumnKind.Int32, "", true, "PPG ambient light channel (ADC counts)"),
    ];

    private static readonly PmdSlot[] s_ppi =
    [
        new("hr", ColumnKind.UInt8, "/min", false, "heart rate"),
        new("pp_interval", ColumnKind.UInt16, "ms", false, "peak-to-peak interval"),
        new("pp_error_estimate", ColumnKind.UInt16, "ms", false, "error estimate of the interval"),
        new("blocker", ColumnKind.UInt8, "", false, "1 when movement or a bad fit made the interval unreliable"),
        new("skin_contact", ColumnKind.UInt8, "", false, "1 when the sensor detects skin contact"),
        new("skin_contact_supported", ColumnKind.UInt8, "", false, "1 when the sensor can detect skin contact"),
    ];

    /// <summary>The slots of a (measurement, layout) pair.</summary>
    public static IReadOnlyList<PmdSlot> Of(PmdMeasurementType measurement, PmdFrameLayout layout) => layout switch
    {
        PmdFrameLayout.EcgRaw1 => s_ecgRaw1,
        PmdFrameLayout.EcgRaw2 => s_ecgRaw2,
        PmdFrameLayout.EcgRaw3 => s_ecgRaw3,
        PmdFrameLayout.AccRaw0 => s_acc8,
        PmdFrameLayout.AccRaw1 => s_acc16,
        PmdFrameLayout.AccRaw2 => s_acc32,
        PmdFrameLayout.PpgRaw0 => s_ppg,
        PmdFrameLayout.PpiRaw0 => s_ppi,
        PmdFrameLayout.Delta => measurement switch
        {
            PmdMeasurementType.Acc => s_acc32,
            PmdMeasurementType.Ppg => s_ppg,
            _ => s_ecg,
        },
        _ => s_ecg,
    };

    private static PmdSlot[] Acc(ColumnKind kind) =>
    [
        new("x", kind, "mg", true, "acceleration, x axis"),
        new("y", kind, "mg", true, "acceleration, y axis"),
        new("z", kind, "mg", true, "acceleration, z axis"),
    ];
}
