using System.CommandLine;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Profiles;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest profiles list|validate|decoders</c>. Results (the list, one <c>ok</c> line per valid profile) go to
/// stdout; problems go to stderr: a profile that fails validation gets <c>FAIL</c> lines there and the command ends with
/// one <c>error:</c> line and exit code 1; a profile, path or folder that cannot be found is a usage error (exit code 2).
/// </summary>
internal static class ProfilesCommand
{
    public static Command Create()
    {
        var command = new Command("profiles", "List and check firmware profiles (the data that describes each tracker model).");
        command.Add(CreateList());
        command.Add(CreateValidate());
        command.Add(CreateDecoders());
        return command;
    }

    private static Option<string?> ProfilesDirOption() =>
        new("--profiles-dir") { Description = "Folder of firmware profiles (default: ./firmware-profiles, else the shipped ones)" };

    private static Command CreateList()
    {
        var dir = ProfilesDirOption();
        var command = new Command("list", "List the profiles with their streams and decoders.") { dir };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var directory = ProfilesDirectory(parse.GetValue(dir));
            var folders = ProfileFolders(directory);
            var profiles = new List<FirmwareProfile>(folders.Length);
            foreach (var folder in folders)
            {
                // A broken profile is a usage error here (exit 2, its problem in one line); 'validate' reports them all.
                profiles.Add(ProfileLoader.Load(folder));
            }

            foreach (var profile in profiles)
            {
                Console.WriteLine($"{profile.Id} {profile.Version}  {profile.Name}{(profile.Vendor.Length > 0 ? $" ({profile.Vendor})" : "")}");
                foreach (var stream in profile.Streams)
                {
                    var rate = stream.NominalRateHz is { } hz ? $"{hz:0.###} Hz" : "events";
                    Console.WriteLine($"    {stream.Id,-22} {BleUuid.ToDisplay(stream.Characteristic),-38} {stream.Decoder.Name,-26} {rate,-9} {stream.Schema.Columns.Count} column(s)");
                }
            }

            Console.WriteLine($"{profiles.Count} profile(s) in {directory}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command CreateValidate()
    {
        var dir = ProfilesDirOption();
        var paths = new Argument<string[]>("profile")
        {
            Description = "Profile folders, profile.json files or profile ids (as for 'decode --profile'; default: every profile in the profiles folder)",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("validate", "Check profiles and decode their captures against the expected rows. Exit code 1 when any fails.") { paths, dir };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var profilesDirectory = parse.GetValue(dir);
            var targets = parse.GetValue(paths) is { Length: > 0 } given
                ? ResolveTargets(given, profilesDirectory)
                : ProfileFolders(ProfilesDirectory(profilesDirectory));
            var failed = 0;
            foreach (var target in targets)
            {
                if (!Validate(target))
                {
                    failed++;
                }
            }

            if (failed > 0)
            {
                Console.Error.WriteLine($"error: {failed} of {targets.Length} profile(s) failed validation (FAIL lines above); fix them and validate again");
                return ExitCodes.InputRejected;
            }

            Console.WriteLine($"{targets.Length} profile(s) valid");
            return ExitCodes.Success;
        }));
        return command;
    }

    // Every name is resolved before any is validated: a path or id that does not exist is a mistake in the command.
    private static string[] ResolveTargets(string[] given, string? profilesDirectory)
    {
        var targets = new string[given.Length];
        for (var i = 0; i < given.Length; i++)
        {
            var name = given[i];
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new CliException("a profile argument is empty; give a profile folder, a profile.json or a profile id");
            }

            if (name.Contains('\0', StringComparison.Ordinal))
            {
                throw new CliException("a profile argument contains a NUL character; give a plain path or id");
            }

            var directory = profilesDirectory is null ? ProfileLoader.ResolveDirectory(null) : ProfilesDirectory(profilesDirectory);
            targets[i] = ProfileLocator.Find(name, directory)
                ?? throw new CliException($"profile '{name}' is neither a folder, a file, nor a profile id in {directory}; " +
                    "give a profile folder, its profile.json, or an id listed by 'profiles list'");
        }

