using System.CommandLine;
using System.CommandLine.Parsing;

namespace Ingest.Gateway.Cli;

/// <summary>The `wearable-ingest` command line: one subcommand per job a person does.</summary>
internal static partial class WearableIngestCli
{
    public static RootCommand Build()
    {
        var root = new RootCommand(
            "wearable-ingest: the home-hub service for clinical-trial activity trackers. " +
            "It connects to the Bluetooth LE trackers enrolled on the hub, decodes their notifications into typed Arrow " +
            "columns, keeps them in a durable spool and publishes them over MQTT (or writes Arrow files).");
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
        try
        {
            // No command at all: show what there is rather than an error.
            var root = Build();
            var parseResult = root.Parse(args.Length == 0 ? ["--help"] : args);
            if (parseResult.Errors.Count > 0)
            {
                // System.CommandLine would print every error and exit 1; here 1 means "input rejected", so usage errors
                // exit 2 with one line: the first real problem (an unknown word also yields "Required command was not
                // provided", which only confuses) and where the options are listed.
                var command = string.Join(' ', CommandPath(parseResult).Prepend("wearable-ingest"));
                await Console.Error.WriteLineAsync($"error: {UsageProblem(root, parseResult)}; see '{command} --help'")
                    .ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            // Exceptions come here (below), not to System.CommandLine's handler, which prints the stack trace.
            var invocation = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
            return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The last line of defence: a person never sees a stack trace. Every expected failure has its own message
            // in its command; reaching this is a bug, said as such, with what to report.
            await Console.Error.WriteLineAsync(
                $"error: internal error ({ex.GetType().Name}: {FirstLine(ex.Message)}); this is a bug in wearable-ingest: " +
                "please report it with the command you ran").ConfigureAwait(false);
            return ExitCodes.InternalError;
        }
    }

    private static string UsageProblem(RootCommand root, ParseResult parseResult)
    {
        var messages = parseResult.Errors.Select(OneLine).ToList();
        var unknown = parseResult.UnmatchedTokens.Count > 0 ? parseResult.UnmatchedTokens[0] : null;
        if (parseResult.CommandResult.Command == root && unknown is not null && !unknown.StartsWith('-'))
        {
            return $"'{unknown}' is not a command; the commands are: {string.Join(", ", root.Subcommands.Select(c => c.Name))}";
        }

        return messages.FirstOrDefault(m => !m.StartsWith("Required command was not provided", StringComparison.Ordinal))
            ?? (parseResult.CommandResult.Command is { Subcommands.Count: > 0 } parent
                ? $"say which '{parent.Name}' command: {string.Join(", ", parent.Subcommands.Select(c => c.Name))}"
                : messages[0]);
    }

    // System.CommandLine's messages may span lines ("Must be one of:\n\t'5'\n\t'3.1.1'") and may not name the option.
    private static string OneLine(ParseError error)
    {
        var words = error.Message.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var text = string.Join(' ', words).Replace("' '", "', '", StringComparison.Ordinal).TrimEnd('.');
        if (CannotParse().Match(text) is { Success: true } parse)
        {
            // "Cannot parse argument 'abc' for option '--rows' as expected type 'System.Int32'" speaks .NET, not to people.
            var kind = parse.Groups["type"].Value switch
            {
                var t when t.Contains("Int", StringComparison.Ordinal) => "a whole number",
                var t when t.Contains("Double", StringComparison.Ordinal) || t.Contains("Decimal", StringComparison.Ordinal) => "a number",
                var t when t.Contains("Boolean", StringComparison.Ordinal) => "true or false",
                _ => "a value of the expected kind",
            };
            var shown = parse.Groups["value"].Value is { Length: > 40 } lengthy ? lengthy[..40] + "…" : parse.Groups["value"].Value;
            return $"{parse.Groups["option"].Value}: '{shown}' is not {kind} (or is too large); give {kind}";
        }

        return error.SymbolResult is OptionResult { Option.Name: var name } && !text.Contains(name, StringComparison.Ordinal)
            ? $"{name}: {text}"
            : text;
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
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

    [System.Text.RegularExpressions.GeneratedRegex(@"^Cannot parse argument '(?<value>.*)' for option '(?<option>[^']+)' as expected type '(?<type>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex CannotParse();
}
