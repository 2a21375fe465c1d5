using System.CommandLine;
using System.Reflection;
using Ingest.Gateway.Cli;

namespace Ingest.Tests.CommandLine.BadInput;

/// <summary>
/// Every command with a catalogue of bad inputs (the rows are the <c>[BadInputRows]</c> classes in Rows/): each gets the
/// exit code README.md documents, one <c>error:</c> line saying what was wrong and what to change, no stack trace, no
/// input changed, no stray file, and bounded memory.
/// </summary>
public sealed class BadInputHarnessTests
{
    /// <summary>The Command of rows about the command words themselves (unknown command, missing subcommand).</summary>
    public const string RootCommandName = "wearable-ingest";

    private static readonly Lazy<IReadOnlyDictionary<string, BadInputCase>> Catalogue = new(LoadCatalogue);

    /// <summary>Every row's name, for the theory.</summary>
    public static TheoryData<string> Rows() => new(Catalogue.Value.Keys.Order(StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task Bad_input_gets_the_documented_exit_and_one_line_saying_what_to_change_and_loses_nothing(string name)
    {
        var row = Catalogue.Value[name];
        var expectedExit = ReadmeExitCodes.Load().For(row.Command, row.Exit);
        var outcome = await BadInputHarness.RunAsync(row);
        var shown = $"'{row}': {string.Join(' ', row.Args.Select(a => a.Length > 80 ? a[..80] + "…" : a))}\n" +
            $"exit {outcome.ExitCode}\nstdout:\n{outcome.StandardOutput}\nstderr:\n{outcome.StandardError}";

        Assert.True(expectedExit == outcome.ExitCode, $"expected exit {expectedExit} ({row.Exit}) — {shown}");
        Assert.True(BadInputHarness.StackTraceLines(outcome.StandardOutput + "\n" + outcome.StandardError).Count == 0, "a stack trace — " + shown);
        Assert.True(BadInputHarness.ControlCharacterLines(outcome.StandardOutput + "\n" + outcome.StandardError).Count == 0,
            "control characters (raw input bytes?) in the output — " + shown);

        var errorLines = Lines(outcome.StandardError).Where(l => l.StartsWith("error: ", StringComparison.Ordinal)).ToList();
        Assert.True(!Lines(outcome.StandardOutput).Any(l => l.StartsWith("error:", StringComparison.Ordinal)), "an error on stdout — " + shown);
        if (row.Exit == "ok")
        {
            Assert.True(errorLines.Count == 0, "an error line although the outcome is ok — " + shown);
            foreach (var fragment in row.Says)
            {
                Assert.True((outcome.StandardOutput + outcome.StandardError).Contains(fragment, StringComparison.OrdinalIgnoreCase),
                    $"the output does not say '{fragment}' — {shown}");
            }
        }
        else
        {
            Assert.True(errorLines.Count == 1, $"{errorLines.Count} 'error: ' lines on stderr where one was expected — {shown}");
            foreach (var fragment in row.Says)
            {
                Assert.True(errorLines[0].Contains(fragment, StringComparison.OrdinalIgnoreCase),
                    $"the error line does not say '{fragment}' — {shown}");
            }
        }

        Assert.True(outcome.ChangedFiles.Count == 0, $"input file(s) changed: {string.Join(", ", outcome.ChangedFiles)} — {shown}");
        Assert.True(outcome.NewFiles.Count == 0, $"file(s) left behind: {string.Join(", ", outcome.NewFiles)} — {shown}");
        Assert.True(outcome.PeakResidentBytes <= BadInputHarness.PeakResidentLimitBytes,
            $"peak resident memory {outcome.PeakResidentBytes >> 20} MiB > {BadInputHarness.PeakResidentLimitBytes >> 20} MiB — {shown}");
    }

    [Fact]
    public void Every_command_has_rows_in_the_harness()
    {
        var covered = Catalogue.Value.Values.Select(r => r.Command).ToHashSet(StringComparer.Ordinal);
        var missing = Runnable(WearableIngestCli.Build(), "").Where(c => !covered.Contains(c)).ToList();
        Assert.True(missing.Count == 0, "commands without bad-input rows (add a [BadInputRows] class or rows): " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_row_names_a_command_that_exists_and_an_outcome_the_readme_documents_for_it()
    {
        var commands = Runnable(WearableIngestCli.Build(), "").Append(RootCommandName).ToHashSet(StringComparer.Ordinal);
        var table = ReadmeExitCodes.Load();
        foreach (var row in Catalogue.Value.Values)
        {
            Assert.True(commands.Contains(row.Command), $"'{row}': there is no command '{row.Command}'");
            _ = table.For(row.Command, row.Exit);
            Assert.True(row.Exit == "ok" || row.Says.Length > 0, $"'{row}': say what the error line must contain");
        }
    }

    [Fact]
    public void The_readme_exit_table_agrees_with_the_codes_the_program_uses()
    {
        var table = ReadmeExitCodes.Load();
        Assert.Equal(ExitCodes.Success, table.For("decode", "ok"));
        Assert.Equal(ExitCodes.InputRejected, table.For("decode", "rejected"));
        Assert.Equal(ExitCodes.UsageError, table.For("decode", "usage"));
        Assert.Equal(ExitCodes.ServiceFailed, table.For("run", "failed"));
        Assert.Equal(ExitCodes.BrokerUnreachable, table.For("run", "unreachable"));
        Assert.Equal(ExitCodes.RadioUnavailable, table.For("run", "no-radio"));
        Assert.Equal(ExitCodes.RadioUnavailable, table.For("scan", "no-radio"));
        Assert.Equal(ExitCodes.Interrupted, table.For("broker check", "interrupted"));
        Assert.Equal(ExitCodes.InternalError, table.For("decode", "bug"));
    }

    [Fact]
    public void The_readme_table_parser_reads_specific_rows_before_every_command_rows()
    {
        var table = ReadmeExitCodes.Parse("""
            # X
            ## Exit codes
            | Exit | Name | Commands | Meaning |
            |---|---|---|---|
            | `2` | `usage` | every command | bad options |
            | `1` | `broken` | `audit verify` | chain broken |
            | `4` | `usage` | `odd` | an odd command |

            ## Next
            """);
        Assert.Equal(2, table.For("decode", "usage"));
        Assert.Equal(4, table.For("odd", "usage"));
        Assert.Equal(1, table.For("audit verify", "broken"));
        Assert.Throws<InvalidOperationException>(() => table.For("decode", "broken"));
    }

    [Fact]
    public void The_harness_recognises_a_stack_trace_and_raw_bytes_in_output()
    {
        const string trace = """
            Unhandled exception: System.ArgumentException: The value cannot be an empty string. (Parameter 'path')
               at System.IO.File.Create(String path)
               at Ingest.Gateway.Cli.DecodeCommand.<>c__DisplayClass1_1.<Create>b__2() in /x/DecodeCommand.cs:line 36
            """;
        Assert.Equal(3, BadInputHarness.StackTraceLines(trace).Count);
        Assert.Empty(BadInputHarness.StackTraceLines("error: --out is empty; give a path\nat least 3 rows were written"));
        Assert.Single(BadInputHarness.ControlCharacterLines("b.hex: line 2: not hex: '\u0001\u0002'\nfine"));
        Assert.Empty(BadInputHarness.ControlCharacterLines("\u001b[31mred\u001b[0m\ttab"));
    }

    private static IEnumerable<string> Lines(string text) => text.Split('\n').Select(l => l.TrimEnd('\r'));

    private static IEnumerable<string> Runnable(Command command, string prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            var name = prefix.Length == 0 ? sub.Name : $"{prefix} {sub.Name}";
            if (sub.Action is not null)
            {
                yield return name;
            }

            foreach (var deeper in Runnable(sub, name))
            {
                yield return deeper;
            }
        }
    }

    private static IReadOnlyDictionary<string, BadInputCase> LoadCatalogue()
    {
        var rows = new Dictionary<string, BadInputCase>(StringComparer.Ordinal);
        foreach (var type in typeof(BadInputHarnessTests).Assembly.GetTypes().Where(t => t.GetCustomAttribute<BadInputRowsAttribute>() is not null))
        {
            var cases = type.GetMethod("Cases", BindingFlags.Public | BindingFlags.Static)
                ?? throw new InvalidOperationException($"{type.Name} is marked [BadInputRows] but has no public static Cases()");
            foreach (var row in (IEnumerable<BadInputCase>)cases.Invoke(null, null)!)
            {
                if (!rows.TryAdd(row.ToString(), row))
                {
                    throw new InvalidOperationException($"two bad-input rows are named '{row}' ({type.Name}); name each input differently");
                }
            }
        }

        return rows;
    }
}
