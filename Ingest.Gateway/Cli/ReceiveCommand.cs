using System.CommandLine;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Ingest.Gateway.Receiving;
using Ingest.Pipeline.Publishing.Mqtt;
using MQTTnet.Formatter;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest receive --broker URL --out DIR</c>: the platform side's reference intake (docs/receiver.md). Joins a
/// shared subscription, verifies and lands every batch as Parquet by identity, answers receipts, and reports rates,
/// duplicates, missing sequences and completeness on the terminal and in <c>DIR/report.json</c>.
/// </summary>
internal static class ReceiveCommand
{
    /// <summary>Exit code: could not connect or subscribe (as <c>broker check</c>).</summary>
    public const int ConnectFailed = BrokerCheckCommand.ConnectFailed;

    /// <summary>Exit code: a batch could not be written (disk full, permissions); it stays unacknowledged and the broker keeps it.</summary>
    public const int LandingFailed = 4;

    /// <summary>File name of the machine-readable report in the output folder.</summary>
    public const string ReportFileName = "report.json";

    /// <summary>How often the terminal's status line is refreshed; plain logs get a line every <see cref="s_logInterval"/>.</summary>
    private static readonly TimeSpan s_statusInterval = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan s_logInterval = TimeSpan.FromSeconds(10);

    /// <summary>Exit code: Ctrl+C before the connection was made (afterwards Ctrl+C is a clean stop with exit code 0).</summary>
    public const int Interrupted = ExitCodes.Interrupted;

    /// <summary>
    /// Longest --duration and --until-idle: 24 days, just under what a .NET timer holds (2^31 − 1 ms ≈ 24.8 days). An
    /// intake meant to run longer runs as a service without them.
    /// </summary>
    public static readonly TimeSpan MaximumRunTime = TimeSpan.FromDays(24);

    /// <summary>Longest session expiry: the MQTT 5 Four Byte Integer's maximum, which means "never expires" [MQTT-3.1.2.11.2].</summary>
    public const uint MaximumSessionExpirySeconds = uint.MaxValue;

    public static Command Create()
    {
        var broker = BrokerOptions.Create("Broker address, e.g. mqtts://broker.example.org:8883 (mqtt:// for plain TCP; wss://host/mqtt or ws:// when only web ports are open)");
        var outOption = new Option<string>("--out") { Description = "Folder for the Parquet partitions, staging, quarantine, ledger and report (created when missing)", Required = true };
        var groupOption = new Option<string>("--group") { Description = "Shared subscription group: receivers in one group split the batches", DefaultValueFactory = _ => ReceiverOptions.DefaultGroup };
        var studyOption = new Option<string?>("--study") { Description = "Receive only this study's batches (default: every study)" };
        var clientIdOption = new Option<string?>("--client-id") { Description = "MQTT client id; give each receiver its own and keep it across restarts (default wi-recv-<host>-<group>)" };
        var receiveMaximumOption = BrokerOptions.WholeNumber("--receive-maximum", "Batches in hand before acknowledging (MQTT 5 Receive Maximum)",
            1, ushort.MaxValue, ReceiverOptions.DefaultReceiveMaximum);
        var sessionOption = BrokerOptions.WholeNumber("--session-expiry",
            "Seconds the broker keeps this receiver's session (and queues its share) while it is away; 0 for none", 0, MaximumSessionExpirySeconds,
            ReceiverOptions.DefaultSessionExpirySeconds);
        var durationOption = BrokerOptions.Seconds("--duration", "Stop after this many seconds", 0, MaximumRunTime.TotalSeconds, minimumExclusive: true);
        var idleOption = BrokerOptions.Seconds("--until-idle", "Stop when no message arrived for this many seconds", 0, MaximumRunTime.TotalSeconds, minimumExclusive: true);
        var formatOption = new Option<string>("--format") { Description = "The final report on standard output: text (people) or json (machines; the same as DIR/report.json)", DefaultValueFactory = _ => "text" };
        formatOption.Validators.Add(static result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "text";
            if (text is not ("text" or "json"))
            {
                result.AddError($"--format {MqttOptionText.Quote(text)} is not a report format; give text or json");
            }
        });

        var receive = new Command("receive", "Receive hubs' batches from the broker (shared subscription), verify them and land them as Parquet partitions for data engineers.")
        {
            outOption, groupOption, studyOption, clientIdOption, receiveMaximumOption, sessionOption, durationOption, idleOption, formatOption,
        };
        foreach (var option in broker.All)
        {
            receive.Add(option);
        }

