using System.CommandLine;
using System.CommandLine.Parsing;

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
        root.Add(ReceiveCommand.Create());
        root.Add(ScanCommand.Create());
        root.Add(EnrollCommand.Create());
        root.Add(UnenrollCommand.Create());
        root.Add(DevicesCommand.Create());
        root.Add(AuditCommand.Create());
        root.Add(StaffCommand.Create());
        root.Add(BackupCommand.Create());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken = default)
    {
        // No command at all: show what there is rather than an error.
        var parseResult = Build().Parse(args.Length == 0 ? ["--help"] : args);
        if (parseResult.Errors.Count > 0)
        {
            // System.CommandLine would print these and exit 1; here 1 means "input rejected", so usage errors exit 2.
            foreach (var error in parseResult.Errors)
            {
                await Console.Error.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            var command = string.Join(' ', CommandPath(parseResult).Prepend("wearable-ingest"));
            await Console.Error.WriteLineAsync($"Run '{command} --help' for the options.").ConfigureAwait(false);
            return ExitCodes.UsageError;
        }

        return await parseResult.InvokeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static Stack<string> CommandPath(ParseResult parseResult)
    {
        var names = new Stack<string>();
        for (var result = parseResult.CommandResult; result.Parent is CommandResult parent; result = parent)
        {
            names.Push(result.Command.Name);
        }

        return names;
    }
}
