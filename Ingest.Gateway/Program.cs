using Ingest.Gateway.Cli;

return await WearableIngestCli.RunAsync(args).ConfigureAwait(false);
