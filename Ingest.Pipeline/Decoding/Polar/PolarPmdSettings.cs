using System.Text.Json;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>
/// Settings of one <c>polar-pmd</c> stream: what the PMD START command asked for and what the sensor answered.
/// <list type="table">
/// <item><term>measurement</term><description>ecg | acc | ppg | ppi (required)</description></item>
/// <item><term>sampleRateHz</term><description>the START sample rate, a whole number of Hz (required except for ppi, which has none)</description></item>
/// <item><term>frameTypes</term><description>the frame types the stream decodes, each <c>{ "type": n, "compressed": bool,
/// "factor": f, "columns": [..] }</c>: frames are decoded by their own type byte, as the SDK does, because firmware
/// versions differ in what they send (ADR 0010). <c>columns</c> names the stream column each of the type's sample slots
/// fills (<see cref="PmdFrameSlots"/>); a frame of an undeclared type is rejected</description></item>
/// <item><term>frameType</term><description>shorthand for one raw or compressed type with the default column names
/// (0–127, default 0); not together with frameTypes</description></item>
/// <item><term>compressed</term><description>shorthand: true when the frames are delta-compressed (frame-type bit 7; default false)</description></item>
/// <item><term>resolutionBits</term><description>the START resolution (1–32). For compressed frames the reference sample
/// occupies <c>ceil(resolutionBits/8)</c> bytes per channel and sign-extends from that many whole bytes, matching the
/// SDK's per-type widths (ACC 16, PPG 24 for the 22-bit Verity Sense setting); default 16 for ACC, 24 otherwise</description></item>
/// <item><term>factor</term><description>shorthand: the FACTOR (float32) from the START response; multiplies compressed samples
/// (default 1.0). Only compressed frames use it: raw frames already carry µV / mG</description></item>
/// </list>
/// </summary>
public sealed record PolarPmdSettings
{
    /// <summary>Setting names, for <see cref="DecoderSettings.RejectUnknown"/>.</summary>
    public static readonly string[] Names = ["measurement", "sampleRateHz", "frameTypes", "frameType", "compressed", "resolutionBits", "factor"];

    /// <summary>Keys of one <c>frameTypes</c> entry.</summary>
    private static readonly string[] s_frameTypeKeys = ["type", "compressed", "factor", "columns"];

    private static readonly string[] s_measurements = ["ecg", "ppg", "acc", "ppi"];

    private static readonly string[] s_shorthand = ["frameType", "compressed", "factor"];

    /// <summary>The measurement the stream carries.</summary>
    public required PmdMeasurementType Measurement { get; init; }

    /// <summary>Nominal sample rate (0 for PPI).</summary>
    public required int SampleRateHz { get; init; }

    /// <summary>START resolution in bits.</summary>
    public required int ResolutionBits { get; init; }

    /// <summary>The frame types the stream decodes (at least one), in declaration order.</summary>
    public required IReadOnlyList<PmdFrameType> FrameTypes { get; init; }

    /// <summary>The stream's columns: the union of what its frame types fill (ADR 0010).</summary>
    public required StreamSchema Schema { get; init; }

    /// <summary>The first declared frame type's number (the only one for single-type streams).</summary>
    public int FrameType => FrameTypes[0].Type;

    /// <summary>Whether the first declared frame type is delta-compressed.</summary>
    public bool Compressed => FrameTypes[0].Compressed;

    /// <summary>The first declared frame type's FACTOR.</summary>
    public float Factor => FrameTypes[0].Factor;

    /// <summary>The first declared frame type's layout.</summary>
    public PmdFrameLayout Layout => FrameTypes[0].Layout;

    /// <summary>Channels per sample of the first declared frame type.</summary>
    public int Channels => FrameTypes[0].Channels;

    /// <summary>Reference width of compressed frames: whole bytes covering <see cref="ResolutionBits"/>.</summary>
    public int ReferenceBits => PmdDeltaCodec.ReferenceBytes(ResolutionBits) * 8;