        return targets;
    }

    private static bool Validate(string target)
    {
        FirmwareProfile profile;
        try
        {
            profile = ProfileLoader.Load(target);
        }
        catch (ProfileException ex)
        {
            Console.Error.WriteLine($"FAIL {ex.Message}");
            return false;
        }

        var ok = true;
        var captures = 0;
        foreach (var result in ProfileCaptureCheck.Run(profile))
        {
            captures++;
            var name = Path.GetRelativePath(Path.GetDirectoryName(Path.GetFullPath(profile.FilePath))!, result.Capture.CapturePath);
            if (result.Differences.Count == 0)
            {
                continue;
            }

            ok = false;
            Console.Error.WriteLine($"FAIL {profile.Id}/{result.Stream.Id}: {name} does not decode as expected:");
            foreach (var difference in result.Differences)
            {
                Console.Error.WriteLine($"       {difference}");
            }
        }

        if (ok)
        {
            Console.WriteLine($"ok   {profile.Id} {profile.Version}: {profile.Streams.Count} stream(s), {captures} capture(s) decode as expected");
        }

        return ok;
    }

    private static Command CreateDecoders()
    {
        var command = new Command("decoders", "List the built-in decoders a profile can name.");
        command.SetAction(_ =>
        {
            foreach (var factory in BuiltInDecoders.All)
            {
                var standard = factory.StandardCharacteristics.Count == 0
                    ? ""
                    : $" [--uuid {string.Join(", ", factory.StandardCharacteristics.Select(BleUuid.ToDisplay))}]";
                Console.WriteLine($"{factory.Name,-28} {factory.Summary}{standard}");
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The profiles folder: --profiles-dir checked (given, a folder), or the default.</summary>
    private static string ProfilesDirectory(string? given)
    {
        if (given is null)
        {
            var directory = ProfileLoader.ResolveDirectory(null);
            return Directory.Exists(directory)
                ? directory
                : throw new CliException($"no profiles folder: neither ./firmware-profiles nor {directory} exists; give one with --profiles-dir");
        }

        if (string.IsNullOrWhiteSpace(given))
        {
            throw new CliException("--profiles-dir is empty; give the folder that holds the profiles, e.g. firmware-profiles");
        }

        if (given.Contains('\0', StringComparison.Ordinal))
        {
            throw new CliException("--profiles-dir contains a NUL character; give a plain path");
        }

        if (File.Exists(given))
        {
            throw new CliException($"--profiles-dir '{given}' is a file; give the folder that holds the profiles (one sub-folder with a profile.json each)");
        }

        if (!Directory.Exists(given))
        {
            throw new CliException($"--profiles-dir '{given}' does not exist; check the path (relative paths start at {Environment.CurrentDirectory})");
        }

        return given;
    }

    private static string[] ProfileFolders(string directory)
    {
        string[] folders;
        try
        {
            folders = [.. Directory.GetDirectories(directory)
                .Where(d => File.Exists(Path.Combine(d, ProfileLoader.ProfileFileName)))
                .Order(StringComparer.Ordinal)];
        }
        catch (UnauthorizedAccessException)
        {
            throw new CliException($"profiles folder '{directory}' cannot be read by this user; check its permissions");
        }

        if (folders.Length > 0)
        {
            return folders;
        }

        if (File.Exists(Path.Combine(directory, ProfileLoader.ProfileFileName)))
        {
            throw new CliException($"'{directory}' is one profile's folder; give the folder that holds the profiles (its parent) with --profiles-dir, " +
                $"or validate this one with 'profiles validate {directory}'");
        }

        throw new CliException($"profiles folder '{directory}' holds no profiles (no sub-folder with a {ProfileLoader.ProfileFileName}); " +
            "give the folder that holds them with --profiles-dir, e.g. firmware-profiles");
    }
}
