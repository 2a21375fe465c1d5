using System.CommandLine;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Profiles;

namespace Ingest.Gateway.Cli;

/// <summary><c>wearable-ingest profiles list|validate|decoders</c>.</summary>
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
            var directory = ProfileLoader.ResolveDirectory(parse.GetValue(dir));
            if (!Directory.Exists(directory))
            {
                throw new CliException($"profiles folder '{directory}' does not exist");
            }

            var profiles = ProfileLoader.LoadAll(directory);
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
        var paths = new Argument<string[]>("profile") { Description = "Profile folders or profile.json files (default: every profile in the profiles folder)", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("validate", "Check profiles and decode their captures against the expected rows. Exit code 1 when any fails.") { paths, dir };
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var targets = parse.GetValue(paths) is { Length: > 0 } given
                ? given
                : ProfileFolders(ProfileLoader.ResolveDirectory(parse.GetValue(dir)));
            var failed = 0;
            foreach (var target in targets)
            {
                if (!Validate(target))
                {
                    failed++;
                }
            }

            Console.WriteLine(failed == 0 ? $"{targets.Length} profile(s) valid" : $"{failed} of {targets.Length} profile(s) failed");
            return failed == 0 ? ExitCodes.Success : ExitCodes.InputRejected;
        }));
        return command;
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
            Console.WriteLine($"FAIL {ex.Message}");
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
            Console.WriteLine($"FAIL {profile.Id}/{result.Stream.Id}: {name} does not decode as expected:");
            foreach (var difference in result.Differences)
            {
                Console.WriteLine($"       {difference}");
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

    private static string[] ProfileFolders(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new CliException($"profiles folder '{directory}' does not exist");
        }

        return [.. Directory.GetDirectories(directory)
            .Where(d => File.Exists(Path.Combine(d, ProfileLoader.ProfileFileName)))
            .Order(StringComparer.Ordinal)];
    }
}
