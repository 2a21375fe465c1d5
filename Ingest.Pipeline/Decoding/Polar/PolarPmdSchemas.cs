using System.Globalization;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding.Polar;

/// <summary>
/// The columns a <c>polar-pmd</c> stream produces. Values are the sensor's integers, losslessly: raw frames are already in
/// µV / mG; for compressed frames the FACTOR (×1000 for ACC compressed type 0, which the SDK documents as G) is the
/// column's <see cref="ColumnSpec.Scale"/> instead of being multiplied in, so no precision is lost to the SDK's
/// <c>(sample × factor).toInt()</c> truncation.
/// <para>
/// A stream that declares several frame types has one fixed schema, the union of the columns they fill (ADR 0010): a
/// column some type does not fill is nullable and null in that type's rows; a column several types fill takes the
/// widest integer type among them and must agree on unit and scale; a <c>frame_type</c> column (uint8, the frame's type
/// byte) says which type each row came from. A single-type stream has exactly that type's columns, never null.
/// </para>
/// </summary>
public static class PolarPmdSchemas
{
    /// <summary>The column naming each row's frame type byte, in streams that declare more than one type.</summary>
    public const string FrameTypeColumn = "frame_type";

    /// <summary>Builds the schema for <paramref name="settings"/>.</summary>
    public static StreamSchema Create(PolarPmdSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Schema;
    }

    /// <summary>
    /// The union schema of <paramref name="frameTypes"/>, or null with the first conflict (a column two types fill with
    /// different units, scales or incompatible types).
    /// </summary>
    public static StreamSchema? Union(PmdMeasurementType measurement, IReadOnlyList<PmdFrameType> frameTypes, out PmdColumnConflict conflict)
    {
        ArgumentNullException.ThrowIfNull(frameTypes);
        conflict = default;
        var columns = new List<ColumnSpec>();
        var fillers = new List<int>();
        for (var t = 0; t < frameTypes.Count; t++)
        {
            var type = frameTypes[t];
            var slots = PmdFrameSlots.Of(measurement, type.Layout);
            for (var k = 0; k < slots.Count; k++)
            {
                var spec = SpecOf(measurement, type, slots[k], type.Columns[k]);
                var index = columns.FindIndex(c => string.Equals(c.Name, spec.Name, StringComparison.Ordinal));
                if (index < 0)
                {
                    columns.Add(spec);
                    fillers.Add(1);
                    continue;
                }

                var existing = columns[index];
                var kind = Wider(existing.Kind, spec.Kind);
                string? problem = null;
                if (kind is null)
                {
                    problem = $"'{spec.Name}' is {existing.TypeName} in an earlier frame type but {spec.TypeName} in {type.Label}; give this slot its own column";
                }
                else if (!string.Equals(existing.Unit, spec.Unit, StringComparison.Ordinal))
                {
                    problem = $"'{spec.Name}' has unit '{existing.Unit}' in an earlier frame type but '{spec.Unit}' in {type.Label}; give this slot its own column";
                }
                else if (Math.Abs(existing.Scale - spec.Scale) > 1e-9 * Math.Max(1.0, Math.Abs(existing.Scale)))
                {
                    problem = $"'{spec.Name}' has scale {existing.Scale.ToString("R", CultureInfo.InvariantCulture)} in an earlier frame type but {spec.Scale.ToString("R", CultureInfo.InvariantCulture)} in {type.Label} (FACTOR); " +
                        "a column has one scale, so give this slot its own column (e.g. a _g suffix) or make the factors agree";
                }

                if (problem is not null)
                {
                    conflict = new PmdColumnConflict(t, k, problem);
                    return null;
                }

                columns[index] = existing with { Kind = kind.GetValueOrDefault() };
                fillers[index]++;
            }
        }

        if (frameTypes.Count > 1)
        {
            for (var i = 0; i < columns.Count; i++)
            {
                columns[i] = columns[i] with { Nullable = fillers[i] < frameTypes.Count };
            }

            columns.Add(new ColumnSpec
            {
                Name = FrameTypeColumn,
                Kind = ColumnKind.UInt8,
                Description = "the frame's type byte: bit 7 compressed, bits 0-6 the type number",
            });
        }

        return new StreamSchema(columns, hasDeviceTime: true);
    }

    private static ColumnSpec SpecOf(PmdMeasurementType measurement, PmdFrameType type, PmdSlot slot, string name)
    {
        var scale = 1.0;
        if (slot.Scaled && type.Compressed)
        {
            scale = type.Factor;

            // AccData.dataFromCompressedType0: "type 0 data arrives in G units, convert to milliG" (factor × 1000).
            if (measurement == PmdMeasurementType.Acc && type.Type == 0)
            {
                scale *= 1000;
            }
        }

        return new ColumnSpec { Name = name, Kind = slot.Kind, Unit = slot.Unit, Scale = scale, Description = slot.Description };
    }

    /// <summary>The wider of two column types when one holds every value of the other (signed integers widen), else null.</summary>
    private static ColumnKind? Wider(ColumnKind a, ColumnKind b)
    {
        if (a == b)
        {
            return a;
        }

        static int SignedRank(ColumnKind kind) => kind switch
        {
            ColumnKind.Int8 => 1,
            ColumnKind.Int16 => 2,
            ColumnKind.Int32 => 3,
            _ => 0,
        };

        var ra = SignedRank(a);
        var rb = SignedRank(b);
        return ra == 0 || rb == 0 ? null : ra > rb ? a : b;
    }
}

/// <summary>Why two declared frame types cannot share a column.</summary>
/// <param name="FrameType">Index in <c>frameTypes</c> of the type that conflicts.</param>
/// <param name="Slot">Its slot.</param>
/// <param name="Problem">The explanation.</param>
public readonly record struct PmdColumnConflict(int FrameType, int Slot, string Problem);
