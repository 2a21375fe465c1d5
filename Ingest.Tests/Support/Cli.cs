namespace Ingest.Tests.Support;

/// <summary>Runs the real `wearable-ingest` executable (built beside the tests) as a person would.</summary>
public static class Cli
{
    /// <summary>Path of wearable-ingest.dll in the test output folder.</summary>
    public static string Assembly => Path.Combine(AppContext.BaseDirectory, "wearable-ingest.dll");

    /// <summary>Runs <c>wearable-ingest</c> with <paramref name="arguments"/> and returns exit code and output.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(IEnumerable<string> arguments, string? workingDirectory = null, string? standardInput = null)
    {
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        return PeerProcess.RunAsync(dotnet, new[] { Assembly }.Concat(arguments), TimeSpan.FromSeconds(60),
            workingDirectory ?? Peers.RepositoryRoot, standardInput);
    }
}
