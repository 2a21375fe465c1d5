using System.Globalization;
using System.Text.Json;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding.FixedLayout;

/// <summary>
/// Reads a <c>fixed-layout</c> settings object, validates it completely and compiles it to a
/// <see cref="FixedLayoutProgram"/>. Every problem throws through <see cref="DecoderSettings.Error"/> naming the JSON
/// path (e.g. <c>fields[3].type: unknown wire type 'u12'; use one of …</c>). Settings:
/// <code>
/// {
///   "fields": [                                   // read once per frame, in order
///     { "name": "flags", "type": "u8", "flags": true },
///     { "name": "temperature", "type": "i16le", "column": "float32", "unit": "Cel", "scale": 0.01,
///       "presentIf": { "field": "flags", "mask": 1 } },
///     { "name": "count", "type": "u8" }           // no "column": read but not output
///   ],
///   "samples": {                                  // optional repeated group: one row per repetition
///     "count": "count",                           // a header field holding the repetitions; omit to repeat to the end
///     "sampleRateHz": 52,                         // optional: spreads hub_time back from the receive time
///     "fields": [ { "name": "x", "type": "i16", "column": "int16", "unit": "mg" } ]
///   }
/// }
/// </code>
/// Field keys: <c>name</c> (lower snake case, unique), <c>type</c> (wire type), <c>column</c> (output type; omit to
/// not output the field), <c>unit</c>, <c>scale</c>, <c>offset</c>, <c>description</c>, <c>flags</c> (true marks a
/// flags field conditions may test), <c>presentIf</c> (<c>{ "field", "mask" }</c>: present only when
/// <c>(flags &amp; mask) != 0</c>; absent values are nulls). Integer columns must hold every wire value (checked
/// here, so decoding never range-checks) and keep raw integers with scale/offset as metadata; float columns store
/// <c>raw × scale + offset</c>.
/// </summary>
public static class FixedLayoutCompiler
{
    private static readonly string[] s_topKeys = ["fields", "samples"];
    private static readonly string[] s_fieldKeys = ["name", "type", "column", "unit", "scale", "offset", "description", "flags", "presentIf"];
    private static readonly string[] s_groupKeys = ["fields", "count", "sampleRateHz"];
    private static readonly string[] s_conditionKeys = ["field", "mask"];
    private static readonly string[] s_reservedNames = [StreamSchema.HubTimeColumn, StreamSchema.DeviceTimeColumn, "rejected"];

    /// <summary>Compiles the layout described by <paramref name="settings"/>.</summary>
    public static FixedLayoutProgram Compile(DecoderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.RejectUnknown(s_topKeys);
        var state = new State(settings);
        state.CollectNames("fields");
        if (settings.TryGet("samples", out var samplesForNames) && samplesForNames.ValueKind == JsonValueKind.Object
            && samplesForNames.TryGetProperty("fields", out var groupForNames))
        {
            state.CollectNames("samples.fields", groupForNames);
        }

        var header = Array.Empty<FixedLayoutInstruction>();
        if (settings.TryGet("fields", out var fields))
        {
            header = state.CompileFields(fields, "fields", groupStart: -1);
        }

        var group = Array.Empty<FixedLayoutInstruction>();
        var hasGroup = false;
        var countRegister = -1;
        var sampleRate = 0.0;
        if (settings.TryGet("samples", out var samples))
        {
            if (samples.ValueKind != JsonValueKind.Object)
            {
                throw settings.Error("samples", $"must be an object with \"fields\" (and optionally \"count\", \"sampleRateHz\"), found {DecoderSettings.Describe(samples)}");
            }

            foreach (var property in samples.EnumerateObject())
            {
                if (Array.IndexOf(s_groupKeys, property.Name) < 0)
                {
                    throw settings.Error($"samples.{property.Name}", $"unknown key '{property.Name}'; a sample group knows: {string.Join(", ", s_groupKeys)}");
                }
            }

            if (!samples.TryGetProperty("fields", out var groupFields) || groupFields.ValueKind != JsonValueKind.Array || groupFields.GetArrayLength() == 0)
            {
                throw settings.Error("samples.fields", "a repeated sample group needs at least one field");
            }

            hasGroup = true;
            group = state.CompileFields(groupFields, "samples.fields", groupStart: header.Length);
            if (samples.TryGetProperty("count", out var count))
            {
                countRegister = state.ResolveCount(count, header);
            }
            else if (!HasUnconditional(group))
            {
                throw settings.Error("samples.fields", "a group repeated to the end of the frame needs at least one field that is always present, or it could repeat without reading a byte");
            }

            if (samples.TryGetProperty("sampleRateHz", out var rate))
            {
                if (rate.ValueKind != JsonValueKind.Number || !rate.TryGetDouble(out sampleRate) || !(sampleRate > 0) || sampleRate > DecodeLimits.MaxSampleRateHz)
                {
                    throw settings.Error("samples.sampleRateHz", $"must be a number above 0 and at most {DecodeLimits.MaxSampleRateHz.ToString(CultureInfo.InvariantCulture)}, found {DecoderSettings.Describe(rate)}");
                }
            }
        }
        else if (header.Length == 0)
        {
            throw settings.Error("", "a fixed layout needs \"fields\", a \"samples\" group, or both");
        }

        if (state.Columns.Count == 0)
        {
            throw settings.Error("fields", "the layout outputs no column: give at least one field a \"column\" type");
        }

        return new FixedLayoutProgram(header, group, hasGroup, countRegister, sampleRate, new StreamSchema(state.Columns, hasDeviceTime: false));
    }

