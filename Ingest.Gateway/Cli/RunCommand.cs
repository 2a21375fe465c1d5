using System.CommandLine;
using Ingest.Gateway.Configuration;
using Ingest.Gateway.Hosting;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest run</c>: the main job. Trackers (the simulated fleet until the radio lands, issue 10) → decode →
/// Arrow batches → durable spool → the broker, or with no broker the outbox folder <c>DATA_DIR/outbox/</c>. Every option
/// is also a configuration key (docs/configuration.md); the command line wins over the environment and the file.
/// </summary>
internal static class RunCommand
{
    /// <summary>
    /// Longest <c>--duration</c>: 30 days (720h). The timer behind it holds at most 49.7 days; a hub meant to run longer
    /// runs without <c>--duration</c>, until it is stopped.
    /// </summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(30);

    /// <summary>An option and the configuration key it sets.</summary>
    private sealed record KeyOption(Option<string?> Option, string Key);

    public static Command Create()
    {
        KeyOption[] keyed =
        [
            Keyed("--simulate", "Simulator:Trackers", "Run N virtual trackers across the shipped profiles behind the simulated radio, instead of the hub's Bluetooth adapter", "N"),
            Keyed("--seed", "Simulator:Seed", "Seed of the simulator (same seed, same data)"),
            Keyed("--data-dir", "DataDir", "Folder for the spool (DIR/spool), the outbox (DIR/outbox) and wearable-ingest.json (default ./data)", "DIR"),
            Keyed("--config", "Config", "JSON configuration file (default DIR/wearable-ingest.json when present)", "FILE"),
            Keyed("--broker", "Broker:Url", "Publish to this MQTT broker, e.g. mqtts://broker.example.org:8883 (without it: Arrow files under DIR/outbox)", "URL"),
            Keyed("--username", "Broker:Username", "User name for the broker"),
            Keyed("--password", "Broker:Password", "Password for the broker (better: WEARABLE_INGEST_BROKER__PASSWORD)"),
            Keyed("--ca-file", "Broker:CaFile", "PEM file with the CA that signed the broker's certificate", "FILE"),
            Keyed("--cert-file", "Broker:CertFile", "PEM client certificate (mutual TLS)", "FILE"),
            Keyed("--key-file", "Broker:KeyFile", "PEM private key of the client certificate", "FILE"),
            Keyed("--pin-sha256", "Broker:PinSha256", "Expected SHA-256 of the broker's public key(s), comma-separated"),
            Keyed("--tls-server-name", "Broker:TlsServerName", "Name expected on the broker's certificate, if not the host"),
            Keyed("--hub-id", "Hub:Id", "This hub's id (default: the machine name)"),
            Keyed("--study", "Hub:Study", "Study code (default demo)"),
            Keyed("--site", "Hub:Site", "Site id (default site-1)"),
            Keyed("--profiles-dir", "Profiles:Directory", "Folder of firmware profiles (default: ./firmware-profiles, else the shipped ones)", "DIR"),
            Keyed("--compression", "Batching:Compression", "Arrow body compression: none, lz4, zstd (default none; apache-arrow JS cannot read compressed bodies)"),
            Keyed("--batch-rows", "Batching:MaxRows", "Seal a stream's batch at this many rows (default 1024)"),
            Keyed("--batch-age", "Batching:MaxAge", "... or when its first row is this old (default 1s)"),
            Keyed("--spool-max", "Spool:MaxBytes", "Spool size limit; when full, intake pauses (default 1GiB)"),
            Keyed("--shutdown-grace", "Pipeline:ShutdownGrace", "How long a stop waits for the broker to take what is spooled (default 10s)"),
            Keyed("--require-receipts", "Pipeline:RequireReceipts", "true: release a batch only after the platform's receipt (needs --broker)"),
            Keyed("--health-interval", "Health:Interval", "How often the hub's health goes to its status topic (default 10s)"),
            Keyed("--web", "Web:Urls", "Serve the participant page and the nurse pages here (default http://0.0.0.0:8080; off: no web pages)", "URL"),
            Keyed("--metrics", "Metrics:PrometheusUrls", "Serve Prometheus metrics at URL/metrics (default http://127.0.0.1:9464; off: none)", "URL"),
        ];
        var duration = new Option<string?>("--duration") { Description = "Run this long (5s, 10m, 2h), then stop as on SIGTERM", HelpName = "TIME" };
        var check = new Option<bool>("--check-config") { Description = "Check the configuration, show each value and where it came from, and exit" };
        var set = new Option<string[]>("--set")
        {
            Description = "Set any configuration key: --set Spool:CommitWindow=50ms (may be repeated; see docs/configuration.md)",
            HelpName = "KEY=VALUE",
            AllowMultipleArgumentsPerToken = false,
        };
        var command = new Command("run",
            "Run the hub: trackers → decode → Arrow batches → durable spool → the broker (--broker), or Arrow files under " +
            "DATA_DIR/outbox when no broker is configured. Trackers come from the Bluetooth adapter through BlueZ (enrolled ones " +
            "only), or from the simulated radio with --simulate N. Serves the participant and nurse pages (--web) and metrics (--metrics).");
        foreach (var option in keyed)
        {
            command.Add(option.Option);
        }

        command.Add(duration);
        command.Add(set);
        command.Add(check);
        command.SetAction(parse => CliRunner.Run(() =>
        {
            var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var pair in parse.GetValue(set) ?? [])
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var key = equals > 0 ? pair[..equals].Trim() : string.Empty;
                if (key.Length == 0 || !GatewayConfiguration.Keys.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    throw new CliException($"--set '{ValueText.Shown(pair)}': {(key.Length == 0 ? "write it as KEY=VALUE" : $"{ValueText.Shown(key)} is not a configuration key")}; see docs/configuration.md for the keys");
                }

                if (string.IsNullOrWhiteSpace(pair[(equals + 1)..]))
                {
                    // An empty value would silently mean "the default"; leaving the --set out says that plainly.
                    throw new CliException($"--set {key}= has no value; give KEY=VALUE, or leave it out for the default (docs/configuration.md)");
                }

                values[key] = pair[(equals + 1)..];
                names[key] = "--set " + key;
            }

            foreach (var option in keyed)
            {
                if (parse.GetValue(option.Option) is { } value)
                {
                    if (string.IsNullOrWhiteSpace(value))
                    {
                        throw new CliException($"{option.Option.Name} is empty; give a value, or leave the option out for the default ({option.Key} in docs/configuration.md)");
                    }

                    values[option.Key] = value;
                    names[option.Key] = option.Option.Name;
                }
            }

            TimeSpan? runFor = null;
            if (parse.GetValue(duration) is { } text)
            {
                if (!ValueText.TryParseDuration(text, out var parsed) || parsed <= TimeSpan.Zero)
                {
                    throw new CliException($"--duration '{ValueText.Shown(text)}' is not a positive duration; use {ValueText.DurationForms}");
                }

                if (parsed > MaxDuration)
                {
                    throw new CliException($"--duration '{ValueText.Shown(text)}' is longer than {ValueText.Duration(MaxDuration)}; give at most that, or leave --duration out to run until stopped");
                }

                runFor = parsed;
            }

            var settings = GatewayConfiguration.Load(values, names);
            if (parse.GetValue(check))
            {
                ShowConfiguration(settings);
                return ExitCodes.Success;
            }

            if (!OperatingSystem.IsLinux())
            {
                throw new CliException("run needs Linux (the spool relies on Linux's fsync semantics)");
            }

            var host = new HubHost(settings, runFor, Console.Out, Console.Error, terminal: ServiceManager.MayRedraw());
            return host.RunAsync().GetAwaiter().GetResult();
        }));
        return command;
    }

    private static void ShowConfiguration(GatewaySettings settings)
    {
        Console.WriteLine($"configuration file: {settings.ConfigFile ?? "none"}");
        Console.WriteLine($"data directory: {settings.DataDirectory}");
        Console.WriteLine($"hub {settings.Ingest.HubId}, study {settings.Ingest.Study}, site {settings.Ingest.Site}; " +
            (settings.Broker is { } broker ? $"broker {broker.Broker}" : $"no broker: outbox {settings.OutboxDirectory}"));
        foreach (var value in settings.Sources)
        {
            Console.WriteLine($"  {value.Key} = {value.Value} ({value.Source})");
        }

        Console.WriteLine("every other key has its default (docs/configuration.md); the configuration is valid");
    }

    private static KeyOption Keyed(string name, string key, string description, string? helpName = null) =>
        new(new Option<string?>(name) { Description = $"{description} [{key}]", HelpName = helpName ?? "VALUE" }, key);
}
