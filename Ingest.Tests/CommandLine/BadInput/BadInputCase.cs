namespace Ingest.Tests.CommandLine.BadInput;

/// <summary>
/// One bad input for one command, as a row of the bad-input harness (BadInputHarnessTests). The harness
/// runs the real executable in a scratch folder and asserts: the exit code that README.md's exit-code table gives for
/// (<see cref="Command"/>, <see cref="Exit"/>), exactly one <c>error:</c> line on stderr containing every fragment of
/// <see cref="Says"/>, no stack trace anywhere, no file that existed before changed, no new file unless listed in
/// <see cref="MayCreate"/>, and a bounded memory (the child runs under a GC heap hard limit of
/// <see cref="BadInputHarness.HeapLimitBytes"/>).
/// </summary>
/// <remarks>
/// Placeholders in <see cref="Args"/> and <see cref="StandardInput"/>: <c>{dir}</c> the case's scratch folder (also the
/// working directory), <c>{closed-port}</c> a loopback port nothing listens on, <c>{silent-broker}</c> the
/// <c>host:port</c> of a loopback listener that accepts connections and never answers, <c>{profiles}</c> the
/// repository's firmware-profiles folder.
/// </remarks>
public sealed record BadInputCase
{
    /// <summary>The command as README.md's exit-code table names it: "decode", "broker check", "staff add" …</summary>
    public required string Command { get; init; }

    /// <summary>What is wrong, in a few words (the row's name in test output): "output equal to the capture".</summary>
    public required string Input { get; init; }

    /// <summary>The arguments after <c>wearable-ingest</c>, starting with the command's words.</summary>
    public required string[] Args { get; init; }

    /// <summary>The outcome's name in README.md's exit-code table ("usage", "rejected", "unreachable", "interrupted" …).</summary>
    public required string Exit { get; init; }

    /// <summary>Fragments (case-insensitive) the single <c>error:</c> line must contain: what was wrong and what to change.</summary>
    public required string[] Says { get; init; }

    /// <summary>Creates the case's input files in the scratch folder (given as the argument) before the run.</summary>
    public Action<string>? Arrange { get; init; }

    /// <summary>Text written to the command's standard input (then closed); null: standard input is closed at once.</summary>
    public string? StandardInput { get; init; }

    /// <summary>A file (relative to the scratch folder, made by <see cref="Arrange"/>) streamed to standard input.</summary>
    public string? StandardInputFile { get; init; }

    /// <summary>Sends SIGINT (Ctrl+C) once the command's output contains this text (e.g. "Connecting").</summary>
    public string? InterruptWhen { get; init; }

    /// <summary>Extra environment variables for the run (WEARABLE_INGEST_* from the test's own environment are removed).</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Paths (relative to the scratch folder) the command may create even though it failed (e.g. a data folder).</summary>
    public string[] MayCreate { get; init; } = [];

    /// <summary>How long the run may take before the harness fails it.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Name shown by the test runner.</summary>
    public override string ToString() => $"{Command}: {Input}";
}

/// <summary>
/// Marks a static class holding bad-input rows: it must have <c>public static IEnumerable&lt;BadInputCase&gt; Cases()</c>.
/// The harness finds every such class, so a new command joins the table by adding a class (or rows to one).
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class BadInputRowsAttribute : Attribute;