    private static bool HasUnconditional(FixedLayoutInstruction[] fields)
    {
        foreach (var field in fields)
        {
            if (field.ConditionRegister < 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when every value of the integer wire type fits the integer column kind.</summary>
    private static bool Holds(ColumnKind column, FixedWireType wire)
    {
        var wireBits = FixedWireTypes.Size(wire) * 8;
        var wireSigned = FixedWireTypes.IsSigned(wire);
        var (columnBits, columnSigned) = column switch
        {
            ColumnKind.Int8 => (8, true),
            ColumnKind.Int16 => (16, true),
            ColumnKind.Int32 => (32, true),
            ColumnKind.Int64 => (64, true),
            ColumnKind.UInt8 => (8, false),
            ColumnKind.UInt16 => (16, false),
            ColumnKind.UInt32 => (32, false),
            _ => (64, false),
        };
        return wireSigned
            ? columnSigned && columnBits >= wireBits
            : columnSigned ? columnBits > wireBits : columnBits >= wireBits;
    }

    private sealed class State(DecoderSettings settings)
    {
        private readonly Dictionary<string, (string Path, int Register, bool Flags, FixedWireType Type, bool Conditional, bool InGroup)> _names = new(StringComparer.Ordinal);

        // Every declared name and where, so a condition on a later field can say where that field is.
        private readonly Dictionary<string, string> _declared = new(StringComparer.Ordinal);

        public List<ColumnSpec> Columns { get; } = [];

        public void CollectNames(string path)
        {
            if (settings.TryGet(path, out var fields))
            {
                CollectNames(path, fields);
            }
        }

        public void CollectNames(string path, JsonElement fields)
        {
            if (fields.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            var index = 0;
            foreach (var field in fields.EnumerateArray())
            {
                if (field.ValueKind == JsonValueKind.Object && field.TryGetProperty("name", out var name)
                    && name.ValueKind == JsonValueKind.String)
                {
                    _declared.TryAdd(name.GetString()!, $"{path}[{index}]");
                }

                index++;
            }
        }

        public FixedLayoutInstruction[] CompileFields(JsonElement fields, string path, int groupStart)
        {
            if (fields.ValueKind != JsonValueKind.Array)
            {
                throw settings.Error(path, $"must be an array of field objects, found {DecoderSettings.Describe(fields)}");
            }

            var result = new FixedLayoutInstruction[fields.GetArrayLength()];
            var index = 0;
            foreach (var field in fields.EnumerateArray())
            {
                var register = (groupStart < 0 ? 0 : groupStart) + index;
                result[index] = CompileField(field, $"{path}[{index}]", register, groupStart >= 0);
                index++;
            }

            return result;
        }

        public int ResolveCount(JsonElement count, FixedLayoutInstruction[] header)
        {
            if (count.ValueKind != JsonValueKind.String)
            {
                throw settings.Error("samples.count", $"must name a header field holding the number of repetitions, found {DecoderSettings.Describe(count)}");
            }

            var name = count.GetString()!;
            if (!_names.TryGetValue(name, out var target) || target.InGroup)
            {
                throw settings.Error("samples.count", $"'{name}' is not a field of \"fields\" (the count must be read before the group)");
            }

            if (FixedWireTypes.IsFloat(target.Type) || FixedWireTypes.IsSigned(target.Type))
            {
                throw settings.Error("samples.count", $"'{name}' ({target.Path}) must be an unsigned integer to count repetitions");
            }

            if (target.Conditional)
            {
                throw settings.Error("samples.count", $"'{name}' ({target.Path}) is conditional; the count must always be present");
            }

            return header[target.Register].Register;
        }

        private FixedLayoutInstruction CompileField(JsonElement field, string path, int register, bool inGroup)
        {
            if (field.ValueKind != JsonValueKind.Object)
            {
                throw settings.Error(path, $"must be a field object with \"name\" and \"type\", found {DecoderSettings.Describe(field)}");
            }

            foreach (var property in field.EnumerateObject())
            {
                if (Array.IndexOf(s_fieldKeys, property.Name) < 0)
                {
                    throw settings.Error($"{path}.{property.Name}", $"unknown key '{property.Name}'; a field knows: {string.Join(", ", s_fieldKeys)}");
                }
            }

            var name = RequiredString(field, path, "name");
            if (!IsSnakeCase(name))
            {
                throw settings.Error($"{path}.name", $"'{name}' must be lower snake case (a–z, 0–9, _; starting with a letter)");
            }

            if (Array.IndexOf(s_reservedNames, name) >= 0)
            {
                throw settings.Error($"{path}.name", $"'{name}' is reserved for the stream's own columns");
            }

            if (_names.TryGetValue(name, out var existing))
            {
                throw settings.Error($"{path}.name", $"duplicate name '{name}' (also {existing.Path})");
            }

            var typeText = RequiredString(field, path, "type");
            if (!FixedWireTypes.TryParse(typeText, out var wireType, out var bigEndian))
            {
                throw settings.Error($"{path}.type", $"unknown wire type '{typeText}'; use one of {FixedWireTypes.AcceptedNames}");
            }

            var isFlags = false;
            if (field.TryGetProperty("flags", out var flags))
            {
                if (flags.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw settings.Error($"{path}.flags", $"must be true or false, found {DecoderSettings.Describe(flags)}");
                }

                isFlags = flags.ValueKind == JsonValueKind.True;
                if (isFlags && (FixedWireTypes.IsFloat(wireType) || FixedWireTypes.IsSigned(wireType)))
                {
                    throw settings.Error($"{path}.flags", $"a flags field must be an unsigned integer, not {typeText}");
                }
            }

            var conditionRegister = -1;
            var mask = 0UL;
            if (field.TryGetProperty("presentIf", out var condition))
            {
                if (isFlags)
                {
                    throw settings.Error($"{path}.presentIf", "a flags field must always be present");
                }

                (conditionRegister, mask) = CompileCondition(condition, $"{path}.presentIf", name, inGroup);
            }

            var column = -1;
            var kind = default(ColumnKind);
            var scale = 1.0;
            var offset = 0.0;
            if (field.TryGetProperty("column", out var columnType))
            {
                kind = CompileColumnKind(columnType, $"{path}.column", wireType, typeText);
                scale = OptionalNumber(field, path, "scale", 1.0);
                if (scale == 0)
                {
                    throw settings.Error($"{path}.scale", "must not be 0");
                }

                offset = OptionalNumber(field, path, "offset", 0.0);
                var isFloatColumn = kind is ColumnKind.Float32 or ColumnKind.Float64;
                column = Columns.Count;
                Columns.Add(new ColumnSpec
                {
                    Name = name,
                    Kind = kind,
                    Unit = OptionalString(field, path, "unit"),
                    Scale = isFloatColumn ? 1.0 : scale,
                    Offset = isFloatColumn ? 0.0 : offset,
                    Nullable = conditionRegister >= 0,
                    Description = OptionalString(field, path, "description"),
                });
            }
            else
            {
                foreach (var key in (ReadOnlySpan<string>)["unit", "scale", "offset"])
                {
                    if (field.TryGetProperty(key, out _))
                    {
                        throw settings.Error($"{path}.{key}", $"'{key}' applies to an output column; add \"column\" or remove it");
                    }
                }
            }

            _names.Add(name, (path, register, isFlags, wireType, conditionRegister >= 0, inGroup));
            return new FixedLayoutInstruction
            {
                Name = name,
                WireType = wireType,
                Size = FixedWireTypes.Size(wireType),
                BigEndian = bigEndian,
                Register = register,
                Column = column,
                ColumnKind = kind,
                ConditionRegister = conditionRegister,
                ConditionMask = mask,
                Scale = scale,
                Offset = offset,
            };
        }

        private (int Register, ulong Mask) CompileCondition(JsonElement condition, string path, string name, bool inGroup)
        {
            if (condition.ValueKind != JsonValueKind.Object)
            {
                throw settings.Error(path, $"must be {{ \"field\": <flags field>, \"mask\": <bits> }}, found {DecoderSettings.Describe(condition)}");
            }

            foreach (var property in condition.EnumerateObject())
            {
                if (Array.IndexOf(s_conditionKeys, property.Name) < 0)
                {
                    throw settings.Error($"{path}.{property.Name}", $"unknown key '{property.Name}'; a condition knows: field, mask");
                }
            }

            var target = RequiredString(condition, path, "field");
            if (!_names.TryGetValue(target, out var flags))
            {
                throw settings.Error($"{path}.field", _declared.TryGetValue(target, out var later)
                    ? $"'{target}' is declared later ({later}); a condition can only test a flags field declared before '{name}'"
                    : $"no field is named '{target}'; a condition tests a flags field declared before '{name}'");
            }

            if (!flags.Flags)
            {
                throw settings.Error($"{path}.field", $"'{target}' ({flags.Path}) is not a flags field; mark it \"flags\": true");
            }

            if (flags.InGroup && !inGroup)
            {
                throw settings.Error($"{path}.field", $"'{target}' is in the sample group; a header field cannot depend on it");
            }

            if (!condition.TryGetProperty("mask", out var maskElement))
            {
                throw settings.Error($"{path}.mask", "required: the flag bits that make the field present (e.g. 1 or \"0x10\")");
            }

            ulong mask;
            if (maskElement.ValueKind == JsonValueKind.Number && maskElement.TryGetUInt64(out mask))
            {
            }
            else if (maskElement.ValueKind == JsonValueKind.String
                && maskElement.GetString() is { } text
                && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out mask))
            {
            }
            else
            {
                throw settings.Error($"{path}.mask", $"must be a whole number or a hex string such as \"0x10\", found {DecoderSettings.Describe(maskElement)}");
            }

            var width = FixedWireTypes.Size(flags.Type) * 8;
            if (mask == 0 || (width < 64 && (mask >> width) != 0))
            {
                throw settings.Error($"{path}.mask", $"0x{mask:X} selects no bit of the {width}-bit flags field '{target}'");
            }

            return (flags.Register, mask);
        }

        private ColumnKind CompileColumnKind(JsonElement columnType, string path, FixedWireType wireType, string typeText)
        {
            if (columnType.ValueKind != JsonValueKind.String
                || !ColumnKinds.TryParse(columnType.GetString()!, out var kind, out _)
                || kind is ColumnKind.List or ColumnKind.TimestampNs)
            {
                throw settings.Error(path, $"unknown column type {DecoderSettings.Describe(columnType)}; use one of int8, int16, int32, int64, uint8, uint16, uint32, uint64, float32, float64");
            }

            var floatColumn = kind is ColumnKind.Float32 or ColumnKind.Float64;
            if (FixedWireTypes.IsFloat(wireType) && !floatColumn)
            {
                throw settings.Error(path, $"a {typeText} value cannot be stored in {ColumnKinds.ProfileName(kind)}; use float32 or float64");
            }

            if (!floatColumn && !Holds(kind, wireType))
            {
                throw settings.Error(path, $"{ColumnKinds.ProfileName(kind)} cannot hold every {typeText} value; use a wider integer type or a float column");
            }

            return kind;
        }

        private string RequiredString(JsonElement element, string path, string key)
        {
            if (!element.TryGetProperty(key, out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length == 0)
            {
                throw settings.Error($"{path}.{key}", $"required: a non-empty string, found {(value.ValueKind == JsonValueKind.Undefined ? "nothing" : DecoderSettings.Describe(value))}");
            }

            return value.GetString()!;
        }

        private string OptionalString(JsonElement element, string path, string key)
        {
            if (!element.TryGetProperty(key, out var value))
            {
                return "";
            }

            return value.ValueKind == JsonValueKind.String
                ? value.GetString()!
                : throw settings.Error($"{path}.{key}", $"must be a string, found {DecoderSettings.Describe(value)}");
        }

        private double OptionalNumber(JsonElement element, string path, string key, double defaultValue)
        {
            if (!element.TryGetProperty(key, out var value))
            {
                return defaultValue;
            }

            return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var number) && double.IsFinite(number)
                ? number
                : throw settings.Error($"{path}.{key}", $"must be a finite number, found {DecoderSettings.Describe(value)}");
        }

        private static bool IsSnakeCase(string name)
        {
            if (name.Length == 0 || name[0] is < 'a' or > 'z')
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
    }
}
