namespace Ingest.Gateway.Cli;

/// <summary>Process exit codes shared by every command (documented in README "Exit codes").</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>The command ran, but some input was rejected (frames, capture lines, profiles that failed validation).</summary>
    public const int InputRejected = 1;

    /// <summary>The command could not run: bad options, a wrong profile, a missing file.</summary>
    public const int UsageError = 2;
}