    /// <summary>The frame-type byte of the first declared frame type.</summary>
    public byte FrameTypeByte => FrameTypes[0].TypeByte;

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
        var frameTypes = settings.TryGet("frameTypes", out var declared)
            ? ParseFrameTypes(settings, measurement, declared)
            : [ParseShorthand(settings, measurement)];
        var schema = PolarPmdSchemas.Union(measurement, frameTypes, out var conflict);
        if (schema is null)
        {
            throw settings.Error($"frameTypes[{conflict.FrameType}].columns[{conflict.Slot}]", conflict.Problem);
        }

        return new PolarPmdSettings
        {
            Measurement = measurement,
            SampleRateHz = sampleRate,
            ResolutionBits = resolution,
            FrameTypes = frameTypes,
            Schema = schema,
        };
    }

    private static PmdFrameType ParseShorthand(DecoderSettings settings, PmdMeasurementType measurement)
    {
        var frameType = settings.GetInt32("frameType", 0, PmdFrameHeader.FrameTypeMask, 0);
        var compressed = settings.GetBoolean("compressed", false);
        var layout = LayoutFor(measurement, frameType, compressed, out var channels);
        if (layout is null)
        {
            throw settings.Error(settings.Has("frameType") ? "frameType" : "compressed",
                $"{Name(measurement)} frames of {PmdFrameType.Describe(frameType, compressed)} are not supported; supported: {Supported(measurement)}");
        }

        var factor = (float)settings.GetDouble("factor", 1e-9, 1e9, 1.0);
        if (!compressed && factor != 1.0f)
        {
            throw settings.Error("factor", "the FACTOR applies to compressed frames only; raw frames already carry their unit (µV, mG) — remove it or set compressed: true");
        }

        return new PmdFrameType
        {
            Type = frameType,
            Compressed = compressed,
            Factor = factor,
            Layout = layout.GetValueOrDefault(),
            Channels = channels,
            Columns = [.. PmdFrameSlots.Of(measurement, layout.GetValueOrDefault()).Select(slot => slot.Name)],
        };
    }

    private static PmdFrameType[] ParseFrameTypes(DecoderSettings settings, PmdMeasurementType measurement, JsonElement declared)
    {
        foreach (var name in s_shorthand)
        {
            if (settings.Has(name))
            {
                throw settings.Error(name, $"'{name}' is the one-type shorthand; with frameTypes, give it inside each entry (or remove frameTypes)");
            }
        }

        if (declared.ValueKind != JsonValueKind.Array)
        {
            throw settings.Error("frameTypes", $"must be an array of frame types, found {DecoderSettings.Describe(declared)}");
        }

        var count = declared.GetArrayLength();
        if (count is 0 or > ProfileLimits.MaxPmdFrameTypes)
        {
            throw settings.Error("frameTypes", $"must list from 1 to {ProfileLimits.MaxPmdFrameTypes} frame types, found {count}");
        }

        var result = new PmdFrameType[count];
        for (var i = 0; i < count; i++)
        {
            var path = $"frameTypes[{i}]";
            var item = declared[i];
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw settings.Error(path, $"must be an object {{ \"type\", \"compressed\", \"factor\", \"columns\" }}, found {DecoderSettings.Describe(item)}");
            }

            var entry = new DecoderSettings(item, settings.File, settings.JsonPath + "." + path);
            entry.RejectUnknown(s_frameTypeKeys);
            var type = entry.GetInt32("type", 0, PmdFrameHeader.FrameTypeMask);
            var compressed = entry.GetBoolean("compressed", false);
            var layout = LayoutFor(measurement, type, compressed, out var channels);
            if (layout is null)
            {
                throw entry.Error(entry.Has("compressed") && compressed ? "compressed" : "type",
                    $"{Name(measurement)} frames of {PmdFrameType.Describe(type, compressed)} are not supported; supported: {Supported(measurement)}");
            }

            var factor = (float)entry.GetDouble("factor", 1e-9, 1e9, 1.0);
            if (!compressed && entry.Has("factor"))
            {
                throw entry.Error("factor", "the FACTOR applies to compressed frames only; raw frames already carry their unit (µV, mG) — remove it or set compressed: true");
            }

            for (var j = 0; j < i; j++)
            {
                if (result[j].Type == type && result[j].Compressed == compressed)
                {
                    throw entry.Error("type", $"{PmdFrameType.Describe(type, compressed)} is already declared at frameTypes[{j}]; declare each frame type once");
                }
            }

            var slots = PmdFrameSlots.Of(measurement, layout.GetValueOrDefault());
            result[i] = new PmdFrameType
            {
                Type = type,
                Compressed = compressed,
                Factor = factor,
                Layout = layout.GetValueOrDefault(),
                Channels = channels,
                Columns = ParseColumns(entry, slots, PmdFrameType.Describe(type, compressed)),
            };
        }

        return result;
    }

    private static string[] ParseColumns(DecoderSettings entry, IReadOnlyList<PmdSlot> slots, string label)
    {
        var defaults = string.Join(", ", slots.Select(slot => $"\"{slot.Name}\""));
        if (!entry.TryGet("columns", out var columns))
        {
            throw entry.Error("columns", $"required: the columns this frame type fills, one per sample slot ({label}: [{defaults}])");
        }

        if (columns.ValueKind != JsonValueKind.Array || columns.GetArrayLength() != slots.Count)
        {
            throw entry.Error("columns", $"{label} fills {slots.Count} column(s), one per sample slot ([{defaults}]); found {DecoderSettings.Describe(columns)}" +
                (columns.ValueKind == JsonValueKind.Array ? $" of {columns.GetArrayLength()}" : ""));
        }

        var names = new string[slots.Count];
        for (var k = 0; k < names.Length; k++)
        {
            var value = columns[k];
            var name = value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
            if (!IsColumnName(name))
            {
                throw entry.Error($"columns[{k}]", $"must be a column name (lower snake case, at most {ProfileLimits.MaxColumnNameChars} characters) for slot '{slots[k].Name}', found {DecoderSettings.Describe(value)}");
            }

            if (name is StreamSchema.HubTimeColumn or StreamSchema.DeviceTimeColumn or "rejected" or PolarPmdSchemas.FrameTypeColumn)
            {
                throw entry.Error($"columns[{k}]", $"'{name}' is reserved (hub_time, device_time, rejected, frame_type are added by the hub)");
            }

            if (Array.IndexOf(names, name, 0, k) >= 0)
            {
                throw entry.Error($"columns[{k}]", $"'{name}' is already filled by another slot of {label}; each slot needs its own column");
            }

            names[k] = name;
        }

        return names;
    }

    private static bool IsColumnName(string name)
    {
        if (name.Length is 0 || name.Length > ProfileLimits.MaxColumnNameChars || name[0] is < 'a' or > 'z')
        {
            return false;
        }

        foreach (var c in name)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The layout of (measurement, frame type, compressed), or null when the SDK defines none we decode.</summary>
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
            (PmdMeasurementType.Ecg, 3, false) => PmdFrameLayout.EcgRaw3,
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

    /// <summary>
    /// The frame types this decoder supports per measurement. PPG raw 4, 5, 6, 9 and compressed 7, 8, 10 (status,
    /// gain and sport-id records, and 17–25-channel samples) are not sample layouts of the 4-channel stream; they are
    /// rejected with this list (ADR 0010).
    /// </summary>
    public static string Supported(PmdMeasurementType measurement) => measurement switch
    {
        PmdMeasurementType.Ecg => "raw 0, 1, 2, 3; compressed 0",
        PmdMeasurementType.Acc => "raw 0, 1, 2; compressed 0, 1",
        PmdMeasurementType.Ppg => "raw 0; compressed 0",
        _ => "raw 0",
    };
}
