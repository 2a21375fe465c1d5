using System.Globalization;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Arrays;
using Apache.Arrow.Types;

namespace Ingest.Tests.Arrow;

/// <summary>
/// Compares Apache.Arrow schemas and batches with the canonical JSON that Peers/node/arrow-canon.mjs prints for
/// what apache-arrow JS read (or wrote): names, nullability, types, metadata and every value, exactly (floats by
/// bit pattern, 64-bit integers and temporal values as their raw integers).
/// </summary>
internal static class ArrowJsAssert
{
    public static void MatchesJs(JsonElement js, Schema schema, IReadOnlyList<RecordBatch> batches)
    {
        var jsSchema = js.GetProperty("schema");
        MetadataMatches(jsSchema.GetProperty("metadata"), schema.Metadata, "schema metadata");
        var fields = jsSchema.GetProperty("fields");
        Assert.Equal(fields.GetArrayLength(), schema.FieldsList.Count);
        for (var f = 0; f < schema.FieldsList.Count; f++)
        {
            FieldMatches(fields[f], schema.FieldsList[f]);
        }

        var jsBatches = js.GetProperty("batches");
        Assert.Equal(jsBatches.GetArrayLength(), batches.Count);
        for (var b = 0; b < batches.Count; b++)
        {
            var batch = batches[b];
            Assert.Equal(jsBatches[b].GetProperty("length").GetInt32(), batch.Length);
            var columns = jsBatches[b].GetProperty("columns");
            for (var c = 0; c < batch.ColumnCount; c++)
            {
                for (var i = 0; i < batch.Length; i++)
                {
                    SlotMatches(columns[c][i], batch.Column(c), i, $"batch {b} column '{schema.FieldsList[c].Name}' row {i}");
                }
            }
        }
    }

    private static void MetadataMatches(JsonElement js, IReadOnlyDictionary<string, string>? actual, string what)
    {
        var expected = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in js.EnumerateObject())
        {
            expected[property.Name] = property.Value.GetString()!;
        }

