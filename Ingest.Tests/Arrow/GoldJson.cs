using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>
/// Compares what our reader returns with the Arrow integration JSON (archery format) that accompanies
/// each gold file: every slot's validity and every valid slot's value.
/// </summary>
internal static class GoldJson
{
    public static JsonDocument Load(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        return JsonDocument.Parse(gzip);
    }

    public static void AssertContentMatches(JsonElement expected, ArrowIpcContent actual)
    {
        var fields = expected.GetProperty("schema").GetProperty("fields");
        Assert.Equal(fields.GetArrayLength(), actual.Schema.Fields.Count);
        for (var i = 0; i < actual.Schema.Fields.Count; i++)
        {
            AssertFieldMatches(fields[i], actual.Schema.Fields[i]);
        }

        if (expected.GetProperty("schema").TryGetProperty("metadata", out var schemaMetadata))
        {
            AssertMetadataMatches(schemaMetadata, actual.Schema.Metadata);
        }

        var batches = expected.GetProperty("batches");
        Assert.Equal(batches.GetArrayLength(), actual.RecordBatches.Count);
        var dictionaries = new Dictionary<long, JsonElement>();
        if (expected.TryGetProperty("dictionaries", out var dictionaryList))
        {
            foreach (var dictionary in dictionaryList.EnumerateArray())
            {
                dictionaries[dictionary.GetProperty("id").GetInt64()] = dictionary.GetProperty("data").GetProperty("columns")[0];
            }
        }

        for (var b = 0; b < actual.RecordBatches.Count; b++)
        {
            var batch = actual.RecordBatches[b];
            Assert.Equal(batches[b].GetProperty("count").GetInt32(), batch.Length);
            var columns = batches[b].GetProperty("columns");
            for (var c = 0; c < batch.Columns.Count; c++)
            {
                AssertColumnMatches(columns[c], batch.Columns[c], $"batch {b} column {batch.Columns[c].Field.Name}");
                if (batch.Columns[c].Dictionary is { } values)
                {
                    AssertColumnMatches(dictionaries[batch.Columns[c].Field.Dictionary!.Id], values, $"dictionary of {batch.Columns[c].Field.Name}");
                }
            }
        }
    }

    private static void AssertFieldMatches(JsonElement expected, ArrowField actual)
    {
        Assert.Equal(expected.GetProperty("name").GetString(), actual.Name);
        Assert.Equal(expected.GetProperty("nullable").GetBoolean(), actual.IsNullable);
        var type = expected.GetProperty("type");
        var name = type.GetProperty("name").GetString();
        var id = actual.Type.Id;
        switch (name)
        {
            case "int":
                Assert.Equal(type.GetProperty("bitWidth").GetInt32(), actual.Type.ByteWidth * 8);
                Assert.Equal(type.GetProperty("isSigned").GetBoolean(), actual.Type.IsSignedInteger);
                break;
            case "floatingpoint":
                Assert.Equal(type.GetProperty("precision").GetString() switch { "HALF" => ArrowTypeId.Float16, "SINGLE" => ArrowTypeId.Float32, _ => ArrowTypeId.Float64 }, id);
                break;
            case "timestamp":
                Assert.Equal(ArrowTypeId.Timestamp, id);
                Assert.Equal(Unit(type.GetProperty("unit").GetString()!), actual.Type.Unit);
                Assert.Equal(type.TryGetProperty("timezone", out var tz) ? tz.GetString() : null, actual.Type.TimeZone);
                break;
            case "date":
                Assert.Equal(type.GetProperty("unit").GetString() == "DAY" ? ArrowTypeId.Date32 : ArrowTypeId.Date64, id);
                break;
            case "time":
                Assert.Equal(type.GetProperty("bitWidth").GetInt32() == 32 ? ArrowTypeId.Time32 : ArrowTypeId.Time64, id);
                Assert.Equal(Unit(type.GetProperty("unit").GetString()!), actual.Type.Unit);
                break;
            case "fixedsizebinary":
                Assert.Equal(ArrowTypeId.FixedSizeBinary, id);
                Assert.Equal(type.GetProperty("byteWidth").GetInt32(), actual.Type.FixedSize);
                break;
            default:
                Assert.Equal(name switch
                {
                    "bool" => ArrowTypeId.Boolean,
                    "utf8" => ArrowTypeId.Utf8,
                    "binary" => ArrowTypeId.Binary,
                    "null" => ArrowTypeId.Null,
                    "list" => ArrowTypeId.List,
                    "fixedsizelist" => ArrowTypeId.FixedSizeList,
                    "struct" => ArrowTypeId.Struct,
                    _ => throw new InvalidOperationException("unexpected type in gold JSON: " + name),
                }, id);
                break;
        }

        if (expected.TryGetProperty("dictionary", out var dictionary))
        {
            Assert.NotNull(actual.Dictionary);
            Assert.Equal(dictionary.GetProperty("id").GetInt64(), actual.Dictionary!.Id);
            var index = dictionary.GetProperty("indexType");
            Assert.Equal(index.GetProperty("bitWidth").GetInt32(), actual.Dictionary.IndexType.ByteWidth * 8);
            Assert.Equal(index.GetProperty("isSigned").GetBoolean(), actual.Dictionary.IndexType.IsSignedInteger);
            Assert.Equal(dictionary.GetProperty("isOrdered").GetBoolean(), actual.Dictionary.IsOrdered);
        }
        else
        {
            Assert.Null(actual.Dictionary);
        }

        if (expected.TryGetProperty("metadata", out var metadata))
        {
            AssertMetadataMatches(metadata, actual.Metadata);
        }
        else
        {
            Assert.Empty(actual.Metadata);
        }

        var children = expected.TryGetProperty("children", out var c) ? c.GetArrayLength() : 0;
        Assert.Equal(children, actual.Type.Children.Count);
        for (var i = 0; i < children; i++)
        {
            AssertFieldMatches(c[i], actual.Type.Children[i]);
        }
    }

