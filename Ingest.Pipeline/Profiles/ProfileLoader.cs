using System.Globalization;
using System.Text.Unicode;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;

namespace Ingest.Pipeline.Profiles;

/// <summary>
/// Loads firmware profiles (firmware-profiles/README.md) and checks every part of them before use. The first
/// problem found throws a <see cref="ProfileException"/> naming the file, the JSON path and the problem.
/// </summary>
public static partial class ProfileLoader
{
    /// <summary>The file name of a profile inside its folder.</summary>
    public const string ProfileFileName = "profile.json";

    private static readonly JsonDocumentOptions s_documentOptions = new()
    {
        AllowTrailingCommas = false,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = ProfileLimits.MaxJsonDepth,
        AllowDuplicateProperties = false,
    };

    private static readonly string[] s_reservedColumnNames = [StreamSchema.HubTimeColumn, StreamSchema.DeviceTimeColumn, "rejected"];

    /// <summary>Loads the profile in <paramref name="path"/>: a profile folder or its profile.json.</summary>
    public static FirmwareProfile Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var file = Directory.Exists(path) ? Path.Combine(path, ProfileFileName) : path;
        var display = DisplayPath(file);
        if (!System.IO.File.Exists(file))
        {
            throw new ProfileException(display, "$", Directory.Exists(path)
                ? $"the folder has no {ProfileFileName}"
                : "no such file or folder");
        }

        var bytes = ReadBounded(file, display);
        if (bytes.Length == 0)
        {
            throw new ProfileException(display, "$", "the file is empty; a profile is a JSON object (see firmware-profiles/README.md)");
        }

        if (bytes.AsSpan().IndexOf((byte)0) >= 0)
        {
            // JSON text never holds a NUL byte: this is a binary file (or UTF-16), not a profile.
            throw new ProfileException(display, "$", "the file holds NUL bytes: it is binary (or UTF-16), not JSON text; save the profile as UTF-8 JSON");
        }

