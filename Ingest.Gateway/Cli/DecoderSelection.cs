using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Profiles;

namespace Ingest.Gateway.Cli;

/// <summary>
/// Picks the decoder for <c>decode</c>: a profile's stream, a standard SIG characteristic by UUID, or a built-in
/// decoder by name, with <c>--setting key=value</c> overrides applied to its settings.
/// </summary>
internal static class DecoderSelection
{
    public static (IFrameDecoder Decoder, string Label, StreamDescription Description) Select(
        string? profile, string? streamId, string? uuid, string? decoderName, IReadOnlyList<string> settings, string? profilesDirectory)
    {
        var chosen = (profile is null ? 0 : 1) + (uuid is null ? 0 : 1) + (decoderName is null ? 0 : 1);
        if (chosen != 1)
        {
            throw new CliException("say what to decode with exactly one of --profile (with --stream), --uuid or --decoder");
        }

        if (profile is null && streamId is not null)
        {
            throw new CliException("--stream names a stream of a profile: it goes with --profile, not with --uuid or --decoder");
        }

        if (profile is null && profilesDirectory is not null)
        {
            throw new CliException("--profiles-dir is where a --profile id is looked up: it goes with --profile, not with --uuid or --decoder");
        }

        if (profile is not null)
        {
            FirmwareProfile loaded;
            try
            {
                loaded = ProfileLoader.Load(ResolveProfile(profile, profilesDirectory));
            }
            catch (ProfileException ex)
            {
                throw new CliException($"--profile '{InputText.Printable(profile)}' is not a usable firmware profile: {InputText.Printable(ex.Message)}; see firmware-profiles/README.md");
            }

            StreamDefinition stream;
            if (streamId is null)
            {
                if (loaded.Streams.Count != 1)
                {
                    throw new CliException($"profile '{loaded.Id}' has {loaded.Streams.Count} streams; choose one with --stream: {string.Join(", ", loaded.Streams.Select(s => s.Id))}");
                }

                stream = loaded.Streams[0];
            }
            else
            {
                stream = loaded.FindStream(streamId)
                    ?? throw new CliException($"profile '{loaded.Id}' has no stream '{InputText.Printable(streamId)}'; it has: {string.Join(", ", loaded.Streams.Select(s => s.Id))}");
            }

            var merged = Merge(stream.Settings, settings);
            return (stream.Decoder.Create(merged), $"{loaded.Id}/{stream.Id} ({stream.Decoder.Name})",
                new StreamDescription(loaded.Id, loaded.Version, stream.Decoder.Name) { StreamId = stream.Id });
        }

        IDecoderFactory factory;
        if (uuid is not null)
        {
            if (!BleUuid.TryNormalize(uuid, out var canonical))
            {
                throw new CliException($"--uuid '{InputText.Printable(uuid)}' is not a Bluetooth UUID (e.g. 2a37 or a full 128-bit UUID)");
            }

            if (!BuiltInDecoders.TryGetForCharacteristic(canonical, out factory))
            {
                var standard = BuiltInDecoders.All.SelectMany(f => f.StandardCharacteristics.Select(BleUuid.ToDisplay));
                throw new CliException($"no built-in decoder for characteristic {BleUuid.ToDisplay(canonical)}; standard ones are: {string.Join(", ", standard)}. For a vendor characteristic use --profile or --decoder.");
            }
        }
        else if (!BuiltInDecoders.TryGet(decoderName!, out factory))
        {
            throw new CliException($"unknown decoder '{InputText.Printable(decoderName!)}'; known: {BuiltInDecoders.Names}");
        }

        // No profile: the built-in decoder of this program is what defines the columns, so its version is the version.
        return (factory.Create(Merge(DecoderSettings.Empty(), settings)), factory.Name,
            new StreamDescription(factory.Name, BuiltInVersion, factory.Name) { StreamId = factory.Name });
    }

    /// <summary>The profile version recorded for a decode without a profile: "built-in" and the program's version.</summary>
    public static string BuiltInVersion { get; } =
        "built-in " + (typeof(BuiltInDecoders).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
            ?? typeof(BuiltInDecoders).Assembly.GetName().Version?.ToString(3) ?? "0");

    /// <summary>A profile folder, a profile.json path, or a profile id found in the profiles folder.</summary>
    public static string ResolveProfile(string profile, string? profilesDirectory)
    {
        if (string.IsNullOrWhiteSpace(profile))
        {
            throw new CliException("--profile is empty; give a profile folder, its profile.json, or a profile id (see: profiles list)");
        }

        if (profilesDirectory is not null)
        {
            if (string.IsNullOrWhiteSpace(profilesDirectory))
            {
                throw new CliException("--profiles-dir is empty; give the folder of firmware profiles, or leave it out");
            }

            if (File.Exists(profilesDirectory))
            {
                throw new CliException($"--profiles-dir '{InputText.Printable(profilesDirectory)}' is a file; give the folder that holds the profile folders");
            }

            if (!Directory.Exists(profilesDirectory))
            {
                throw new CliException($"--profiles-dir '{InputText.Printable(profilesDirectory)}' does not exist; check the path or leave it out");
            }
        }

        // Only a plain id is looked up in the profiles folder: "../x" or "a/b" is a path that does not exist.
        return ProfileLocator.Find(profile, profilesDirectory)
            ?? throw new CliException($"--profile '{InputText.Printable(profile)}' is neither a folder, a file, nor a profile id in {ProfileLoader.ResolveDirectory(profilesDirectory)}; see: wearable-ingest profiles list");
    }

    private static DecoderSettings Merge(DecoderSettings baseSettings, IReadOnlyList<string> overrides)
    {
        if (overrides.Count == 0)
        {
            return baseSettings;
        }

        var merged = baseSettings.Element.ValueKind == JsonValueKind.Object
            ? JsonNode.Parse(baseSettings.Element.GetRawText())!.AsObject()
            : [];
        foreach (var text in overrides)
        {
            var equals = text.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || string.IsNullOrWhiteSpace(text[..equals]))
            {
                throw new CliException($"--setting '{InputText.Printable(text)}' must be key=value, e.g. --setting sampleRateHz=130");
            }

            var key = text[..equals];
            var value = text[(equals + 1)..];
            merged[key] = ParseValue(value);
        }

        return DecoderSettings.Parse(merged.ToJsonString(), baseSettings.File + " with --setting", baseSettings.JsonPath);
    }

    // A number, true/false, null, or JSON array/object is taken as JSON; anything else is a string.
    private static JsonNode? ParseValue(string value)
    {
        try
        {
            return JsonNode.Parse(value);
        }
        catch (JsonException)
        {
            return JsonValue.Create(value);
        }
    }
}
