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
    ];
}