        if (!Utf8.IsValid(bytes))
        {
            throw new ProfileException(display, "$", "the file is not valid UTF-8 text; save the profile as UTF-8 JSON");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, s_documentOptions);
        }
        catch (JsonException ex)
        {
            var problem = ex.Message.Contains("maximum configured depth", StringComparison.Ordinal)
                ? $"nested deeper than {ProfileLimits.MaxJsonDepth} levels; a profile needs a handful"
                : FirstSentence(ex.Message);
            throw new ProfileException(display, ex.Path ?? "$",
                $"not valid JSON at line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}: {problem}");
        }

        using (document)
        {
            return Read(document.RootElement, display, Path.GetDirectoryName(Path.GetFullPath(file))!);
        }
    }

    // Reads at most MaxProfileBytes + 1 bytes whatever the file claims to be (a file growing while it is read, or a
    // device such as /dev/zero, reports a size that cannot be trusted).
    private static byte[] ReadBounded(string file, string display)
    {
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1);
            if (stream.CanSeek && stream.Length > ProfileLimits.MaxProfileBytes)
            {
                throw TooLarge(display, $"is {stream.Length.ToString(CultureInfo.InvariantCulture)} bytes");
            }

            var buffer = new byte[ProfileLimits.MaxProfileBytes + 1];
            var filled = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            if (filled > ProfileLimits.MaxProfileBytes)
            {
                throw TooLarge(display, "has more bytes than that");
            }

            return buffer[..filled];
        }
        catch (UnauthorizedAccessException)
        {
            throw new ProfileException(display, "$", "cannot be read by this user; check its permissions");
        }
        catch (IOException ex)
        {
            throw new ProfileException(display, "$", $"cannot be read: {ex.Message}");
        }
    }

    private static ProfileException TooLarge(string display, string size) =>
        new(display, "$", $"a profile may be at most {ProfileLimits.MaxProfileBytes} bytes and this file {size}; a profile.json is a few kB of JSON");

    /// <summary>Loads every profile folder below <paramref name="directory"/>, in name order.</summary>
    public static IReadOnlyList<FirmwareProfile> LoadAll(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var profiles = new List<FirmwareProfile>();
        foreach (var folder in Directory.GetDirectories(directory).Order(StringComparer.Ordinal))
        {
            if (System.IO.File.Exists(Path.Combine(folder, ProfileFileName)))
            {
                profiles.Add(Load(folder));
            }
        }

        return profiles;
    }

    /// <summary>
    /// Finds the shipped profiles folder: <paramref name="explicitDirectory"/> when given, else
    /// <c>./firmware-profiles</c>, else the copy beside the executable.
    /// </summary>
    public static string ResolveDirectory(string? explicitDirectory)
    {
        if (!string.IsNullOrEmpty(explicitDirectory))
        {
            return explicitDirectory;
        }

        var local = Path.Combine(Environment.CurrentDirectory, "firmware-profiles");
        return Directory.Exists(local) ? local : Path.Combine(AppContext.BaseDirectory, "firmware-profiles");
    }

    private static FirmwareProfile Read(JsonElement root, string file, string folder)
    {
        var reader = new JsonObjectReader(root, file, "$");
        var id = reader.RequiredString("id", "the profile id, lower kebab case");
        if (!KebabId().IsMatch(id))
        {
            throw reader.Error("id", $"'{id}' is not lower kebab case (a-z, 0-9 and single dashes, starting with a letter)");
        }

        var folderName = Path.GetFileName(folder);
        if (!string.Equals(folderName, id, StringComparison.Ordinal))
        {
            throw reader.Error("id", $"'{id}' differs from the folder name '{folderName}'; they must be equal");
        }

        var version = reader.RequiredString("version", "the profile's semantic version, e.g. 1.0.0");
        if (!SemVer().IsMatch(version))
        {
            throw reader.Error("version", $"'{version}' is not a semantic version (major.minor.patch)");
        }

        var profile = new FirmwareProfile
        {
            Id = id,
            Version = version,
            Name = reader.RequiredString("name", "the model name for people"),
            Vendor = reader.OptionalString("vendor"),
            Description = reader.OptionalString("description"),
            RequiresBonding = reader.OptionalBoolean("bonding", false),
            Match = ReadMatch(new JsonObjectReader(reader.Required("match", "recognition rules"), file, reader.Child("match"))),
            Streams = ReadStreams(reader, folder),
            FilePath = file,
        };
        reader.RejectUnknown("$schema");
        return profile;
    }

    private static ProfileMatch ReadMatch(JsonObjectReader reader)
    {
        var services = new List<string>();
        var items = reader.OptionalArray("advertisedServices", 16);
        for (var i = 0; i < items.Length; i++)
        {
            services.Add(ReadUuid(items[i], reader.File, $"{reader.Child("advertisedServices")}[{i}]"));
        }

        int? manufacturerId = null;
        if (reader.OptionalNumber("manufacturerId", 0, ushort.MaxValue) is { } id)
        {
            if (id != Math.Floor(id))
            {
                throw reader.Error("manufacturerId", $"must be a whole number (a 16-bit company identifier), found {id}");
            }

            manufacturerId = (int)id;
        }

        var match = new ProfileMatch
        {
            AdvertisedServices = services,
            LocalNamePattern = ReadPattern(reader, "localNamePattern"),
            ManufacturerId = manufacturerId,
            ModelNumberPattern = ReadPattern(reader, "modelNumberPattern"),
            FirmwareRevisionPattern = ReadPattern(reader, "firmwareRevisionPattern"),
        };
        reader.RejectUnknown();
        if (services.Count == 0 && match.LocalNamePattern is null && manufacturerId is null && match.ModelNumberPattern is null)
        {
            throw reader.Error("", "needs at least one rule (advertisedServices, localNamePattern, manufacturerId or modelNumberPattern) or no tracker could ever match");
        }

        return match;
    }

    private static Regex? ReadPattern(JsonObjectReader reader, string name)
    {
        var text = reader.OptionalString(name);
        if (text.Length == 0)
        {
            return null;
        }

        if (text.Length > ProfileLimits.MaxPatternChars)
        {
            throw reader.Error(name, $"pattern is {text.Length} characters; at most {ProfileLimits.MaxPatternChars}");
        }

        try
        {
            return new Regex(text, RegexOptions.CultureInvariant, ProfileLimits.PatternTimeout);
        }
        catch (ArgumentException ex)
        {
            throw reader.Error(name, $"not a valid regular expression: {ex.Message}");
        }
    }

    private static List<StreamDefinition> ReadStreams(JsonObjectReader reader, string folder)
    {
        var items = reader.OptionalArray("streams", ProfileLimits.MaxStreams);
        if (items.Length == 0)
        {
            throw reader.Error("streams", "required: at least one stream");
        }

        var streams = new List<StreamDefinition>(items.Length);
        var firstPathById = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Length; i++)
        {
            var path = $"{reader.Child("streams")}[{i}]";
            var stream = ReadStream(new JsonObjectReader(items[i], reader.File, path), folder);
            if (!firstPathById.TryAdd(stream.Id, path))
            {
                throw new ProfileException(reader.File, path + ".id", $"duplicate stream id '{stream.Id}' (also at {firstPathById[stream.Id]})");
            }

            streams.Add(stream);
        }

        return streams;
    }

    private static StreamDefinition ReadStream(JsonObjectReader reader, string folder)
    {
        var id = reader.RequiredString("id", "the stream id, lower kebab case");
        if (!KebabId().IsMatch(id))
        {
            throw reader.Error("id", $"'{id}' is not lower kebab case (a-z, 0-9 and single dashes, starting with a letter)");
        }

        var service = ReadUuid(reader.Required("service", "the GATT service UUID"), reader.File, reader.Child("service"));
        var characteristic = ReadUuid(reader.Required("characteristic", "the notifying characteristic's UUID"), reader.File, reader.Child("characteristic"));
        var decoderName = reader.RequiredString("decoder", "a built-in decoder name");
        if (!BuiltInDecoders.TryGet(decoderName, out var factory))
        {
            throw reader.Error("decoder", $"unknown decoder '{decoderName}'; known: {BuiltInDecoders.Names}");
        }

        reader.TryGet("settings", out var settingsElement);
        // Clone: the stream keeps its settings to create decoders long after the document is disposed.
        var settings = new DecoderSettings(settingsElement.ValueKind == JsonValueKind.Undefined ? default : settingsElement.Clone(),
            reader.File, reader.Child("settings"));
        var decoder = factory.Create(settings);

        double? nominalRate = null;
        if (!reader.IsExplicitNull("nominalRateHz"))
        {
            nominalRate = reader.OptionalNumber("nominalRateHz", double.Epsilon, DecodeLimits.MaxSampleRateHz)
                ?? throw reader.Error("nominalRateHz", "required: samples per second, or null for an event stream (battery, steps)");
        }
        else
        {
            reader.TryGet("nominalRateHz", out _);
        }

        if (nominalRate is { } rate && settings.TryGet("sampleRateHz", out var decoderRate)
            && decoderRate.ValueKind == JsonValueKind.Number && decoderRate.GetDouble() != rate)
        {
            throw reader.Error("nominalRateHz", $"{rate} Hz differs from the decoder setting sampleRateHz = {decoderRate.GetDouble()} Hz");
        }

        var stream = new StreamDefinition
        {
            Id = id,
            Description = reader.OptionalString("description"),
            Service = service,
            Characteristic = characteristic,
            Decoder = factory,
            Settings = settings,
            NominalRateHz = nominalRate,
            Setup = ReadSetup(reader),
            Schema = decoder.Schema,
            Captures = ReadCaptures(reader, folder),
            JsonPath = reader.Path,
        };
        CheckColumns(reader, decoderName, decoder.Schema);
        reader.RejectUnknown();
        return stream;
    }

    private static List<SetupWrite> ReadSetup(JsonObjectReader reader)
    {
        var items = reader.OptionalArray("setup", ProfileLimits.MaxSetupWrites);
        var writes = new List<SetupWrite>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            var item = new JsonObjectReader(items[i], reader.File, $"{reader.Child("setup")}[{i}]");
            var characteristic = ReadUuid(item.Required("characteristic", "the characteristic written"), item.File, item.Child("characteristic"));
            var hex = item.RequiredString("write", "the bytes written, as hex");
            if (HexText.TryParse(hex, out var value) is { } problem)
            {
                throw item.Error("write", $"not hex bytes: {problem}");
            }

            if (value.Length is 0 or > DecodeLimits.MaxFrameBytes)
            {
                throw item.Error("write", $"a write is 1 to {DecodeLimits.MaxFrameBytes} bytes; this one is {value.Length}");
            }

            writes.Add(new SetupWrite(characteristic, value, item.OptionalString("description")));
            item.RejectUnknown();
        }

        return writes;
    }

    private static List<CaptureReference> ReadCaptures(JsonObjectReader reader, string folder)
    {
        var items = reader.OptionalArray("captures", ProfileLimits.MaxCaptures);
        var captures = new List<CaptureReference>(items.Length);
        for (var i = 0; i < items.Length; i++)
        {
            var item = new JsonObjectReader(items[i], reader.File, $"{reader.Child("captures")}[{i}]");
            var capture = ResolveInside(item, "file", folder);
            var expected = ResolveInside(item, "expected", folder);
            captures.Add(new CaptureReference(capture, expected, item.OptionalString("description")));
            item.RejectUnknown();
        }

        return captures;
    }

    private static string ResolveInside(JsonObjectReader item, string name, string folder)
    {
        var relative = item.RequiredString(name, "a path relative to the profile folder");
        var full = Path.GetFullPath(Path.Combine(folder, relative));
        if (!full.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw item.Error(name, $"'{relative}' points outside the profile folder");
        }

        if (!System.IO.File.Exists(full))
        {
            throw item.Error(name, $"'{relative}' does not exist in {DisplayPath(folder)}");
        }

        return full;
    }

    private static void CheckColumns(JsonObjectReader reader, string decoderName, StreamSchema schema)
    {
        var items = reader.OptionalArray("columns", ProfileLimits.MaxColumns);
        if (items.Length == 0)
        {
            throw reader.Error("columns", $"required: the columns the decoder writes, so the profile documents its data. {decoderName} writes: {Describe(schema)}");
        }

        for (var i = 0; i < items.Length; i++)
        {
            var path = $"{reader.Child("columns")}[{i}]";
            var item = new JsonObjectReader(items[i], reader.File, path);
            var name = item.RequiredString("name", "the column name");
            if (Array.IndexOf(s_reservedColumnNames, name) >= 0)
            {
                throw item.Error("name", $"'{name}' is reserved ({string.Join(", ", s_reservedColumnNames)} are added by the hub)");
            }

            if (i >= schema.Columns.Count)
            {
                throw item.Error("name", $"{decoderName} writes only {schema.Columns.Count} column(s) ({Describe(schema)}); '{name}' is extra");
            }

            var actual = schema.Columns[i];
            if (!string.Equals(name, actual.Name, StringComparison.Ordinal))
            {
                throw item.Error("name", $"column {i} of {decoderName} is '{actual.Name}', not '{name}' (the decoder writes: {Describe(schema)})");
            }

            var type = item.RequiredString("type", "the Arrow type");
            if (!ColumnKinds.TryParse(type, out _, out _))
            {
                throw item.Error("type", $"unknown type '{type}'; use one of: {ColumnKinds.AcceptedNames}");
            }

            if (!string.Equals(type, actual.TypeName, StringComparison.Ordinal))
            {
                throw item.Error("type", $"{decoderName} writes '{name}' as {actual.TypeName}, not {type}");
            }

            CheckEqual(item, "unit", item.OptionalString("unit"), actual.Unit, name, decoderName);
            CheckNumber(item, "scale", item.OptionalNumber("scale", double.MinValue, double.MaxValue) ?? 1.0, actual.Scale, name, decoderName);
            CheckNumber(item, "offset", item.OptionalNumber("offset", double.MinValue, double.MaxValue) ?? 0.0, actual.Offset, name, decoderName);
            var nullable = item.OptionalBoolean("nullable", false);
            if (nullable != actual.Nullable)
            {
                throw item.Error("nullable", $"{decoderName} writes '{name}' as {(actual.Nullable ? "nullable" : "never null")}; the profile says {(nullable ? "nullable" : "never null")}");
            }

            item.OptionalString("description");
            item.RejectUnknown();
        }

        if (items.Length < schema.Columns.Count)
        {
            throw reader.Error("columns", $"lists {items.Length} column(s) but {decoderName} writes {schema.Columns.Count}; missing: " +
                string.Join(", ", schema.Columns.Skip(items.Length).Select(c => $"{c.Name} ({c.TypeName})")));
        }
    }

    private static void CheckEqual(JsonObjectReader item, string key, string given, string actual, string column, string decoderName)
    {
        if (!string.Equals(given, actual, StringComparison.Ordinal))
        {
            throw item.Error(key, $"{decoderName} writes '{column}' with {key} '{actual}', not '{given}'");
        }
    }

    private static void CheckNumber(JsonObjectReader item, string key, double given, double actual, string column, string decoderName)
    {
        // Profiles write scales such as 0.0009765625 (1/1024) in decimal; compare to a relative 1e-9.
        if (Math.Abs(given - actual) > 1e-9 * Math.Max(1.0, Math.Abs(actual)))
        {
            throw item.Error(key, $"{decoderName} writes '{column}' with {key} {actual.ToString("R", CultureInfo.InvariantCulture)}, not {given.ToString("R", CultureInfo.InvariantCulture)}");
        }
    }

    private static string Describe(StreamSchema schema) =>
        string.Join(", ", schema.Columns.Select(c => $"{c.Name} ({c.TypeName})"));

    private static string ReadUuid(JsonElement value, string file, string path)
    {
        if (value.ValueKind != JsonValueKind.String || !BleUuid.TryNormalize(value.GetString(), out var canonical))
        {
            throw new ProfileException(file, path, $"not a Bluetooth UUID (use a 16-bit form such as \"2a37\" or a full 128-bit UUID), found {DecoderSettings.Describe(value)}");
        }

        return canonical;
    }

    private static string DisplayPath(string path)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(path) : relative;
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex KebabId();

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex SemVer();
}
