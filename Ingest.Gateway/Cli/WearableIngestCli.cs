using System.CommandLine;

namespace Ingest.Gateway.Cli;

/// <summary>The `wearable-ingest` command line: one subcommand per job a person does.</summary>
internal static class WearableIngestCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "wearable-ingest: the home-hub service for clinical-trial activity trackers. " +
            "It decodes Bluetooth LE tracker notifications into typed Arrow columns, keeps them on disk " +
            "and publishes them over MQTT.");
        root.Add(RunCommand.Create());
        root.Add(DecodeCommand.Create());
        root.Add(ProfilesCommand.Create());
        root.Add(ArrowInspectCommand.Create());
        root.Add(BrokerCheckCommand.Create());
        return root;
    }

    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        var parseResult = Build().Parse(args);
        return parseResult.InvokeAsync(cancellationToken: cancellationToken);
    }
}
