using System.Diagnostics;
using Ingest.Pipeline.Profiles;
using Ingest.Tests.Support;

namespace Ingest.Tests.Gateway;

/// <summary>
/// <c>wearable-ingest profiles validate|list</c> run as a person would: profile ids resolve as for <c>decode --profile</c>,
/// results go to stdout and problems to stderr, a name that does not exist is a usage error (2) and a profile that fails
/// validation is rejected (1).
/// </summary>
public sealed class ProfilesCommandTests
{
    private static string ShippedProfiles => Path.Combine(Peers.RepositoryRoot, "firmware-profiles");

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Cli.Assembly);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static string ProfilesWithOneBroken()
    {
        var root = Peers.NewScratchDirectory("profiles-command");
        var good = Path.Combine(root, "profiles", "polar-h10");
        Directory.CreateDirectory(good);
        foreach (var file in Directory.GetFiles(Path.Combine(ShippedProfiles, "polar-h10"), "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(good, Path.GetRelativePath(Path.Combine(ShippedProfiles, "polar-h10"), file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Directory.CreateDirectory(Path.Combine(root, "profiles", "broken"));
        File.WriteAllText(Path.Combine(root, "profiles", "broken", ProfileLoader.ProfileFileName), "{\"id\":\"broken\"}");
        return root;
    }

    [Fact]
    public async Task Validate_ProfileIdAsForDecode_ResolvesInTheProfilesFolder()
    {
        var (exitCode, output, error) = await RunAsync(Peers.NewScratchDirectory("profiles-command"), "profiles", "validate", "polar-h10", "--profiles-dir", ShippedProfiles);

        Assert.True(exitCode == 0, error);
        Assert.Equal("", error);
        Assert.StartsWith("ok   polar-h10 ", output, StringComparison.Ordinal);
        Assert.EndsWith("1 profile(s) valid\n", output.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_MissingPath_ExitCode2WithOneErrorLineAndNothingValidated()
    {
        var (exitCode, output, error) = await RunAsync(Peers.NewScratchDirectory("profiles-command"), "profiles", "validate", "polar-h10", "/nope", "--profiles-dir", ShippedProfiles);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.Equal($"error: profile '/nope' is neither a folder, a file, nor a profile id in {ShippedProfiles}; give a profile folder, its profile.json, or an id listed by 'profiles list'",
            error.TrimEnd());
    }

    [Fact]
    public async Task Validate_FolderWithABrokenProfile_ExitCode1_OkOnStdout_FailuresAndOneErrorLineOnStderr()
    {
        var root = ProfilesWithOneBroken();

        var (exitCode, output, error) = await RunAsync(root, "profiles", "validate", "--profiles-dir", "profiles");

        Assert.Equal(1, exitCode);
        Assert.StartsWith("ok   polar-h10 ", output, StringComparison.Ordinal);
        Assert.DoesNotContain("FAIL", output, StringComparison.Ordinal);
        Assert.DoesNotContain("error:", output, StringComparison.Ordinal);
        var lines = error.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal($"FAIL {Path.Combine("profiles", "broken", "profile.json")}: $.version: required: the profile's semantic version, e.g. 1.0.0", lines[0]);
        Assert.Equal("error: 1 of 2 profile(s) failed validation (FAIL lines above); fix them and validate again", lines[1]);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("validate")]
    public async Task ProfilesDir_EmptyFolder_ExitCode2SaysItHoldsNoProfiles(string command)
    {
        var root = Peers.NewScratchDirectory("profiles-command");
        Directory.CreateDirectory(Path.Combine(root, "empty"));

        var (exitCode, output, error) = await RunAsync(root, "profiles", command, "--profiles-dir", "empty");

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith("error: profiles folder 'empty' holds no profiles", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "--profiles-dir is empty")]
    [InlineData("/etc/hostname", "--profiles-dir '/etc/hostname' is a file")]
    [InlineData("/nope", "--profiles-dir '/nope' does not exist")]
    public async Task List_BadProfilesDir_ExitCode2WithOneLine(string directory, string says)
    {
        var (exitCode, output, error) = await RunAsync(Peers.NewScratchDirectory("profiles-command"), "profiles", "list", "--profiles-dir", directory);

        Assert.Equal(2, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith("error: " + says, error, StringComparison.Ordinal);
        Assert.Single(error.TrimEnd().Split('\n'));
    }
}