    private static void AssertMetadataMatches(JsonElement expected, IReadOnlyList<KeyValuePair<string, string>> actual)
    {
        Assert.Equal(expected.GetArrayLength(), actual.Count);
        for (var i = 0; i < actual.Count; i++)
        {
            Assert.Equal(expected[i].GetProperty("key").GetString(), actual[i].Key);
            Assert.Equal(expected[i].GetProperty("value").GetString(), actual[i].Value);
        }
    }

    public static void AssertColumnMatches(JsonElement expected, ArrowArray actual, string where)
    {
        var count = expected.GetProperty("count").GetInt32();
        Assert.True(count == actual.Length, $"{where}: length {actual.Length}, expected {count}");
        if (actual.Type.Id == ArrowTypeId.Null && actual.Dictionary is null)
        {
            for (var i = 0; i < count; i++)
            {
                Assert.True(actual.IsNull(i));
            }

            return;
        }

        var validity = expected.GetProperty("VALIDITY");
        var nulls = 0;
        for (var i = 0; i < count; i++)
        {
            var valid = validity[i].GetInt32() == 1;
            nulls += valid ? 0 : 1;
            Assert.True(valid == !actual.IsNull(i), $"{where}: slot {i} validity");
        }

        Assert.Equal(nulls, actual.NullCount);
        expected.TryGetProperty("DATA", out var data);
        for (var i = 0; i < count; i++)
        {
            if (!actual.IsNull(i) && data.ValueKind == JsonValueKind.Array)
            {
                AssertValueMatches(data[i], actual, i, where);
            }
        }

        if (actual.Type.Id == ArrowTypeId.List)
        {
            var offsets = expected.GetProperty("OFFSET");
            for (var i = 0; i < count; i++)
            {
                var (start, length) = actual.GetListRange(i);
                Assert.Equal(offsets[i].GetInt32(), start);
                Assert.Equal(offsets[i + 1].GetInt32() - offsets[i].GetInt32(), length);
            }
        }

        if (expected.TryGetProperty("children", out var children))
        {
            Assert.Equal(children.GetArrayLength(), actual.Children.Count);
            for (var i = 0; i < actual.Children.Count; i++)
            {
                AssertColumnMatches(children[i], actual.Children[i], where + "." + actual.Children[i].Field.Name);
            }
        }
    }

    private static void AssertValueMatches(JsonElement expected, ArrowArray actual, int i, string where)
    {
        var message = $"{where}: slot {i}";
        if (actual.Dictionary is not null)
        {
            Assert.True(expected.GetInt64() == actual.GetDictionaryIndex(i), message);
            return;
        }

        switch (actual.Type.Id)
        {
            case ArrowTypeId.Boolean:
                Assert.True(expected.GetBoolean() == actual.GetBoolean(i), message);
                break;
            case ArrowTypeId.UInt64:
                Assert.True(ulong.Parse(expected.GetString()!, CultureInfo.InvariantCulture) == actual.GetUInt64(i), message);
                break;
            case ArrowTypeId.Int64 or ArrowTypeId.Date64 or ArrowTypeId.Time64 or ArrowTypeId.Timestamp or ArrowTypeId.Duration:
                Assert.True(long.Parse(expected.GetString()!, CultureInfo.InvariantCulture) == actual.GetInt64(i), message);
                break;
            case >= ArrowTypeId.Int8 and <= ArrowTypeId.UInt32 or ArrowTypeId.Date32 or ArrowTypeId.Time32:
                Assert.True(expected.GetInt64() == actual.GetInt64(i), message);
                break;
            case ArrowTypeId.Float32 or ArrowTypeId.Float16:
                Assert.True((float)expected.GetDouble() == (float)actual.GetDouble(i), $"{message}: {expected} vs {actual.GetDouble(i)}");
                break;
            case ArrowTypeId.Float64:
                Assert.True(Math.Abs(expected.GetDouble() - actual.GetDouble(i)) <= 1e-9 * Math.Max(1, Math.Abs(expected.GetDouble())), message);
                break;
            case ArrowTypeId.Utf8:
                Assert.True(expected.GetString() == actual.GetString(i), message);
                break;
            case ArrowTypeId.Binary or ArrowTypeId.FixedSizeBinary:
                Assert.True(expected.GetString() == Convert.ToHexString(actual.GetBytes(i)), message);
                break;
            default:
                throw new InvalidOperationException($"{message}: no comparison for {actual.Type}");
        }
    }

    private static ArrowTimeUnit Unit(string unit) => unit switch
    {
        "SECOND" => ArrowTimeUnit.Second,
        "MILLISECOND" => ArrowTimeUnit.Millisecond,
        "MICROSECOND" => ArrowTimeUnit.Microsecond,
        _ => ArrowTimeUnit.Nanosecond,
    };
}