        receive.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            ReceiverOptions options;
            try
            {
                var settings = broker.Read(parseResult);
                var group = parseResult.GetRequiredValue(groupOption);
                options = new ReceiverOptions
                {
                    Broker = settings.Broker,
                    OutputDirectory = RequireOutputFolder(parseResult.GetValue(outOption)),
                    ClientId = parseResult.GetValue(clientIdOption) ?? DefaultClientId(group),
                    Group = group,
                    Study = parseResult.GetValue(studyOption),
                    UserName = settings.UserName,
                    Password = settings.Password,
                    Tls = settings.Tls,
                    ProtocolVersion = settings.Version,
                    ReceiveMaximum = (int)parseResult.GetValue(receiveMaximumOption),
                    SessionExpirySeconds = (uint)parseResult.GetValue(sessionOption),
                };
                options.Validate();
            }
            catch (MqttOptionsException ex)
            {
                await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            var json = parseResult.GetValue(formatOption) == "json";
            return await RunAsync(options, Seconds(parseResult.GetValue(durationOption)), Seconds(parseResult.GetValue(idleOption)), output, error, json, cancellationToken)
                .ConfigureAwait(false);
        });
        receive.Add(CreateCompact());
        return receive;
    }

    /// <summary><c>receive compact --out DIR [--before YYYY-MM-DD]</c>: one Parquet file per stream and closed day (docs/receiver.md).</summary>
    private static Command CreateCompact()
    {
        var outOption = new Option<string>("--out") { Description = "The receiver's output folder (what receive --out wrote to)", Required = true };
        var beforeOption = new Option<string?>("--before") { Description = "Compact days before this UTC date, YYYY-MM-DD, at most tomorrow (default: today, so every closed day)" };
        var compact = new Command("compact", "Merge the per-batch Parquet files of every closed day into one file per stream and day (duplicates dropped).")
        {
            outOption, beforeOption,
        };
        compact.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var before = today;
            if (parseResult.GetValue(beforeOption) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out before))
                {
                    await error.WriteLineAsync($"error: --before {MqttOptionText.Quote(text)} is not a date; write it as YYYY-MM-DD, e.g. {today:yyyy-MM-dd}").ConfigureAwait(false);
                    return ExitCodes.UsageError;
                }

                // No partition is dated after today (UTC), so a later date means the same as tomorrow: most likely a typo.
                if (before > today.AddDays(1))
                {
                    await error.WriteLineAsync($"error: --before {before:yyyy-MM-dd} is in the future; give at most {today.AddDays(1):yyyy-MM-dd} (tomorrow, UTC: compacts today too), or leave it out for every closed day")
                        .ConfigureAwait(false);
                    return ExitCodes.UsageError;
                }
            }

            var directory = parseResult.GetValue(outOption);
            if (ProblemWithReceiverFolder(directory) is { } problem)
            {
                await error.WriteLineAsync("error: --out " + problem).ConfigureAwait(false);
                return ExitCodes.UsageError;
            }

            try
            {
                var (written, removed) = await ParquetCompaction.CompactAsync(directory!, before, cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Compacted days before {before:yyyy-MM-dd}: {written} file(s) written, {removed} per-batch file(s) merged into them.")).ConfigureAwait(false);
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: cannot compact {directory}: {ex.Message}; check the folder's free space and permissions (every input is kept until its merged file is written)").ConfigureAwait(false);
                return LandingFailed;
            }
        });
        return compact;
    }

    /// <summary>
    /// Checks --out of <c>receive</c>: a folder (created when missing), not a file. Throws <see cref="MqttOptionsException"/>
    /// for shape errors; whether it can be written is found when the store opens it.
    /// </summary>
    private static string RequireOutputFolder(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new MqttOptionsException("--out", "is empty; give the folder to land batches in (it is created when missing)");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw new MqttOptionsException("--out", "contains a NUL character; give a plain path");
        }

        if (File.Exists(path))
        {
            throw new MqttOptionsException("--out", $"{MqttOptionText.Quote(path)} is a file; give a folder (it is created when missing)");
        }

        return Path.GetFullPath(path);
    }

    /// <summary>What is wrong with --out of <c>receive compact</c> (an existing folder that a receiver wrote to), or null.</summary>
    private static string? ProblemWithReceiverFolder(string? path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "is empty; give the folder receive --out wrote to";
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return "contains a NUL character; give a plain path";
        }

        if (File.Exists(path))
        {
            return $"{MqttOptionText.Quote(path)} is a file; give the folder receive --out wrote to";
        }

        if (!Directory.Exists(path))
        {
            return $"{MqttOptionText.Quote(path)} does not exist; give the folder receive --out wrote to (relative paths start at {Environment.CurrentDirectory})";
        }

        if (!Directory.Exists(Path.Combine(path, ParquetLanding.Folder)) && !File.Exists(Path.Combine(path, BatchStore.LedgerFileName)))
        {
            return $"{MqttOptionText.Quote(path)} holds no received batches (no {ParquetLanding.Folder}/ folder or {BatchStore.LedgerFileName}); give the folder receive --out wrote to";
        }

        return null;
    }

    private static TimeSpan? Seconds(double? seconds) => seconds is { } value ? TimeSpan.FromSeconds(value) : null;

    private static string DefaultClientId(string group)
    {
        // Client ids allow only ASCII letters, digits, '-' and '_' [MQTT-3.1.3-5]; host names and groups may hold more.
        var builder = new StringBuilder("wi-recv-");
        foreach (var c in Environment.MachineName.ToLowerInvariant() + "-" + group)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }

        var id = builder.ToString();
        return id.Length <= MqttPublisherOptions.MaximumClientIdLength ? id : id[..MqttPublisherOptions.MaximumClientIdLength];
    }

    private static async Task<int> RunAsync(ReceiverOptions options, TimeSpan? duration, TimeSpan? untilIdle, TextWriter output, TextWriter error, bool json,
        CancellationToken cancellationToken)
    {
        BatchStore store;
        try
        {
            store = BatchStore.Open(options.OutputDirectory);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Checked before connecting: nothing was received, so nothing is left with the broker that should not be.
            await error.WriteLineAsync($"error: --out {MqttOptionText.Quote(options.OutputDirectory)} cannot be written: {ex.Message.TrimEnd('.')}; choose a folder this user can create and write")
                .ConfigureAwait(false);
            return LandingFailed;
        }

        if (store.RecoveredOnOpen > 0)
        {
            await output.WriteLineAsync($"Landed {store.RecoveredOnOpen} staged batch(es) the ledger had not recorded yet.").ConfigureAwait(false);
        }

        // SIGTERM (a service manager) and SIGINT (Ctrl+C) finish the batch in hand, then stop with exit code 0.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });

        var receiver = new BatchReceiver(options, store);
        await using var _ = receiver.ConfigureAwait(false);
        await output.WriteLineAsync($"Connecting to {options.Broker} …").ConfigureAwait(false);
        try
        {
            await receiver.ConnectAsync(stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (stop.IsCancellationRequested && ex is OperationCanceledException or MqttConnectException)
        {
            // Ctrl+C (or SIGTERM) before the connection was made: nothing was received, so there is nothing to report.
            await error.WriteLineAsync($"error: interrupted before the connection to {options.Broker} was made; nothing was received").ConfigureAwait(false);
            return Interrupted;
        }
        catch (MqttConnectException ex)
        {
            await error.WriteLineAsync($"error: cannot connect to {options.Broker}: {BrokerCheckCommand.Explain(ex, options.Broker, options.Tls)}").ConfigureAwait(false);
            await error.WriteLineAsync("  details: " + ex.Message).ConfigureAwait(false);
            return ConnectFailed;
        }

        await output.WriteLineAsync($"Receiving {options.TopicFilter} from {options.Broker} as {options.ClientId} (MQTT {(receiver.ProtocolVersion == MqttProtocolVersion.V500 ? "5" : "3.1.1")}) into {options.OutputDirectory}")
            .ConfigureAwait(false);
        var terminal = !Console.IsOutputRedirected && ReferenceEquals(output, Console.Out);
        using var statusStop = new CancellationTokenSource();
        var status = ShowStatusAsync(receiver, output, terminal, statusStop.Token);
        try
        {
            await receiver.RunAsync(duration, untilIdle, stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: cannot write to {options.OutputDirectory}: {ex.Message} (the batch in hand stays with the broker)").ConfigureAwait(false);
            return LandingFailed;
        }
        finally
        {
            await statusStop.CancelAsync().ConfigureAwait(false);
            await status.ConfigureAwait(false);
        }

        var report = receiver.Report();
        var reportPath = Path.Combine(options.OutputDirectory, ReportFileName);
        await File.WriteAllBytesAsync(reportPath, JsonSerializer.SerializeToUtf8Bytes(report, ReceiverJsonContext.Default.ReceiverReport), CancellationToken.None)
            .ConfigureAwait(false);
        if (terminal)
        {
            await output.WriteLineAsync().ConfigureAwait(false);
        }

        if (json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(report, ReceiverJsonContext.Default.ReceiverReport)).ConfigureAwait(false);
        }
        else
        {
            await WriteSummaryAsync(report, reportPath, output).ConfigureAwait(false);
        }

        return ExitCodes.Success;
    }

    private static async Task ShowStatusAsync(BatchReceiver receiver, TextWriter output, bool terminal, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(terminal ? s_statusInterval : s_logInterval, cancellationToken).ConfigureAwait(false);
                var line = StatusLine(receiver.Report());
                await output.WriteAsync(terminal ? "\r" + line.PadRight(Math.Min(Console.WindowWidth - 1, 160)) : line + Environment.NewLine).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped with the receiver.
        }
    }

    internal static string StatusLine(ReceiverReport report)
    {
        long missing = 0;
        foreach (var stream in report.Streams)
        {
            missing += stream.MissingSequences;
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{report.BatchesPerSecond,8:0.0} batches/s {report.RowsPerSecond,10:0} rows/s | landed {report.Batches} | duplicates {report.Duplicates} | conflicts {report.Conflicts} | rejected {report.Rejected} | missing {missing} | streams {report.Streams.Count}");
    }

    /// <summary>Hub rows in the text report; the rest are in report.json (sorted worst first, so the cut keeps the ones to look at).</summary>
    public const int MaximumHubRowsShown = 50;

    /// <summary>
    /// The fleet for people: one summary line, then hubs worst first (state, last status, last batch, backlog), each with
    /// its streams worst first (hub and receiver completeness, rate, missing sequences).
    /// </summary>
    internal static IEnumerable<string> FleetLines(ReceiverReport report)
    {
        var fleet = report.Fleet;
        var summary = fleet.Summary;
        yield return string.Create(CultureInfo.InvariantCulture,
            $"Fleet: {summary.Hubs} hub(s): {summary.Online} online, {summary.Stale} stale, {summary.Offline} offline, {summary.Stopped} stopped, {summary.NoStatus} without status; " +
            $"{summary.StreamsBelowThreshold} of {summary.Streams} stream(s) below {summary.CompletenessThreshold:P0} complete; " +
            $"{report.StatusMessages} status message(s), {report.StatusMessagesMalformed} malformed");
        if (report.StatusProblem is { } problem)
        {
            yield return "  last status problem: " + problem;
        }

        if (fleet.Hubs.Count == 0)
        {
            yield break;
        }

        yield return $"{"hub / stream",-36} {"state",-9} {"last status",-24} {"last batch",-24} {"backlog",8} {"hub %",7} {"recv %",7} {"rate/s",8} {"missing",8}";
        foreach (var hub in fleet.Hubs.Take(MaximumHubRowsShown))
        {
            var backlog = hub.BacklogBatches is { } b ? b.ToString(CultureInfo.InvariantCulture) : "—";
            if (hub.OldestUnsentAgeSeconds is { } age)
            {
                backlog += string.Create(CultureInfo.InvariantCulture, $" ({age:0}s)");
            }

            yield return $"{hub.Study + "/" + hub.Hub,-36} {hub.State,-9} {hub.LastStatus ?? "—",-24} {hub.LastBatch ?? "—",-24} {backlog,8}";
            foreach (var stream in hub.Streams)
            {
                yield return string.Create(CultureInfo.InvariantCulture,
                    $"{"  " + stream.Device + "." + stream.StreamId,-36} {"",-9} {stream.LastSample ?? "—",-24} {stream.LastBatch ?? "—",-24} {"",8} {Percent(stream.HubCompleteness),7} {Percent(stream.ReceiverCompleteness),7} {(stream.HubSamplesPerSecond is { } r ? r.ToString("0.0", CultureInfo.InvariantCulture) : "—"),8} {stream.MissingSequences,8}");
            }
        }

        if (fleet.Hubs.Count > MaximumHubRowsShown)
        {
            yield return $"… and {fleet.Hubs.Count - MaximumHubRowsShown} more hub(s), all in report.json (or --format json)";
        }
    }

    private static string Percent(double? value) => value is { } v ? v.ToString("P1", CultureInfo.InvariantCulture) : "—";

    private static async Task WriteSummaryAsync(ReceiverReport report, string reportPath, TextWriter output)
    {
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"Received in {report.ElapsedSeconds:0.0} s: {report.Batches} batch(es), {report.Rows} rows ({report.BatchesPerSecond:0.0} batches/s, {report.RowsPerSecond:0} rows/s); " +
            $"{report.Duplicates} duplicate(s), {report.Conflicts} conflict(s), {report.Rejected} rejected, {report.Unverified} without a hash to verify (MQTT 3.1.1), {report.ReceiptsSent} receipt(s) sent."))
            .ConfigureAwait(false);
        foreach (var line in FleetLines(report))
        {
            await output.WriteLineAsync(line).ConfigureAwait(false);
        }

        await output.WriteLineAsync("Report: " + reportPath).ConfigureAwait(false);
    }
}
