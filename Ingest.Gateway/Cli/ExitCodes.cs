namespace Ingest.Gateway.Cli;

/// <summary>Process exit codes shared by every command (documented in README "Exit codes").</summary>
internal static class ExitCodes
{
    /// <summary>Everything worked.</summary>
    public const int Success = 0;

    /// <summary>The command ran, but some input was rejected (frames, capture lines, profiles that failed validation).</summary>
    public const int InputRejected = 1;

    /// <summary><c>run</c>: the service stopped on a failure (the spool's disk); the reason is printed.</summary>
    public const int ServiceFailed = 1;

    /// <summary>The command could not run: bad options, a wrong profile, a missing file.</summary>
    public const int UsageError = 2;

    /// <summary><c>run</c>: the broker could not be reached at start (an outage later never stops the hub: it keeps spooling).</summary>
    public const int BrokerUnreachable = 3;

    /// <summary><c>run</c>, <c>scan</c>: no Bluetooth radio to use (BlueZ is not running, or the bus cannot be reached); the reason is printed.</summary>
    public const int RadioUnavailable = 4;

    /// <summary>Stopped by Ctrl+C (SIGINT) before finishing; by convention 128 + the signal number.</summary>
    public const int Interrupted = 130;

    /// <summary>A bug: an unexpected failure, reported in one line without a stack trace (never by design).</summary>
    public const int InternalError = 70;
}
