using System.Globalization;
using System.Text.Json;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Decoding;

/// <summary>
/// A decoder's settings object from a profile stream (<c>"settings": { … }</c>), possibly overridden on the
/// command line. Every getter checks the value against the bounds the decoder names and throws a
/// <see cref="ProfileException"/> that names the file, the JSON path and the problem.
/// </summary>
public sealed class DecoderSettings
{
    private readonly JsonElement _element;

    /// <summary>Wraps <paramref name="element"/> (an object, or undefined for "no settings").</summary>
    public DecoderSettings(JsonElement element, string file, string jsonPath)
    {
        _element = element;
        File = file;
        JsonPath = jsonPath;
        if (element.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            throw new ProfileException(file, jsonPath, $"settings must be an object, found {Describe(element)}");
        }
    }

    /// <summary>Settings with nothing in them.</summary>
    public static DecoderSettings Empty(string file = "command line", string jsonPath = "$.settings") =>
        new(default, file, jsonPath);

    /// <summary>Parses a settings object from JSON text (used for command-line settings).</summary>
    public static DecoderSettings Parse(string json, string file, string jsonPath)
    {
        using var document = JsonDocument.Parse(json);
        return new DecoderSettings(document.RootElement.Clone(), file, jsonPath);
    }

    /// <summary>The file these settings came from.</summary>
    public string File { get; }

    /// <summary>The JSON path of the settings object.</summary>
    public string JsonPath { get; }

    /// <summary>The raw settings object (for decoders with structured settings, e.g. fixed-layout fields).</summary>
    public JsonElement Element => _element;

    /// <summary>True when the setting is present.</summary>
    public bool Has(string name) => TryGet(name, out _);

    /// <summary>Rejects settings whose names are not in <paramref name="known"/> (catches typos such as <c>sampleRate</c>).</summary>
    public void RejectUnknown(params string[] known)
    {
        ArgumentNullException.ThrowIfNull(known);
        if (_element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in _element.EnumerateObject())
        {
            if (Array.IndexOf(known, property.Name) < 0)
            {
                throw Error(property.Name, $"unknown setting '{property.Name}'; this decoder knows: {(known.Length == 0 ? "(none)" : string.Join(", ", known))}");
            }
        }
    }

    /// <summary>A number within [<paramref name="min"/>, <paramref name="max"/>]; required when <paramref name="defaultValue"/> is null.</summary>
    public double GetDouble(string name, double min, double max, double? defaultValue = null)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue ?? throw Error(name, $"required setting '{name}' is missing (a number from {Format(min)} to {Format(max)})");
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw Error(name, $"must be a number, found {Describe(value)}");
        }

        if (number < min || number > max)
        {
            throw Error(name, $"must be from {Format(min)} to {Format(max)}, found {Format(number)}");
        }

        return number;
    }

    /// <summary>A whole number within [<paramref name="min"/>, <paramref name="max"/>]; required when <paramref name="defaultValue"/> is null.</summary>
    public int GetInt32(string name, int min, int max, int? defaultValue = null)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue ?? throw Error(name, $"required setting '{name}' is missing (a whole number from {min} to {max})");
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
        {
            throw Error(name, $"must be a whole number, found {Describe(value)}");
        }

        if (number < min || number > max)
        {
            throw Error(name, $"must be from {min} to {max}, found {number}");
        }

        return (int)number;
    }

    /// <summary>A string, one of <paramref name="allowed"/> when given; required when <paramref name="defaultValue"/> is null.</summary>
    public string GetString(string name, IReadOnlyList<string>? allowed = null, string? defaultValue = null)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue ?? throw Error(name, $"required setting '{name}' is missing" +
                (allowed is null ? "" : $" (one of: {string.Join(", ", allowed)})"));
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(name, $"must be a string, found {Describe(value)}");
        }

        var text = value.GetString()!;
        if (allowed is not null && !allowed.Contains(text, StringComparer.Ordinal))
        {
            throw Error(name, $"'{text}' is not one of: {string.Join(", ", allowed)}");
        }

        return text;
    }

    /// <summary>A boolean; <paramref name="defaultValue"/> when absent.</summary>
    public bool GetBoolean(string name, bool defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(name, $"must be true or false, found {Describe(value)}"),
        };
    }

    /// <summary>The raw value of a setting, if present.</summary>
    public bool TryGet(string name, out JsonElement value)
    {
        value = default;
        return _element.ValueKind == JsonValueKind.Object && _element.TryGetProperty(name, out value);
    }

    /// <summary>An exception naming <paramref name="relativePath"/> below this settings object (e.g. <c>fields[2].type</c>).</summary>
    public ProfileException Error(string relativePath, string problem)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        var path = relativePath.Length == 0 ? JsonPath
            : relativePath[0] == '[' ? JsonPath + relativePath
            : JsonPath + "." + relativePath;
        return new ProfileException(File, path, problem);
    }

    /// <summary>Describes a JSON value for an error message: <c>a string "abc"</c>, <c>the number 3</c>.</summary>
    public static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{value.GetString()}\"",
        JsonValueKind.Number => $"the number {value.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{value.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        JsonValueKind.Object => "an object",
        _ => "nothing",
    };

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
