using System.CommandLine;
using Ingest.Gateway.Cli;
using Ingest.Gateway.Configuration;
using Ingest.Pipeline.Profiles;
using Microsoft.Data.Sqlite;

namespace Ingest.Gateway.Registry;

/// <summary>
/// What the registry commands (<c>enroll</c>, <c>unenroll</c>, <c>devices</c>, <c>audit</c>) share: the data directory
/// found exactly as <c>run</c> finds it (<see cref="GatewayConfiguration"/>: <c>--data-dir</c>, else
/// <c>WEARABLE_INGEST_DATADIR</c>, else <c>./data</c>), the actor, and one error line with exit code 2 for anything a
/// person can fix. They write to the invocation's output (tests run them in-process).
/// </summary>
internal static class RegistryCommandSupport
{
    /// <summary>The data directory option, as <c>run</c> has it.</summary>
    public static Option<string?> DataDirOption() =>
        new("--data-dir") { Description = "The hub's data directory; the registry is DIR/state/registry.db (default ./data) [DataDir]", HelpName = "DIR" };

    /// <summary>The configuration file option, as <c>run</c> has it.</summary>
    public static Option<string?> ConfigOption() =>
        new("--config") { Description = "JSON configuration file (default DIR/wearable-ingest.json when present) [Config]", HelpName = "FILE" };

    /// <summary>The gateway's settings for <paramref name="dataDirectory"/> and <paramref name="configFile"/> (either may be null).</summary>
    public static GatewaySettings LoadSettings(string? dataDirectory, string? configFile)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (dataDirectory is not null)
        {
            values["DataDir"] = dataDirectory;
            names["DataDir"] = "--data-dir";
        }

        if (configFile is not null)
        {
            values["Config"] = configFile;
            names["Config"] = "--config";
        }

        return GatewayConfiguration.Load(values, names);
    }

    /// <summary>
    /// <paramref name="given"/>, else the configured <paramref name="key"/> (Hub:Study, Hub:Site) when the configuration
    /// sets it, else null. The built-in demo defaults are not used: enrolling a participant into "demo" by accident is worse
    /// than being asked.
    /// </summary>
    public static string? Configured(string? given, GatewaySettings settings, string key)
    {
        if (given is not null)
        {
            return given;
        }

        foreach (var value in settings.Sources)
        {
            if (string.Equals(value.Key, key, StringComparison.OrdinalIgnoreCase))
            {
                return key == "Hub:Study" ? settings.Ingest.Study : settings.Ingest.Site;
            }
        }

        return null;
    }

    /// <summary>Who is acting: <paramref name="given"/>, else $SUDO_USER (the person behind sudo), else $USER, else the account name.</summary>
    public static string Actor(string? given)
    {
        if (given is not null)
        {
            return given;
        }

        foreach (var variable in (ReadOnlySpan<string>)["SUDO_USER", "USER"])
        {
            if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } name)
            {
                return name;
            }
        }

        return Environment.UserName is { Length: > 0 } user ? user : "unknown";
    }

    /// <summary>The id of the profile <paramref name="profile"/> names (an id in the profiles folder, or a folder or file), loaded as <c>decode --profile</c> does.</summary>
    public static string ProfileId(string profile, string? profilesDirectory) =>
        ProfileLoader.Load(DecoderSelection.ResolveProfile(profile, profilesDirectory)).Id;

    /// <summary>Runs a command body; the errors people cause become one line on the error writer and exit code 2.</summary>
    public static int Run(ParseResult parse, Func<TextWriter, int> body)
    {
        var error = parse.InvocationConfiguration.Error;
        try
        {
            return body(parse.InvocationConfiguration.Output);
        }
        catch (Exception ex) when (ex is RegistryException or CliException or ProfileException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {ex.Message}");
        }
        catch (SqliteException ex)
        {
            error.WriteLine($"error: {EnrollmentRegistry.Describe("registry database", ex)}");
        }

        return ExitCodes.UsageError;
    }
}
