using System.Text.Json;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Profiles;

/// <summary>
/// Reads one JSON object of a profile, naming the exact JSON path in every error and rejecting keys it
/// was not asked about (so a typo such as <c>nominalRate</c> is an error, not a silently ignored key).
/// </summary>
internal sealed class JsonObjectReader
{
    private readonly JsonElement _element;
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public JsonObjectReader(JsonElement element, string file, string path)
    {
        File = file;
        Path = path;
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new ProfileException(file, path, $"must be an object, found {DecoderSettings.Describe(element)}");
        }

        _element = element;
    }

    public string File { get; }

    public string Path { get; }

    public string Child(string name) => Path + "." + name;

    public ProfileException Error(string name, string problem) => new(File, name.Length == 0 ? Path : Child(name), problem);

    public bool TryGet(string name, out JsonElement value)
    {
        _read.Add(name);
        return _element.TryGetProperty(name, out value) && value.ValueKind != JsonValueKind.Null;
    }

    public bool IsExplicitNull(string name) =>
        _element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Null;

    public JsonElement Required(string name, string what)
    {
        if (!TryGet(name, out var value))
        {
            throw Error(name, $"required: {what}");
        }

        return value;
    }

    public string RequiredString(string name, string what)
    {
        var value = Required(name, what);
        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw Error(name, $"must be a non-empty string ({what}), found {DecoderSettings.Describe(value)}");
        }

        return value.GetString()!;
    }

    public string OptionalString(string name)
    {
        if (!TryGet(name, out var value))
        {
            return "";
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw Error(name, $"must be a string, found {DecoderSettings.Describe(value)}");
        }

        return value.GetString()!;
    }

    public double? OptionalNumber(string name, double min, double max)
    {
        if (!TryGet(name, out var value))
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || !double.IsFinite(number))
        {
            throw Error(name, $"must be a number, found {DecoderSettings.Describe(value)}");
        }

        if (number < min || number > max)
        {
            throw Error(name, $"must be from {min} to {max}, found {number}");
        }

        return number;
    }

    public bool OptionalBoolean(string name, bool defaultValue)
    {
        if (!TryGet(name, out var value))
        {
            return defaultValue;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw Error(name, $"must be true or false, found {DecoderSettings.Describe(value)}"),
        };
    }

    /// <summary>An optional array's items (empty when absent), at most <paramref name="maxItems"/>.</summary>
    public JsonElement[] OptionalArray(string name, int maxItems)
    {
        if (!TryGet(name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Error(name, $"must be an array, found {DecoderSettings.Describe(value)}");
        }

        var length = value.GetArrayLength();
        if (length > maxItems)
        {
            throw Error(name, $"has {length} items; at most {maxItems} are allowed");
        }

        return [.. value.EnumerateArray()];
    }

    /// <summary>Throws for the first key nobody asked about.</summary>
    public void RejectUnknown(params string[] alsoAllowed)
    {
        foreach (var property in _element.EnumerateObject())
        {
            if (!_read.Contains(property.Name) && Array.IndexOf(alsoAllowed, property.Name) < 0)
            {
                throw Error(property.Name, $"unknown key '{property.Name}'; expected one of: {string.Join(", ", _read.Concat(alsoAllowed))}");
            }
        }
    }
}
