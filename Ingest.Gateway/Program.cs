using Ingest.Gateway.Cli;
using Ingest.Gateway.Hosting;

// Under systemd the error stream goes to the journal: mark its lines as errors there (journalctl -p err).
using var journalErrors = OperatingSystem.IsLinux() && ServiceManager.InJournal()
    ? new JournalPriorityWriter(Console.Error, JournalPriorityWriter.Error)
    : null;
if (journalErrors is not null)
{
    Console.SetError(journalErrors);
}

return await WearableIngestCli.RunAsync(args).ConfigureAwait(false);