        var got = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in actual ?? new Dictionary<string, string>())
        {
            got[key] = value;
        }

        Assert.True(expected.SequenceEqual(got), $"{what}: JS has [{string.Join(", ", expected)}], Apache.Arrow has [{string.Join(", ", got)}]");
    }

    private static void FieldMatches(JsonElement js, Field field)
    {
        Assert.Equal(js.GetProperty("name").GetString(), field.Name);
        Assert.True(js.GetProperty("nullable").GetBoolean() == field.IsNullable, $"field '{field.Name}' nullability");
        MetadataMatches(js.GetProperty("metadata"), field.Metadata, $"field '{field.Name}' metadata");
        TypeMatches(js.GetProperty("type"), field.DataType, field.Name);
    }

    private static void TypeMatches(JsonElement js, IArrowType type, string name)
    {
        var id = js.GetProperty("id").GetString();
        switch (type)
        {
            case DictionaryType dictionary:
                Assert.Equal("Dictionary", id);
                Assert.Equal(((IntegerType)dictionary.IndexType).BitWidth, js.GetProperty("indexBitWidth").GetInt32());
                TypeMatches(js.GetProperty("valueType"), dictionary.ValueType, name);
                return;
            case IntegerType integer:
                Assert.Equal("Int", id);
                Assert.Equal(integer.BitWidth, js.GetProperty("bitWidth").GetInt32());
                Assert.Equal(integer.IsSigned, js.GetProperty("isSigned").GetBoolean());
                return;
            case FloatingPointType floating:
                Assert.Equal("Float", id);
                Assert.Equal((int)floating.Precision, js.GetProperty("precision").GetInt32());
                return;
            case TimestampType timestamp:
                Assert.Equal("Timestamp", id);
                Assert.Equal((int)timestamp.Unit, js.GetProperty("unit").GetInt32());
                Assert.Equal(string.IsNullOrEmpty(timestamp.Timezone) ? null : timestamp.Timezone, js.GetProperty("timezone").GetString());
                return;
            case Date32Type or Date64Type:
                Assert.Equal("Date", id);
                Assert.Equal(type is Date32Type ? 0 : 1, js.GetProperty("unit").GetInt32());
                return;
            case TimeType time:
                Assert.Equal("Time", id);
                Assert.Equal((int)time.Unit, js.GetProperty("unit").GetInt32());
                Assert.Equal(time.BitWidth, js.GetProperty("bitWidth").GetInt32());
                return;
            case ListType list:
                Assert.Equal("List", id);
                FieldMatches(js.GetProperty("children")[0], list.ValueField);
                return;
            case FixedSizeListType fixedList:
                Assert.Equal("FixedSizeList", id);
                Assert.Equal(fixedList.ListSize, js.GetProperty("listSize").GetInt32());
                FieldMatches(js.GetProperty("children")[0], fixedList.ValueField);
                return;
            case StructType structType:
                Assert.Equal("Struct", id);
                for (var i = 0; i < structType.Fields.Count; i++)
                {
                    FieldMatches(js.GetProperty("children")[i], structType.Fields[i]);
                }

                return;
            case FixedSizeBinaryType fixedBinary when type.TypeId == ArrowTypeId.FixedSizedBinary:
                Assert.Equal("FixedSizeBinary", id);
                Assert.Equal(fixedBinary.ByteWidth, js.GetProperty("byteWidth").GetInt32());
                return;
            default:
                var expected = type.TypeId switch
                {
                    ArrowTypeId.String => "Utf8",
                    ArrowTypeId.Binary => "Binary",
                    ArrowTypeId.Boolean => "Bool",
                    ArrowTypeId.Null => "Null",
                    _ => throw new InvalidOperationException($"field '{name}': no JS comparison for {type.Name}"),
                };
                Assert.Equal(expected, id);
                return;
        }
    }

    private static void SlotMatches(JsonElement js, IArrowArray array, int index, string where)
    {
        if (array.IsNull(index))
        {
            Assert.True(js.ValueKind == JsonValueKind.Null, $"{where}: Apache.Arrow null, JS {js}");
            return;
        }

        Assert.True(js.ValueKind != JsonValueKind.Null, $"{where}: JS null, Apache.Arrow has a value");
        switch (array)
        {
            case DictionaryArray dictionary:
                SlotMatches(js, dictionary.Dictionary, checked((int)Integer(dictionary.Indices, index)), where);
                return;
            case BooleanArray booleans:
                Assert.Equal(js.GetBoolean(), booleans.GetValue(index));
                return;
            case FloatArray floats:
                // JS prints every NaN as "NaN", so a NaN's payload bits cannot be compared.
                Assert.True(float.IsNaN(floats.Values[index]) ? double.IsNaN(JsFloat(js)) : BitConverter.SingleToInt32Bits((float)JsFloat(js)) == BitConverter.SingleToInt32Bits(floats.Values[index]),
                    $"{where}: JS {js}, Apache.Arrow {floats.Values[index].ToString("R", CultureInfo.InvariantCulture)}");
                return;
            case DoubleArray doubles:
                Assert.True(double.IsNaN(doubles.Values[index]) ? double.IsNaN(JsFloat(js)) : BitConverter.DoubleToInt64Bits(JsFloat(js)) == BitConverter.DoubleToInt64Bits(doubles.Values[index]),
                    $"{where}: JS {js}, Apache.Arrow {doubles.Values[index].ToString("R", CultureInfo.InvariantCulture)}");
                return;
            case StringArray strings:
                Assert.Equal(js.GetString(), strings.GetString(index));
                return;
            case BinaryArray binary:
                Assert.Equal(js.GetString(), Convert.ToHexString(binary.GetBytes(index)));
                return;
            case FixedSizeBinaryArray fixedBinary:
                Assert.Equal(js.GetString(), Convert.ToHexString(fixedBinary.GetBytes(index)));
                return;
            case ListArray list:
                RangeMatches(js, list.Values, list.ValueOffsets[index], list.GetValueLength(index), where);
                return;
            case FixedSizeListArray fixedList:
            {
                var size = ((FixedSizeListType)fixedList.Data.DataType).ListSize;
                RangeMatches(js, fixedList.Values, (fixedList.Offset + index) * size, size, where);
                return;
            }

            case StructArray structs:
            {
                var fields = ((StructType)structs.Data.DataType).Fields;
                for (var i = 0; i < fields.Count; i++)
                {
                    SlotMatches(js.GetProperty(fields[i].Name), structs.Fields[i], index, $"{where}.{fields[i].Name}");
                }

                return;
            }

            default:
                var raw = Integer(array, index);
                var wide = array.Data.DataType is IntegerType { BitWidth: 64 } || array.Data.DataType is TimestampType or Date32Type or Date64Type or TimeType or DurationType;
                var expected = wide ? js.GetString() : js.GetInt64().ToString(CultureInfo.InvariantCulture);
                var actual = array is UInt64Array u ? u.Values[index].ToString(CultureInfo.InvariantCulture) : raw.ToString(CultureInfo.InvariantCulture);
                Assert.True(expected == actual, $"{where}: JS {js}, Apache.Arrow {actual}");
                return;
        }
    }

    private static void RangeMatches(JsonElement js, IArrowArray values, int start, int count, string where)
    {
        Assert.Equal(count, js.GetArrayLength());
        for (var i = 0; i < count; i++)
        {
            SlotMatches(js[i], values, start + i, $"{where}[{i}]");
        }
    }

    private static double JsFloat(JsonElement js) => js.GetString() switch
    {
        "NaN" => double.NaN,
        "Infinity" => double.PositiveInfinity,
        "-Infinity" => double.NegativeInfinity,
        var text => double.Parse(text!, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    private static long Integer(IArrowArray array, int index) => array switch
    {
        Int8Array a => a.Values[index],
        Int16Array a => a.Values[index],
        Int32Array a => a.Values[index],
        Int64Array a => a.Values[index],
        UInt8Array a => a.Values[index],
        UInt16Array a => a.Values[index],
        UInt32Array a => a.Values[index],
        UInt64Array a => unchecked((long)a.Values[index]),
        TimestampArray a => a.Values[index],
        Date32Array a => a.Values[index],
        Date64Array a => a.Values[index],
        Time32Array a => a.Values[index],
        Time64Array a => a.Values[index],
        DurationArray a => a.Values[index],
        _ => throw new InvalidOperationException($"no JS comparison for {array.Data.DataType.Name}"),
    };
}
