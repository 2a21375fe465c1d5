using Ingest.Tests.Support;

namespace Ingest.Tests.CommandLine.BadInput;

/// <summary>
/// The exit-code table in README.md's "Exit codes" section, read as the harness's source of truth: columns Exit, Name,
/// Commands ("every command" or a list of `command` names), Meaning.
/// </summary>
public sealed class ReadmeExitCodes
{
    /// <summary>The Commands cell that applies a row to every command.</summary>
    public const string EveryCommand = "every command";

    private ReadmeExitCodes(IReadOnlyList<Row> rows)
    {
        Rows = rows;
    }

    /// <summary>One row of the table.</summary>
    public sealed record Row(int Exit, string Name, IReadOnlyList<string> Commands, string Meaning);

    /// <summary>The rows, in README order.</summary>
    public IReadOnlyList<Row> Rows { get; }

    /// <summary>Reads the table from the repository's README.md.</summary>
    public static ReadmeExitCodes Load() => Parse(File.ReadAllText(Path.Combine(Peers.RepositoryRoot, "README.md")));

    /// <summary>Reads the table from README text.</summary>
    public static ReadmeExitCodes Parse(string readme)
    {
        ArgumentNullException.ThrowIfNull(readme);
        var lines = readme.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var heading = lines.FindIndex(l => l.Trim() == "## Exit codes");
        if (heading < 0)
        {
            throw new InvalidOperationException("README.md has no '## Exit codes' section");
        }

        var rows = new List<Row>();
        foreach (var line in lines.Skip(heading + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Trim('|').Split('|').Select(c => c.Trim().Replace("`", "", StringComparison.Ordinal)).ToArray();
            if (cells.Length != 4 || cells[0] == "Exit" || cells[0].StartsWith("---", StringComparison.Ordinal))
            {
                continue;
            }

            var commands = cells[2] == EveryCommand ? [EveryCommand] : cells[2].Split(',').Select(c => c.Trim()).ToArray();
            rows.Add(new Row(int.Parse(cells[0], System.Globalization.CultureInfo.InvariantCulture), cells[1], commands, cells[3]));
        }

        if (rows.Count == 0)
        {
            throw new InvalidOperationException("README.md's '## Exit codes' section has no table rows (| Exit | Name | Commands | Meaning |)");
        }

        return new ReadmeExitCodes(rows);
    }

    /// <summary>The exit code documented for <paramref name="command"/> ending in the outcome <paramref name="name"/>.</summary>
    public int For(string command, string name)
    {
        var specific = Rows.Where(r => r.Name == name && r.Commands.Contains(command)).ToList();
        var matches = specific.Count > 0 ? specific : Rows.Where(r => r.Name == name && r.Commands.Contains(EveryCommand)).ToList();
        return matches.Count switch
        {
            1 => matches[0].Exit,
            0 => throw new InvalidOperationException(
                $"README.md's exit-code table has no outcome '{name}' for '{command}'; it has: " +
                string.Join(", ", Rows.Select(r => $"{r.Name} ({string.Join("/", r.Commands)})"))),
            _ => throw new InvalidOperationException($"README.md's exit-code table gives outcome '{name}' for '{command}' twice"),
        };
    }
}
