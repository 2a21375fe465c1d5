namespace Ingest.Tests.CommandLine.BadInput.Rows;

/// <summary>Mistakes in the command words themselves, before any command runs.</summary>
[BadInputRows]
public static class CommandWordRows
{
    /// <summary>The rows.</summary>
    public static IEnumerable<BadInputCase> Cases() =>
    [
        new() { Command = "wearable-ingest", Input = "an unknown command", Args = ["nosuch"], Exit = "usage",
                Says = ["'nosuch' is not a command", "decode", "run", "--help"] },
        new() { Command = "wearable-ingest", Input = "a command in capitals", Args = ["DECODE"], Exit = "usage",
                Says = ["'DECODE' is not a command"] },
        new() { Command = "wearable-ingest", Input = "a unicode look-alike command", Args = ["dеcode"], Exit = "usage",
                Says = ["is not a command"] },
        new() { Command = "wearable-ingest", Input = "a group without its command", Args = ["profiles"], Exit = "usage",
                Says = ["say which 'profiles' command", "validate"] },
        new() { Command = "wearable-ingest", Input = "an unknown option", Args = ["decode", "--bogus", "1"], Exit = "usage",
                Says = ["--bogus", "decode --help"] },
        new() { Command = "wearable-ingest", Input = "an option without its value", Args = ["decode", "--uuid"], Exit = "usage",
                Says = ["--uuid"] },
        new() { Command = "wearable-ingest", Input = "a word where a whole number belongs", Args = ["arrow", "inspect", "x.arrow", "--rows", "ten"],
                Exit = "usage", Says = ["--rows", "'ten' is not a whole number"] },
        new() { Command = "wearable-ingest", Input = "a whole number too large for its option", Args = ["arrow", "inspect", "x.arrow", "--rows", "99999999999"],
                Exit = "usage", Says = ["--rows", "is not a whole number (or is too large)"] },
        new() { Command = "wearable-ingest", Input = "a value after a switch", Args = ["scan", "--json", "maybe"], Exit = "usage",
                Says = ["'maybe'", "scan --help"] },
        new() { Command = "wearable-ingest", Input = "a choice that is not offered", Args = ["decode", "--uuid", "2a37", "--hex", "16 48", "--format", "xml"],
                Exit = "usage", Says = ["--format", "'xml'", "jsonl", "csv", "arrow"] },
    ];
}
