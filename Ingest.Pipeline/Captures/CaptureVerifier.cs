using System.Text.Json;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Captures;

/// <summary>
/// Compares decoded JSON lines with a capture's expected lines (firmware-profiles/README.md "Expected files"):
/// the keys each expected object names must match; float32 values to 7 significant digits, float64 to 15.
/// </summary>
public static class CaptureVerifier
{
    /// <summary>Differences reported before stopping.</summary>
    public const int MaxReportedDifferences = 10;

    /// <summary>
    /// Returns the differences (empty when the decode matches). Rows and rejection records (objects with a
    /// <c>rejected</c> key) are compared as two sequences, each in order: <c>decode</c> writes them to different places,
    /// and a rejection's <c>line</c> already says where it was.
    /// </summary>
    public static IReadOnlyList<string> Compare(StreamSchema schema, IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var differences = new List<string>();
        var expectedLines = expected.Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        var actualLines = actual.Where(l => !string.IsNullOrWhiteSpace(l)).ToList();
        CompareInOrder(schema, [.. expectedLines.Where(l => !IsRejection(l))], [.. actualLines.Where(l => !IsRejection(l))],
            "output line", differences);
        CompareInOrder(schema, [.. expectedLines.Where(IsRejection)], [.. actualLines.Where(IsRejection)],
            "rejection record", differences);
        return differences;
    }

    private static bool IsRejection(string line)
    {
        using var document = JsonDocument.Parse(line);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("rejected", out _);
    }

    private static void CompareInOrder(StreamSchema schema, List<string> expectedLines, List<string> actualLines, string what, List<string> differences)
    {
        var count = Math.Min(expectedLines.Count, actualLines.Count);
        for (var i = 0; i < count && differences.Count < MaxReportedDifferences; i++)
        {
            using var want = JsonDocument.Parse(expectedLines[i]);
            using var got = JsonDocument.Parse(actualLines[i]);
            foreach (var property in want.RootElement.EnumerateObject())
            {
                if (!got.RootElement.TryGetProperty(property.Name, out var value))
                {
                    differences.Add($"{what} {i + 1}: expected key '{property.Name}' is missing in {actualLines[i]}");
                    continue;
                }

                var kind = KindOf(schema, property.Name);
                if (!ValuesEqual(property.Value, value, kind))
                {
                    differences.Add($"{what} {i + 1}: '{property.Name}' expected {property.Value.GetRawText()} but decoded {value.GetRawText()}");
                }
            }
        }

        if (expectedLines.Count != actualLines.Count && differences.Count < MaxReportedDifferences)
        {
            differences.Add($"expected {expectedLines.Count} {what}(s) but decoding gave {actualLines.Count}");
        }
    }

    private static ColumnKind? KindOf(StreamSchema schema, string name)
    {
        var index = schema.IndexOf(name);
        if (index < 0)
        {
            return null;
        }

        var column = schema.Columns[index];
        return column.Kind == ColumnKind.List ? column.ElementKind : column.Kind;
    }

    private static bool ValuesEqual(JsonElement want, JsonElement got, ColumnKind? kind)
    {
        if (want.ValueKind == JsonValueKind.Number && got.ValueKind == JsonValueKind.Number)
        {
            if (kind is ColumnKind.Float32 or ColumnKind.Float64)
            {
                var tolerance = kind == ColumnKind.Float32 ? 1e-6 : 1e-14;
                var a = want.GetDouble();
                var b = got.GetDouble();
                return Math.Abs(a - b) <= tolerance * Math.Max(Math.Abs(a), Math.Abs(b)) || a == b;
            }

            return want.TryGetDecimal(out var x) && got.TryGetDecimal(out var y)
                ? x == y
                : string.Equals(want.GetRawText(), got.GetRawText(), StringComparison.Ordinal);
        }

        if (want.ValueKind == JsonValueKind.Array && got.ValueKind == JsonValueKind.Array)
        {
            if (want.GetArrayLength() != got.GetArrayLength())
            {
                return false;
            }

            using var left = want.EnumerateArray();
            using var right = got.EnumerateArray();
            while (left.MoveNext() && right.MoveNext())
            {
                if (!ValuesEqual(left.Current, right.Current, kind))
                {
                    return false;
                }
            }

            return true;
        }

        if (want.ValueKind == JsonValueKind.String && got.ValueKind == JsonValueKind.String)
        {
            return string.Equals(want.GetString(), got.GetString(), StringComparison.Ordinal);
        }

        return want.ValueKind == got.ValueKind
            && (want.ValueKind is JsonValueKind.Null or JsonValueKind.True or JsonValueKind.False
                || string.Equals(want.GetRawText(), got.GetRawText(), StringComparison.Ordinal));
    }
}
