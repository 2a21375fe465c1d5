namespace Ingest.Gateway.Cli;

/// <summary>A command cannot run because of what the user asked for; the message says what to change.</summary>
internal sealed class CliException : Exception
{
    public CliException(string message)
        : base(message)
    {
    }
}
