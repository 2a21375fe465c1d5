using Ingest.Arrow.FlatBuffers;

namespace Ingest.Arrow.Ipc;

/// <summary>Parses a Schema FlatBuffers table into an <see cref="ArrowSchema"/>, checking every count, depth and enum (protocols.md §1.4).</summary>
internal static class SchemaReader
{
    public static ArrowSchema Read(FlatBufferTable schema)
    {
        var budget = new StringBudget();
        // Schema.endianness: Little = 0; Big = 1 is not supported (we would have to byte-swap every buffer).
        if (schema.GetInt16(0, Wire.EndiannessLittle) != Wire.EndiannessLittle)
        {
            ThrowHelper.ThrowFormat("big-endian Arrow data is not supported (Schema.endianness = Big)");
        }

        var fieldsVector = schema.GetVector(1, 4, 4, ArrowLimits.MaxFieldCount, "Schema.fields");
        if (!fieldsVector.IsPresent)
        {
            ThrowHelper.ThrowFormat("required Schema.fields is missing");
        }

        var count = 0;
        var fields = new ArrowField[fieldsVector.Count];
        for (var i = 0; i < fields.Length; i++)
        {
            fields[i] = ReadField(fieldsVector.GetTable(i, "Field"), 1, ref count, budget);
        }

        var metadata = ReadMetadata(schema, 2, budget);
        var dictionaryIds = new HashSet<long>();
        CheckDictionaryIds(fields, dictionaryIds);
        return new ArrowSchema(fields, metadata);
    }

    public static KeyValuePair<string, string>[]? ReadMetadata(FlatBufferTable table, int slot, StringBudget budget)
    {
        var vector = table.GetVector(slot, 4, 4, ArrowLimits.MaxCustomMetadataEntries, "custom_metadata");
        if (vector.Count == 0)
        {
            return null;
        }

        var entries = new KeyValuePair<string, string>[vector.Count];
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = vector.GetTable(i, "KeyValue");
            // Arrow C++ rejects a KeyValue without key or value.
            var key = budget.Spend(entry.GetString(0, "KeyValue.key")) ?? ThrowHelper.ThrowFormat<string>("custom_metadata entry without a key");
            var value = budget.Spend(entry.GetString(1, "KeyValue.value")) ?? ThrowHelper.ThrowFormat<string>($"custom_metadata entry '{key}' without a value");
            entries[i] = new(key, value);
        }

