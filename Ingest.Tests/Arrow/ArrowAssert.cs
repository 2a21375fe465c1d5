using System.Globalization;
using System.Text.Json;
using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>Value-by-value comparisons of read arrays with source values and with apache-arrow JS's canonical dump.</summary>
internal static class ArrowAssert
{
    /// <summary>Every slot of every column equals the source values the batch was written from.</summary>
    public static void BatchEquals(SampleColumn[] expected, ArrowRecordBatch actual)
    {
        Assert.Equal(expected.Length, actual.Columns.Count);
        for (var c = 0; c < expected.Length; c++)
        {
            ColumnEquals(expected[c].Expected, actual.Columns[c]);
        }
    }

    public static void ColumnEquals(object?[] expected, ArrowArray actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var nulls = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            nulls += expected[i] is null ? 1 : 0;
            SlotEquals(expected[i], actual, i);
        }

        if (actual.Type.Id != ArrowTypeId.Null)
        {
            Assert.Equal(nulls, actual.NullCount);
        }
    }

    public static void SlotEquals(object? expected, ArrowArray actual, int i)
    {
        var where = $"column '{actual.Field.Name}' slot {i}";
        if (expected is null)
        {
            Assert.True(actual.IsNull(i), $"{where}: expected null");
            return;
        }

        Assert.False(actual.IsNull(i), $"{where}: unexpected null");
        if (actual.Dictionary is not null)
        {
            Assert.Equal((string)expected, actual.GetString(i));
            return;
        }

        switch (actual.Type.Id)
        {
            case ArrowTypeId.Boolean:
                Assert.Equal((bool)expected, actual.GetBoolean(i));
                break;
            case ArrowTypeId.UInt8 or ArrowTypeId.UInt16 or ArrowTypeId.UInt32 or ArrowTypeId.UInt64:
                Assert.Equal((ulong)expected, actual.GetUInt64(i));
                break;
            case ArrowTypeId.Float16 or ArrowTypeId.Float32 or ArrowTypeId.Float64:
                Assert.True(BitConverter.DoubleToInt64Bits((double)expected) == BitConverter.DoubleToInt64Bits(actual.GetDouble(i)), $"{where}: {expected} vs {actual.GetDouble(i)}");
                break;
            case ArrowTypeId.Utf8:
                Assert.Equal((string)expected, actual.GetString(i));
                break;
            case ArrowTypeId.Binary or ArrowTypeId.FixedSizeBinary:
                Assert.Equal((byte[])expected, actual.GetBytes(i).ToArray());
                break;
            case ArrowTypeId.List or ArrowTypeId.FixedSizeList:
            {
                var items = (object?[])expected;
                var (start, count) = actual.GetListRange(i);
                Assert.Equal(items.Length, count);
                for (var k = 0; k < count; k++)
                {
                    SlotEquals(items[k], actual.Children[0], start + k);
                }

                break;
            }

            case ArrowTypeId.Struct:
            {
                var children = (object?[])expected;
                for (var c = 0; c < children.Length; c++)
                {
                    SlotEquals(children[c], actual.Children[c], i);
                }

                break;
            }

            default:
                Assert.Equal((long)expected, actual.GetInt64(i));
                break;
        }
    }

    /// <summary>The JSON printed by arrow-read.mjs / arrow-write.mjs describes exactly <paramref name="actual"/>.</summary>
    public static void MatchesJs(JsonElement js, ArrowIpcContent actual)
    {
        var schema = js.GetProperty("schema");
        MetadataMatchesJs(schema.GetProperty("metadata"), actual.Schema.Metadata);
        var fields = schema.GetProperty("fields");
        Assert.Equal(fields.GetArrayLength(), actual.Schema.Fields.Count);
        for (var f = 0; f < actual.Schema.Fields.Count; f++)
        {
            FieldMatchesJs(fields[f], actual.Schema.Fields[f]);
        }

        var batches = js.GetProperty("batches");
        Assert.Equal(batches.GetArrayLength(), actual.RecordBatches.Count);
        for (var b = 0; b < actual.RecordBatches.Count; b++)
        {
            var batch = actual.RecordBatches[b];
            Assert.Equal(batches[b].GetProperty("length").GetInt32(), batch.Length);
            var columns = batches[b].GetProperty("columns");
            for (var c = 0; c < batch.Columns.Count; c++)
            {
                for (var i = 0; i < batch.Length; i++)
                {
                    SlotMatchesJs(columns[c][i], batch.Columns[c], i, $"batch {b} column '{batch.Columns[c].Field.Name}' slot {i}");
                }
            }
        }
    }

    private static void MetadataMatchesJs(JsonElement js, IReadOnlyList<KeyValuePair<string, string>> actual)
    {
        var expected = js.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)).ToList();
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    private static void FieldMatchesJs(JsonElement js, ArrowField actual)
    {
        Assert.Equal(js.GetProperty("name").GetString(), actual.Name);
        Assert.Equal(js.GetProperty("nullable").GetBoolean(), actual.IsNullable);
        MetadataMatchesJs(js.GetProperty("metadata"), actual.Metadata);
        var type = js.GetProperty("type");
        if (actual.Dictionary is { } dictionary)
        {
            Assert.Equal("Dictionary", type.GetProperty("id").GetString());
            Assert.Equal(dictionary.Id, type.GetProperty("dictionaryId").GetInt64());
            Assert.Equal(dictionary.IndexType.ByteWidth * 8, type.GetProperty("indexBitWidth").GetInt32());
            Assert.Equal(dictionary.IndexType.IsSignedInteger, type.GetProperty("indexSigned").GetBoolean());
            type = type.GetProperty("valueType");
        }

        TypeMatchesJs(type, actual.Type);
    }

    private static void TypeMatchesJs(JsonElement js, ArrowType actual)
    {
        var id = js.GetProperty("id").GetString();
        switch (actual.Id)
        {
            case >= ArrowTypeId.Int8 and <= ArrowTypeId.UInt64:
                Assert.Equal("Int", id);
                Assert.Equal(actual.ByteWidth * 8, js.GetProperty("bitWidth").GetInt32());
                Assert.Equal(actual.IsSignedInteger, js.GetProperty("isSigned").GetBoolean());
                break;
            case ArrowTypeId.Float16 or ArrowTypeId.Float32 or ArrowTypeId.Float64:
                Assert.Equal("Float", id);
                Assert.Equal(actual.Id - ArrowTypeId.Float16, js.GetProperty("precision").GetInt32());
                break;
            case ArrowTypeId.Timestamp:
                Assert.Equal("Timestamp", id);
                Assert.Equal((int)actual.Unit, js.GetProperty("unit").GetInt32());
                Assert.Equal(actual.TimeZone, js.GetProperty("timezone").GetString());
                break;
            case ArrowTypeId.Date32 or ArrowTypeId.Date64:
                Assert.Equal("Date", id);
                Assert.Equal(actual.Id == ArrowTypeId.Date32 ? 0 : 1, js.GetProperty("unit").GetInt32());
                break;
            case ArrowTypeId.Time32 or ArrowTypeId.Time64:
                Assert.Equal("Time", id);
                Assert.Equal((int)actual.Unit, js.GetProperty("unit").GetInt32());
                Assert.Equal(actual.Id == ArrowTypeId.Time32 ? 32 : 64, js.GetProperty("bitWidth").GetInt32());
                break;
            case ArrowTypeId.Duration:
                Assert.Equal("Duration", id);
                Assert.Equal((int)actual.Unit, js.GetProperty("unit").GetInt32());
                break;
            case ArrowTypeId.FixedSizeBinary:
                Assert.Equal("FixedSizeBinary", id);
                Assert.Equal(actual.FixedSize, js.GetProperty("byteWidth").GetInt32());
                break;
            case ArrowTypeId.FixedSizeList:
                Assert.Equal("FixedSizeList", id);
                Assert.Equal(actual.FixedSize, js.GetProperty("listSize").GetInt32());
                break;
            default:
                Assert.Equal(actual.Id switch
                {
                    ArrowTypeId.Null => "Null",
                    ArrowTypeId.Boolean => "Bool",
                    ArrowTypeId.Utf8 => "Utf8",
                    ArrowTypeId.Binary => "Binary",
                    ArrowTypeId.List => "List",
                    ArrowTypeId.Struct => "Struct",
                    _ => actual.Id.ToString(),
                }, id);
                break;
        }

        var children = js.TryGetProperty("children", out var c) ? c.GetArrayLength() : 0;
        Assert.Equal(children, actual.Children.Count);
        for (var i = 0; i < children; i++)
        {
            FieldMatchesJs(c[i], actual.Children[i]);
        }
    }

    private static void SlotMatchesJs(JsonElement js, ArrowArray actual, int i, string where)
    {
        if (js.ValueKind == JsonValueKind.Null)
        {
            Assert.True(actual.IsNull(i), $"{where}: JS sees null, we do not");
            return;
        }

        Assert.False(actual.IsNull(i), $"{where}: we see null, JS sees {js}");
        if (actual.Dictionary is not null)
        {
            Assert.Equal(js.GetString(), actual.GetString(i));
            return;
        }

        switch (actual.Type.Id)
        {
            case ArrowTypeId.Boolean:
                Assert.Equal(js.GetBoolean(), actual.GetBoolean(i));
                break;
            case ArrowTypeId.Int64:
                Assert.Equal(long.Parse(js.GetString()!, CultureInfo.InvariantCulture), actual.GetInt64(i));
                break;
            case ArrowTypeId.UInt64:
                Assert.Equal(ulong.Parse(js.GetString()!, CultureInfo.InvariantCulture), actual.GetUInt64(i));
                break;
            case >= ArrowTypeId.Int8 and <= ArrowTypeId.UInt32:
                Assert.Equal(js.GetInt64(), actual.GetInt64(i));
                break;
            case ArrowTypeId.Float16 or ArrowTypeId.Float32 or ArrowTypeId.Float64:
            {
                var text = js.GetString()!;
                var value = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
                var ours = actual.GetDouble(i);
                Assert.True(BitConverter.DoubleToInt64Bits(value) == BitConverter.DoubleToInt64Bits(ours) || (double.IsNaN(value) && double.IsNaN(ours)),
                    $"{where}: JS {text}, ours {ours.ToString("R", CultureInfo.InvariantCulture)}");
                break;
            }

            case ArrowTypeId.Utf8:
                Assert.Equal(js.GetString(), actual.GetString(i));
                break;
            case ArrowTypeId.Binary or ArrowTypeId.FixedSizeBinary:
                Assert.Equal(js.GetString(), Convert.ToHexString(actual.GetBytes(i)));
                break;
            case ArrowTypeId.Timestamp or ArrowTypeId.Date32 or ArrowTypeId.Date64 or ArrowTypeId.Time32 or ArrowTypeId.Time64 or ArrowTypeId.Duration:
                Assert.Equal(long.Parse(js.GetString()!, CultureInfo.InvariantCulture), actual.GetInt64(i));
                break;
            case ArrowTypeId.List or ArrowTypeId.FixedSizeList:
            {
                var (start, count) = actual.GetListRange(i);
                Assert.Equal(js.GetArrayLength(), count);
                for (var k = 0; k < count; k++)
                {
                    SlotMatchesJs(js[k], actual.Children[0], start + k, $"{where}[{k}]");
                }

                break;
            }

            case ArrowTypeId.Struct:
                foreach (var child in actual.Children)
                {
                    SlotMatchesJs(js.GetProperty(child.Field.Name), child, i, $"{where}.{child.Field.Name}");
                }

                break;
            default:
                throw new InvalidOperationException($"{where}: no JS comparison for {actual.Type}");
        }
    }
}
