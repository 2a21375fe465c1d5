using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ingest.Gateway.Configuration;
using Ingest.Gateway.Hosting;
using Ingest.Gateway.Radio;
using Ingest.Gateway.Radio.BlueZ;
using Ingest.Gateway.Registry;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Profiles;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest scan</c>: the trackers near the hub, with the profile each matches, its signal, and whether (and to
/// whom) it is enrolled. The one screen that shows radio addresses: it runs on the hub, for the person enrolling, and
/// prints nowhere else. It only listens: nothing is connected.
/// </summary>
internal static class ScanCommand
{
    /// <summary>Default listening time: trackers advertise every 0.1–2 s, so ten seconds hears every one in range.</summary>
    public static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(10);

    /// <summary>Longest scan: a person waits for it.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(10);

    private static readonly string[] s_header = ["ADDRESS", "RSSI", "NAME", "PROFILE", "ENROLLED"];

    public static Command Create()
    {
        var duration = new Option<string?>("--duration") { Description = "How long to listen (default 10s; at most 10m)", HelpName = "TIME" };
        var all = new Option<bool>("--all") { Description = "Also list devices that match no firmware profile (phones, headphones…)" };
        var json = new Option<bool>("--json") { Description = "One JSON array instead of a table" };
        var simulate = new Option<string?>("--simulate") { Description = "Listen to N simulated trackers instead of the radio", HelpName = "N" };
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var profilesDir = new Option<string?>("--profiles-dir") { Description = "Folder of firmware profiles (default: ./firmware-profiles, else the shipped ones)", HelpName = "DIR" };
        var command = new Command("scan",
            "Listen for Bluetooth LE trackers near the hub and list them: address, signal (RSSI), name, the firmware profile each " +
            "matches, and the participant it is enrolled to. Addresses are shown here only, on the hub; nothing is connected.")
        {
            duration, all, json, simulate, dataDir, config, profilesDir,
        };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var listenFor = DefaultDuration;
            if (parse.GetValue(duration) is { } text && (!ValueText.TryParseDuration(text, out listenFor) || listenFor <= TimeSpan.Zero || listenFor > MaxDuration))
            {
                throw new CliException($"--duration '{text}' is not a duration from 1s to 10m; use {ValueText.DurationForms}");
            }

            int? simulated = null;
            if (parse.GetValue(simulate) is { } count)
            {
                if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > GatewayConfiguration.MaxSimulatedTrackers)
                {
                    throw new CliException($"--simulate '{count}' is not a number of trackers from 1 to {GatewayConfiguration.MaxSimulatedTrackers}");
                }

                simulated = n;
            }

            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            var profiles = HubIntake.LoadProfiles(parse.GetValue(profilesDir) ?? settings.ProfilesDirectory);
            return ScanAsync(output, parse.InvocationConfiguration.Error, settings, profiles, listenFor, simulated, parse.GetValue(all), parse.GetValue(json))
                .GetAwaiter().GetResult();
        }));
        return command;
    }

    private static async Task<int> ScanAsync(TextWriter output, TextWriter error, GatewaySettings settings, IReadOnlyList<FirmwareProfile> profiles,
        TimeSpan listenFor, int? simulated, bool all, bool json)
    {
        IBleCentral central;
        IEnrolledTrackers? enrolled = null;
        EnrollmentRegistry? registry = null;
        if (simulated is { } trackers)
        {
            (central, enrolled, _) = HubIntake.SimulatedRoom(settings with { Simulator = settings.Simulator with { TrackerCount = trackers } }, profiles);
        }
        else
        {
            central = new BlueZCentral(new BlueZOptions { BusAddress = settings.BusAddress });
            var path = EnrollmentRegistry.PathIn(settings.DataDirectory);
            if (File.Exists(path))
            {
                registry = EnrollmentRegistry.Open(path, create: false);
                enrolled = new RegistryEnrolledTrackers(registry, settings.Ingest.Study);
            }
        }

        await using var lifetime = central.ConfigureAwait(false);
        using var registryLifetime = registry;
        using var cancel = new CancellationTokenSource();
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, context =>
        {
            // Ctrl+C ends the scan early and still shows what was heard.
            context.Cancel = true;
            cancel.Cancel();
        });
        try
        {
            await central.StartAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (BleUnavailableException ex)
        {
            await error.WriteLineAsync($"error: no Bluetooth radio: {ex.Message.TrimEnd('.')}. To see the simulated trackers instead, add --simulate N.").ConfigureAwait(false);
            return ExitCodes.RadioUnavailable;
        }

        var listening = new List<BleAdapter>();
        foreach (var adapter in central.Adapters)
        {
            if (!adapter.Powered)
            {
                await error.WriteLineAsync($"note: adapter {adapter.Name} is powered off and hears nothing; the running hub powers it on, or use 'bluetoothctl power on'").ConfigureAwait(false);
                continue;
            }

            try
            {
                await central.StartDiscoveryAsync(adapter.Id, BleDiscoveryFilter.All, cancel.Token).ConfigureAwait(false);
                listening.Add(adapter);
            }
            catch (BleOperationException ex)
            {
                await error.WriteLineAsync($"note: adapter {adapter.Name} cannot discover now ({ex.Message})").ConfigureAwait(false);
            }
        }

        if (listening.Count == 0)
        {
            await error.WriteLineAsync("error: no powered Bluetooth adapter can listen; check 'bluetoothctl list' and power one on").ConfigureAwait(false);
            return ExitCodes.RadioUnavailable;
        }

        if (!json)
        {
            await output.WriteLineAsync($"listening for {ValueText.Duration(listenFor)} on {string.Join(", ", listening.Select(static a => a.Name))} (Ctrl+C shows what was heard so far)…").ConfigureAwait(false);
        }

        var heard = new Dictionary<string, BlePeripheral>(StringComparer.Ordinal);
        foreach (var known in central.Peripherals)
        {
            if (known.Rssi is not null)
            {
                heard[known.Id] = known;
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel.Token);
        timeout.CancelAfter(listenFor);
        try
        {
            await foreach (var radioEvent in central.Events.ReadAllAsync(timeout.Token).ConfigureAwait(false))
            {
                if (radioEvent.Peripheral is { } peripheral)
                {
                    if (radioEvent.Kind == BleEventKind.PeripheralRemoved)
                    {
                        heard.Remove(peripheral.Id);
                    }
                    else if (peripheral.Rssi is not null)
                    {
                        heard[peripheral.Id] = peripheral;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The listening time is over (or Ctrl+C).
        }

        foreach (var adapter in listening)
        {
            try
            {
                using var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await central.StopDiscoveryAsync(adapter.Id, stopTimeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is BleOperationException or OperationCanceledException)
            {
                // The adapter went away meanwhile; nothing to stop.
            }
        }

        var matcher = new ProfileMatcher(profiles);
        var rows = new List<ScanRow>();
        foreach (var peripheral in heard.Values)
        {
            var profile = matcher.MatchAdvertisement(peripheral.Name, peripheral.ServiceUuids, peripheral.ManufacturerData.Keys);
            var enrollment = enrolled?.Find(peripheral.Address, peripheral.AddressType);
            if (profile is null && enrollment is null && !all)
            {
                continue;
            }

            rows.Add(new ScanRow(peripheral.Address, peripheral.Rssi, peripheral.Name, profile?.Id, enrollment));
        }

        rows.Sort(static (a, b) => (b.Rssi ?? short.MinValue).CompareTo(a.Rssi ?? short.MinValue));
        if (json)
        {
            WriteJson(output, rows);
        }
        else
        {
            WriteTable(output, rows, heard.Count, all);
        }

        return ExitCodes.Success;
    }

    private static void WriteTable(TextWriter output, List<ScanRow> rows, int heard, bool all)
    {
        if (rows.Count == 0)
        {
            output.WriteLine(heard == 0
                ? "no Bluetooth LE device heard; is the tracker on, charged and close to the hub? (a tracker connected to a phone may not advertise: disconnect it there)"
                : $"{heard} device(s) heard, none matches a firmware profile; --all lists them anyway");
            return;
        }

        var table = new List<string[]> { s_header };
        foreach (var row in rows)
        {
            table.Add([
                row.Address,
                row.Rssi is { } rssi ? rssi.ToString(CultureInfo.InvariantCulture) + " dBm" : "–",
                row.Name ?? "–",
                row.ProfileId ?? "–",
                row.Enrollment is { } e ? $"{e.Participant} ({e.DevicePseudonym})" : "no",
            ]);
        }

        var widths = new int[s_header.Length];
        foreach (var cells in table)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                widths[i] = Math.Max(widths[i], cells[i].Length);
            }
        }

        foreach (var cells in table)
        {
            output.WriteLine(string.Join("  ", cells.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        output.WriteLine($"{rows.Count} tracker(s){(all ? " and other devices" : "")}; enroll one with: wearable-ingest enroll --address ADDRESS --participant P --profile PROFILE --reason \"…\"");
    }

    private static void WriteJson(TextWriter output, List<ScanRow> rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var row in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("address", row.Address);
                if (row.Rssi is { } rssi)
                {
                    writer.WriteNumber("rssi", rssi);
                }
                else
                {
                    writer.WriteNull("rssi");
                }

                writer.WriteString("name", row.Name);
                writer.WriteString("profile", row.ProfileId);
                writer.WriteString("participant", row.Enrollment?.Participant);
                writer.WriteString("device", row.Enrollment?.DevicePseudonym);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private sealed record ScanRow(string Address, short? Rssi, string? Name, string? ProfileId, EnrolledTracker? Enrollment);
}
