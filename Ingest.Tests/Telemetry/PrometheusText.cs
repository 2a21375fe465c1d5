using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ingest.Tests.Telemetry;

/// <summary>One sample of a scrape: metric name, labels, value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    public string Label(string name) => Labels.TryGetValue(name, out var value) ? value : throw new KeyNotFoundException($"{Name} has no label {name}: {string.Join(",", Labels)}");
}

/// <summary>
/// A strict parser of Prometheus' text exposition format 0.0.4 (prometheus.io/docs/instrumenting/exposition_formats):
/// <c># HELP</c> and <c># TYPE</c> at most once per family and before its samples, sample names belonging to a declared
/// family (histograms: <c>_bucket</c>/<c>_sum</c>/<c>_count</c>), valid metric and label names, escaped label values,
/// float values, no duplicate series. Anything else throws <see cref="FormatException"/> naming the line.
/// </summary>
internal static partial class PrometheusText
{
    private static readonly HashSet<string> s_types = new(StringComparer.Ordinal) { "counter", "gauge", "histogram", "summary", "untyped" };

    /// <summary>The families' types by name, and every sample.</summary>
    public static (IReadOnlyDictionary<string, string> Types, IReadOnlyList<PrometheusSample> Samples) Parse(string text)
    {
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var helps = new HashSet<string>(StringComparer.Ordinal);
        var withSamples = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        var samples = new List<PrometheusSample>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts is ["#", "TYPE", var name, var type])
                {
                    Check(MetricName().IsMatch(name), lineNumber, line, "bad metric name");
                    Check(s_types.Contains(type), lineNumber, line, "unknown type");
                    Check(types.TryAdd(name, type), lineNumber, line, "second TYPE for the family");
                    Check(!withSamples.Contains(name), lineNumber, line, "TYPE after the family's samples");
                }
                else if (parts is ["#", "HELP", var helped, ..])
                {
                    Check(MetricName().IsMatch(helped), lineNumber, line, "bad metric name");
                    Check(helps.Add(helped), lineNumber, line, "second HELP for the family");
                }

                // Other comments are allowed and ignored.
                continue;
            }

            var sample = ParseSample(line, lineNumber);
            var family = FamilyOf(sample.Name, types);
            Check(family is not null, lineNumber, line, "sample of a family without a TYPE");
            withSamples.Add(family!);
            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(static l => l.Key, StringComparer.Ordinal).Select(static l => l.Key + "=" + l.Value)) + "}";
            Check(series.Add(key), lineNumber, line, "duplicate series");
            samples.Add(sample);
        }

        return (types, samples);
    }

    private static string? FamilyOf(string name, Dictionary<string, string> types)
    {
        if (types.ContainsKey(name))
        {
            return name;
        }

        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && types.TryGetValue(name[..^suffix.Length], out var type) && type is "histogram" or "summary")
            {
                return name[..^suffix.Length];
            }
        }

        return null;
    }

    private static PrometheusSample ParseSample(string line, int lineNumber)
    {
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
        {
            i++;
        }

        var name = line[..i];
        Check(MetricName().IsMatch(name), lineNumber, line, "bad metric name");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (line[i] != '=')
                {
                    i++;
                }

                var label = line[start..i];
                Check(LabelName().IsMatch(label), lineNumber, line, $"bad label name '{label}'");
                Check(line[i + 1] == '"', lineNumber, line, "label value not quoted");
                i += 2;
                var value = new StringBuilder();
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        i++;
                        value.Append(line[i] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"line {lineNumber}: bad escape in '{line}'"),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                i++;
                Check(labels.TryAdd(label, value.ToString()), lineNumber, line, $"label {label} twice");
                if (line[i] == ',')
                {
                    i++;
                }
                else
                {
                    Check(line[i] == '}', lineNumber, line, "expected , or }");
                }
            }

            i++;
        }

        Check(i < line.Length && line[i] == ' ', lineNumber, line, "no space before the value");
        var rest = line[(i + 1)..].Split(' ');
        Check(rest.Length is 1 or 2, lineNumber, line, "expected a value and an optional timestamp");
        var number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            _ => throw new FormatException($"line {lineNumber}: bad value in '{line}'"),
        };
        if (rest.Length == 2)
        {
            Check(long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _), lineNumber, line, "bad timestamp");
        }

        return new PrometheusSample(name, labels, number);
    }

    private static void Check(bool condition, int lineNumber, string line, string problem)
    {
        if (!condition)
        {
            throw new FormatException($"line {lineNumber}: {problem}: '{line}'");
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