        return entries;
    }

    private static void CheckDictionaryIds(IReadOnlyList<ArrowField> fields, HashSet<long> ids)
    {
        foreach (var field in fields)
        {
            if (field.Dictionary is { } dictionary && !ids.Add(dictionary.Id))
            {
                ThrowHelper.ThrowFormat($"dictionary id {dictionary.Id} is used by two fields");
            }

            if (ids.Count > ArrowLimits.MaxDictionaryCount)
            {
                ThrowHelper.ThrowLimit("dictionary field count", ids.Count, ArrowLimits.MaxDictionaryCount);
            }

            CheckDictionaryIds(field.Type.Children, ids);
        }
    }

    private static ArrowField ReadField(FlatBufferTable field, int depth, ref int count, StringBudget budget)
    {
        if (depth > ArrowLimits.MaxNestingDepth)
        {
            ThrowHelper.ThrowLimit("field nesting depth", depth, ArrowLimits.MaxNestingDepth);
        }

        if (++count > ArrowLimits.MaxFieldCount)
        {
            ThrowHelper.ThrowLimit("field count", count, ArrowLimits.MaxFieldCount);
        }

        var name = budget.Spend(field.GetString(0, "Field.name")) ?? string.Empty;
        var nullable = field.GetBool(1);
        var childrenVector = field.GetVector(5, 4, 4, ArrowLimits.MaxFieldCount, "Field.children");
        var children = new ArrowField[childrenVector.Count];
        for (var i = 0; i < children.Length; i++)
        {
            children[i] = ReadField(childrenVector.GetTable(i, "Field"), depth + 1, ref count, budget);
        }

        var typeTag = field.GetByte(2, 0);
        if (typeTag == 0)
        {
            ThrowHelper.ThrowFormat($"field '{name}' has no type (Type NONE)");
        }

        var typeTable = field.GetRequiredTable(3, "Field.type");
        var type = ReadType(typeTag, typeTable, children, name, budget);
        ArrowDictionaryEncoding? dictionary = null;
        if (field.TryGetTable(4, "DictionaryEncoding", out var encoding))
        {
            if (children.Length > 0)
            {
                ThrowHelper.ThrowFormat($"field '{name}': dictionary-encoded nested types are not supported");
            }

            var indexTable = encoding.GetRequiredTable(1, "DictionaryEncoding.indexType");
            var indexType = ReadInt(indexTable, name);
            // dictionaryKind (slot 3): only DenseArray = 0 exists.
            if (encoding.GetInt16(3, 0) != 0)
            {
                ThrowHelper.ThrowFormat($"field '{name}': unknown dictionary kind");
            }

            dictionary = new ArrowDictionaryEncoding(encoding.GetInt64(0, 0), indexType, encoding.GetBool(2));
        }

        var metadata = ReadMetadata(field, 6, budget);
        return new ArrowField(name, type, nullable, metadata, dictionary);
    }

    private static ArrowType ReadType(byte tag, FlatBufferTable table, ArrowField[] children, string name, StringBudget budget)
    {
        var expectedChildren = tag switch
        {
            Wire.TypeList or Wire.TypeFixedSizeList => 1,
            Wire.TypeStruct => -1,
            _ => 0,
        };
        if (expectedChildren >= 0 && children.Length != expectedChildren)
        {
            ThrowHelper.ThrowFormat($"field '{name}' of type tag {tag} has {children.Length} children, {expectedChildren} expected");
        }

        switch (tag)
        {
            case Wire.TypeNull:
                return ArrowType.Null;
            case Wire.TypeBool:
                return ArrowType.Boolean;
            case Wire.TypeInt:
                return ReadInt(table, name);
            case Wire.TypeFloatingPoint:
                return table.GetInt16(0, Wire.PrecisionHalf) switch
                {
                    Wire.PrecisionHalf => ArrowType.Float16,
                    Wire.PrecisionSingle => ArrowType.Float32,
                    Wire.PrecisionDouble => ArrowType.Float64,
                    var p => ThrowHelper.ThrowFormat<ArrowType>($"field '{name}': unknown floating point precision {p}"),
                };
            case Wire.TypeUtf8:
                return ArrowType.Utf8;
            case Wire.TypeBinary:
                return ArrowType.Binary;
            case Wire.TypeFixedSizeBinary:
                return ArrowType.FixedSizeBinary(FixedSize(table.GetInt32(0, 0), name));
            case Wire.TypeDate:
                return table.GetInt16(0, Wire.DateMillisecond) switch
                {
                    Wire.DateDay => ArrowType.Date32,
                    Wire.DateMillisecond => ArrowType.Date64,
                    var u => ThrowHelper.ThrowFormat<ArrowType>($"field '{name}': unknown date unit {u}"),
                };
            case Wire.TypeTime:
            {
                var unit = Unit(table.GetInt16(0, (short)ArrowTimeUnit.Millisecond), name);
                var bitWidth = table.GetInt32(1, 32);
                // C++: time32 is seconds/milliseconds, time64 micro/nanoseconds.
                return (bitWidth, unit) switch
                {
                    (32, ArrowTimeUnit.Second or ArrowTimeUnit.Millisecond) => ArrowType.Time32(unit),
                    (64, ArrowTimeUnit.Microsecond or ArrowTimeUnit.Nanosecond) => ArrowType.Time64(unit),
                    _ => ThrowHelper.ThrowFormat<ArrowType>($"field '{name}': time of {bitWidth} bits in unit {unit} is invalid"),
                };
            }

            case Wire.TypeTimestamp:
                return ArrowType.Timestamp(Unit(table.GetInt16(0, 0), name), budget.Spend(table.GetString(1, "Timestamp.timezone")));
            case Wire.TypeDuration:
                return ArrowType.Duration(Unit(table.GetInt16(0, (short)ArrowTimeUnit.Millisecond), name));
            case Wire.TypeList:
                return ArrowType.List(children[0]);
            case Wire.TypeFixedSizeList:
                return ArrowType.FixedSizeList(children[0], FixedSize(table.GetInt32(0, 0), name));
            case Wire.TypeStruct:
                return ArrowType.Struct(children);
            default:
                return ThrowHelper.ThrowFormat<ArrowType>($"field '{name}': Arrow type {Wire.TypeName(tag)} is not supported by this reader");
        }
    }

    private static ArrowType ReadInt(FlatBufferTable table, string name)
    {
        var signed = table.GetBool(1);
        return table.GetInt32(0, 0) switch
        {
            8 => signed ? ArrowType.Int8 : ArrowType.UInt8,
            16 => signed ? ArrowType.Int16 : ArrowType.UInt16,
            32 => signed ? ArrowType.Int32 : ArrowType.UInt32,
            64 => signed ? ArrowType.Int64 : ArrowType.UInt64,
            var w => ThrowHelper.ThrowFormat<ArrowType>($"field '{name}': integer bit width {w} is invalid"),
        };
    }

    private static ArrowTimeUnit Unit(short value, string name)
    {
        if (value is < 0 or > 3)
        {
            ThrowHelper.ThrowFormat($"field '{name}': unknown time unit {value}");
        }

        return (ArrowTimeUnit)value;
    }

    private static int FixedSize(int value, string name)
    {
        if (value < 1 || value > ArrowLimits.MaxFixedSize)
        {
            ThrowHelper.ThrowFormat($"field '{name}': fixed size {value} is outside 1..{ArrowLimits.MaxFixedSize}");
        }

        return value;
    }
}
