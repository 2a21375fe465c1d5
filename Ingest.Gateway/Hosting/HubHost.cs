using System.Globalization;
using System.Runtime.InteropServices;
using Ingest.Gateway.Cli;
using Ingest.Gateway.Configuration;
using Ingest.Gateway.Registry;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Gateway.Telemetry;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Gateway.Hosting;

/// <summary>
/// Hosts the main job for <c>wearable-ingest run</c>: composes the intake (the simulated fleet until the radio lands),
/// admission, the destination (the broker, or the outbox) and <see cref="IngestService"/>; shows what it does; stops
/// cleanly on SIGINT/SIGTERM or after <c>--duration</c>; keeps the hub's status topic. Exit codes: 0 clean stop, 1 the
/// service failed, 2 bad configuration, 3 the broker cannot be reached at start.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class HubHost
{
    /// <summary>Exit code: the service stopped on a failure (the spool's disk).</summary>
    public const int ServiceFailed = ExitCodes.ServiceFailed;

    /// <summary>Exit code: the broker could not be reached at start (later outages never stop the hub).</summary>
    public const int BrokerUnreachable = ExitCodes.BrokerUnreachable;

    /// <summary>Exit code after a second Ctrl+C: 128 + SIGINT, the shell's convention for "interrupted".</summary>
    public const int ForcedExit = 130;

    /// <summary>Status line redraw on a terminal: once a second, as a person reads it.</summary>
    private static readonly TimeSpan s_terminalRefresh = TimeSpan.FromSeconds(1);

    /// <summary>Log line period when output is redirected: 5 s keeps a journal readable for days.</summary>
    private static readonly TimeSpan s_logRefresh = TimeSpan.FromSeconds(5);

    private readonly GatewaySettings _settings;
    private readonly TimeSpan? _duration;
    private readonly TextWriter _out;
    private readonly TextWriter _error;
    private readonly bool _terminal;
    private readonly TaskCompletionSource<string> _stopRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _outputLock = new();
    private readonly ServiceManager _systemd;
    private int _signals;
    private int _statusWidth;

    public HubHost(GatewaySettings settings, TimeSpan? duration, TextWriter output, TextWriter error, bool terminal)
    {
        _settings = settings;
        _duration = duration;
        _out = output;
        _error = error;
        _terminal = terminal;
        _systemd = ServiceManager.FromEnvironment(Log);
    }

    public async Task<int> RunAsync()
    {
        var profiles = LoadProfiles();
        var simulated = _settings.RadioBackend == RadioBackend.Simulator;
        if (simulated)
        {
            CheckSimulatorProfiles(profiles, _settings.Simulator);
        }
        var hub = _settings.Ingest;
        DataDirectoryAccess.Prepare(_settings.DataDirectory);
        await _out.WriteLineAsync($"wearable-ingest run: hub {hub.HubId} (study {hub.Study}, site {hub.Site}), data in {_settings.DataDirectory}").ConfigureAwait(false);
        await _out.WriteLineAsync(_settings.ConfigFile is { } file ? $"configuration: {file}"
            : $"configuration: defaults (no {Path.Combine(_settings.DataDirectory, GatewayConfiguration.DefaultFileName)}; see docs/configuration.md)").ConfigureAwait(false);
        HubIntake intake;
        try
        {
            intake = simulated ? HubIntake.Simulated(_settings, profiles, Log) : HubIntake.BlueZ(_settings, profiles, Log);
        }
        catch (RegistryException ex)
        {
            throw new CliException($"cannot open the enrollment registry: {ex.Message}");
        }

        await using var intakeLifetime = intake.ConfigureAwait(false);
        await _out.WriteLineAsync(intake.Description).ConfigureAwait(false);
        try
        {
            await intake.StartAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (BleUnavailableException ex)
        {
            await _error.WriteLineAsync($"error: no Bluetooth radio: {ex.Message.TrimEnd('.')}. To try the hub without one, run with --simulate N.").ConfigureAwait(false);
            return ExitCodes.RadioUnavailable;
        }

        var startedAt = DateTimeOffset.UtcNow;
        if (_settings.Broker is not { } brokerOptions)
        {
            var outbox = new OutboxPublisher(_settings.OutboxDirectory);
            await using (outbox.ConfigureAwait(false))
            {
                await _out.WriteLineAsync($"destination: no broker configured (--broker URL or Broker:Url), writing each batch as an Arrow file under {_settings.OutboxDirectory}").ConfigureAwait(false);
                return await RunServiceAsync(intake, outbox, mqtt: null).ConfigureAwait(false);
            }
        }

        var mqtt = new MqttPublisher(brokerOptions with { Will = new MqttOfflineWill(_settings.StatusTopic, HubStatusMessages.Offline(hub, startedAt)) });
        // Disposed last: a normal DISCONNECT, so the broker discards the Will and "stopped" stays the retained status.
        await using (mqtt.ConfigureAwait(false))
        {
            await _out.WriteLineAsync($"destination: broker {brokerOptions.Broker}, status on {_settings.StatusTopic}").ConfigureAwait(false);
            try
            {
                await mqtt.ConnectAsync().ConfigureAwait(false);
            }
            catch (MqttConnectException ex)
            {
                await _error.WriteLineAsync($"error: cannot connect to the broker {brokerOptions.Broker} (Broker:Url): {ex.Message}. " +
                    $"Check the address and that the broker runs; 'wearable-ingest broker check --broker {brokerOptions.Broker}' explains in detail. Nothing was started.").ConfigureAwait(false);
                return BrokerUnreachable;
            }

            var destination = await MqttBatchPublisher.CreateAsync(mqtt, hub).ConfigureAwait(false);
            await using (destination.ConfigureAwait(false))
            {
                return await RunServiceAsync(intake, destination, mqtt).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> RunServiceAsync(HubIntake intake, IBatchPublisher destination, MqttPublisher? mqtt)
    {
        IngestService service;
        try
        {
            service = IngestService.Start(_settings.Ingest, intake.Supervisor, intake.Supervisor, _settings.Spool, destination, _settings.Encoding);
        }
        catch (ArgumentException ex)
        {
            throw new CliException(ex.ParamName is { } param ? ex.Message.Replace($" (Parameter '{param}')", "", StringComparison.Ordinal) : ex.Message);
        }
        catch (Pipeline.Service.DataDirectoryInUseException ex)
        {
            throw new CliException($"cannot start on {_settings.DataDirectory}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Pipeline.Spool.SpoolFaultedException)
        {
            await _error.WriteLineAsync($"error: cannot start on {_settings.DataDirectory}: {ex.Message}").ConfigureAwait(false);
            return ServiceFailed;
        }

        await using var serviceLifetime = service.ConfigureAwait(false);
        foreach (var line in StatusText.Recovery(service.Recovery, _settings.Spool.Directory))
        {
            await _out.WriteLineAsync(line).ConfigureAwait(false);
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var stopReporter = new CancellationTokenSource();
        var reporter = mqtt is null ? null
            : new HubStatusReporter(mqtt, _settings.Ingest, _settings.StatusTopic, _settings.HealthInterval, () => service.Status,
                extras: () => new HubHealthExtras(intake.Supervisor.Status, intake.Registry is { } trail ? AuditHead.Read(trail) : null),
                participants: _settings.Participant);
        var reporting = reporter?.RunAsync(stopReporter.Token) ?? Task.CompletedTask;
        var metrics = await MetricsExport.StartAsync(_settings.Metrics, _settings.Ingest, () => intake.Supervisor.Status, Log).ConfigureAwait(false);
        await using var metricsLifetime = metrics.ConfigureAwait(false);
        foreach (var line in metrics.Description)
        {
            await _out.WriteLineAsync(line).ConfigureAwait(false);
        }

        await _out.WriteLineAsync(_duration is { } d
            ? $"running for {ValueText.Duration(d)}; Ctrl+C or SIGTERM stops earlier (open batches are sealed, spooled and sent within {ValueText.Duration(_settings.Ingest.ShutdownGrace)})"
            : $"running; Ctrl+C or SIGTERM stops (open batches are sealed, spooled and sent within {ValueText.Duration(_settings.Ingest.ShutdownGrace)})").ConfigureAwait(false);

        Web.HubWebServer? web;
        try
        {
            web = await Web.HubWebServer.StartAsync(_settings.Web, _settings.Participant, new HubConsole(_settings.Ingest, service, intake, _settings.DataDirectory), Log).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM while the pages were starting: the web host's own signal handling cancels its start.
            // The hub stops on the same signal (OnSignal), so it goes on to the clean stop without pages.
            web = null;
        }

        if (web is not null)
        {
            var address = web.Addresses.Count > 0 ? web.Addresses[0] : _settings.Web.Urls[0];
            // A browser cannot open 0.0.0.0: show this machine, and say that every interface listens.
            var anyInterface = address.Contains("://0.0.0.0:", StringComparison.Ordinal) || address.Contains("://[::]:", StringComparison.Ordinal);
            var shown = anyInterface ? address.Replace("://0.0.0.0:", "://localhost:", StringComparison.Ordinal).Replace("://[::]:", "://localhost:", StringComparison.Ordinal) : address;
            await _out.WriteLineAsync($"web: participant page {shown}/ · nurse pages {shown}/nurse" +
                (anyInterface ? $" (on every interface: from a phone or tablet use this hub's address, e.g. http://{Environment.MachineName}:{new Uri(shown).Port}/)" : "") +
                " (Web:Urls)").ConfigureAwait(false);
        }

        var statusWriter = intake.Registry is { } registry ? new DeviceStatusWriter(registry, intake.Profiles, Log) : null;
        var audit = intake.Registry is { } audited ? new HubAudit(audited, _settings.Ingest.HubId, Log) : null;
        audit?.RecordConfiguration(_settings);
        audit?.RecordRecovery(service.Recovery);
        _systemd.Ready($"running: hub {_settings.Ingest.HubId}, {intake.Description}");
        string why;
        try
        {
            why = await ShowUntilStoppedAsync(service, intake, statusWriter, audit).ConfigureAwait(false);
        }
        finally
        {
            // The pages go first: from here on the hub only stops.
            if (web is not null)
            {
                await web.DisposeAsync().ConfigureAwait(false);
            }
        }

        if (_terminal)
        {
            await _out.WriteLineAsync().ConfigureAwait(false);
        }

        _systemd.Stopping(why);
        await _out.WriteLineAsync($"stopping ({why}): intake stopped, sealing and spooling open batches, sending what the destination takes within {ValueText.Duration(_settings.Ingest.ShutdownGrace)}").ConfigureAwait(false);
        string? failure = null;
        try
        {
            await service.StopAsync().ConfigureAwait(false);
            await service.Completion.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            failure = ex.Message;
        }

        await stopReporter.CancelAsync().ConfigureAwait(false);
        await reporting.ConfigureAwait(false);
        var final = service.Status;
        failure ??= final.Failure;
        statusWriter?.Write(intake.Supervisor.Status, final, DateTimeOffset.UtcNow, stopping: true);
        audit?.RecordQuarantine(final, DateTimeOffset.UtcNow, stopping: true);
        if (reporter is not null)
        {
            // Also after a failure: "stopped" with its "failure" field says more than the last "online" would.
            final = failure is null || final.Failure is not null ? final : final with { Failure = failure };
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await reporter.PublishStoppedAsync(final, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // The broker is away: it keeps the last "online" until the Will or the next start replaces it.
            }
        }

        foreach (var line in StatusText.Summary(final, _settings.Spool.Directory, _settings.QuarantineFile))
        {
            await _out.WriteLineAsync(line).ConfigureAwait(false);
        }

        if (failure is not null)
        {
            await _error.WriteLineAsync($"error: the service failed: {failure}. What was spooled stays in {_settings.Spool.Directory} and is sent at the next start.").ConfigureAwait(false);
            return ServiceFailed;
        }

        return ExitCodes.Success;
    }

    /// <summary>Shows the status until a signal, the duration or a failure; returns why it stopped.</summary>
    private async Task<string> ShowUntilStoppedAsync(IngestService service, HubIntake intake, DeviceStatusWriter? statusWriter, HubAudit? audit)
    {
        var nextDeviceStatus = DateTimeOffset.UtcNow;
        var refresh = _terminal ? s_terminalRefresh : s_logRefresh;
        // systemd's watchdog (WatchdogSec) is fed from this loop: tick at least twice per watchdog timeout.
        refresh = _systemd.MaximumTick is { } watchdogTick && watchdogTick < refresh ? watchdogTick : refresh;
        var deadline = _duration is { } duration ? Task.Delay(duration) : Task.Delay(Timeout.InfiniteTimeSpan);
        var previous = service.Status;
        while (true)
        {
            var tick = Task.Delay(refresh);
            var done = await Task.WhenAny(tick, deadline, _stopRequested.Task, service.Completion).ConfigureAwait(false);
            if (done == _stopRequested.Task)
            {
                return await _stopRequested.Task.ConfigureAwait(false);
            }

            if (done == deadline)
            {
                return $"--duration {ValueText.Duration(_duration!.Value)} elapsed";
            }

            if (done == service.Completion)
            {
                return service.Completion.IsFaulted ? "the service failed" : "the service ended";
            }

            var now = service.Status;
            var radio = intake.Supervisor.Status;
            if (statusWriter is not null && now.At >= nextDeviceStatus)
            {
                statusWriter.Write(radio, now, now.At);
                audit?.RecordQuarantine(now, now.At, stopping: false);
                nextDeviceStatus = now.At + DeviceStatusWriter.Interval;
            }

            var line = StatusText.Line(now, previous) + StatusText.Radio(radio);
            previous = now;
            _systemd.Tick(line, pipelineAlive: !service.Completion.IsCompleted && now.Failure is null);
            lock (_outputLock)
            {
                if (_terminal)
                {
                    // Redraw in place; pad over a longer previous line.
                    _out.Write("\r" + line.PadRight(_statusWidth));
                    _statusWidth = line.Length;
                }
                else
                {
                    _out.WriteLine(now.At.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " " + line.TrimStart());
                }
            }
        }
    }

    /// <summary>One line from the radio (a tracker connected, an adapter recovered), above the live status line on a terminal.</summary>
    private void Log(string line)
    {
        lock (_outputLock)
        {
            if (_terminal)
            {
                _out.WriteLine("\r" + line.PadRight(_statusWidth));
                _statusWidth = 0;
            }
            else
            {
                _out.WriteLine(DateTimeOffset.UtcNow.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " " + line);
            }
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the runtime from terminating: the stop below seals, spools and publishes first.
        context.Cancel = true;
        if (Interlocked.Increment(ref _signals) == 1)
        {
            _stopRequested.TrySetResult(context.Signal == PosixSignal.SIGINT ? "Ctrl+C" : "SIGTERM");
            if (context.Signal == PosixSignal.SIGINT)
            {
                _error.WriteLine();
                _error.WriteLine("stopping… press Ctrl+C again to quit at once (spooled batches are kept; batches still open are lost)");
            }

            return;
        }

        if (context.Signal == PosixSignal.SIGINT)
        {
            _error.WriteLine($"forced exit: every batch already spooled stays in {_settings.Spool.Directory} and is sent at the next start; batches still open were not sealed and are lost");
            Environment.Exit(ForcedExit);
        }
    }

    private IReadOnlyList<FirmwareProfile> LoadProfiles() => HubIntake.LoadProfiles(_settings.ProfilesDirectory);

    private static void CheckSimulatorProfiles(IReadOnlyList<FirmwareProfile> profiles, SimulatedFleetOptions options)
    {
        foreach (var id in options.ProfileIds ?? [])
        {
            if (!profiles.Any(p => string.Equals(p.Id, id, StringComparison.Ordinal)))
            {
                throw new CliException($"Simulator:Profiles names '{id}', which is not a loaded profile; use some of {string.Join(", ", profiles.Select(static p => p.Id))}");
            }
        }

        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new CliException("Simulator: " + ex.Message);
        }
    }
}
