using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ingest.Gateway.Registry;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest devices</c>: the enrolled trackers with what the running service last reported about each
/// (connected, last data, battery, samples today, completeness). Pseudonyms only, never an address.
/// </summary>
internal static class DevicesCommand
{
    /// <summary>A report older than this means the service is not reporting (it writes every few seconds while it runs).</summary>
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);

    private static readonly string[] s_header = ["PARTICIPANT", "DEVICE", "PROFILE", "STUDY/SITE", "ENROLLED", "CONNECTED", "LAST DATA", "BATTERY", "TODAY", "COMPLETE"];

    public static Command Create()
    {
        var json = new Option<bool>("--json") { Description = "One JSON array instead of a table" };
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("devices", "List the enrolled trackers: participant, device pseudonym, profile, enrolled since, connected, last data, battery, samples today, completeness.")
        {
            json, dataDir, config,
        };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            var path = EnrollmentRegistry.PathIn(settings.DataDirectory);
            var rows = new List<(Enrollment Enrollment, DeviceStatus? Status)>();
            // No registry yet means nothing enrolled; anything else at that path (a folder, another file) is opened to say what is wrong.
            if (File.Exists(path) || Directory.Exists(path))
            {
                using var registry = EnrollmentRegistry.Open(path, create: false);
                foreach (var enrollment in registry.ActiveEnrollments())
                {
                    rows.Add((enrollment, registry.FindDeviceStatus(enrollment.Device)));
                }
            }

            if (parse.GetValue(json))
            {
                WriteJson(output, rows);
            }
            else
            {
                WriteTable(output, rows, path, DateTimeOffset.UtcNow);
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteTable(TextWriter output, List<(Enrollment Enrollment, DeviceStatus? Status)> rows, string path, DateTimeOffset now)
    {
        if (rows.Count == 0)
        {
            output.WriteLine($"no trackers enrolled (registry {path}); enroll one with 'wearable-ingest enroll'");
            return;
        }

        const string Dash = "–";
        var table = new List<string[]> { s_header };
        var stale = false;
        foreach (var (enrollment, status) in rows)
        {
            string connected;
            if (status is null)
            {
                connected = Dash;
            }
            else if (now - status.UpdatedAt > StaleAfter)
            {
                connected = (status.Connected ? "yes" : "no") + "?";
                stale = true;
            }
            else
            {
                connected = status.Connected ? "yes" : "no";
            }

            table.Add(
            [
                enrollment.Participant,
                enrollment.Device,
                enrollment.ProfileId,
                $"{enrollment.Study}/{enrollment.Site}",
                Time(enrollment.EnrolledAt),
                connected,
                status?.LastDataNs is { } ns ? Time(DateTimeOffset.UnixEpoch.AddTicks(ns / 100)) : "never",
                status?.BatteryPercent is { } battery ? battery.ToString(CultureInfo.InvariantCulture) + " %" : Dash,
                status is null ? Dash : status.SamplesToday.ToString("N0", CultureInfo.InvariantCulture),
                status?.Completeness is { } fraction ? (fraction * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : Dash,
            ]);
        }

        var widths = new int[table[0].Length];
        foreach (var row in table)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in table)
        {
            output.WriteLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        output.WriteLine($"{rows.Count} tracker(s) enrolled");
        if (stale)
        {
            output.WriteLine($"? = the service has not reported for over {StaleAfter.TotalMinutes:0} minutes: is 'wearable-ingest run' running?");
        }
    }

    private static void WriteJson(TextWriter output, List<(Enrollment Enrollment, DeviceStatus? Status)> rows)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartArray();
            foreach (var (enrollment, status) in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("participant", enrollment.Participant);
                writer.WriteString("device", enrollment.Device);
                writer.WriteString("profile", enrollment.ProfileId);
                writer.WriteString("study", enrollment.Study);
                writer.WriteString("site", enrollment.Site);
                writer.WriteString("enrolled_at", AuditTrail.FormatTime(enrollment.EnrolledAt));
                if (status is null)
                {
                    writer.WriteNull("connected");
                    writer.WriteNull("last_data");
                    writer.WriteNull("battery_percent");
                    writer.WriteNull("samples_today");
                    writer.WriteNull("completeness");
                    writer.WriteNull("status_updated_at");
                }
                else
                {
                    writer.WriteBoolean("connected", status.Connected);
                    if (status.LastDataNs is { } ns)
                    {
                        writer.WriteString("last_data", AuditTrail.FormatTime(DateTimeOffset.UnixEpoch.AddTicks(ns / 100)));
                    }
                    else
                    {
                        writer.WriteNull("last_data");
                    }

                    if (status.BatteryPercent is { } battery)
                    {
                        writer.WriteNumber("battery_percent", battery);
                    }
                    else
                    {
                        writer.WriteNull("battery_percent");
                    }

                    writer.WriteNumber("samples_today", status.SamplesToday);
                    if (status.Completeness is { } fraction)
                    {
                        writer.WriteNumber("completeness", fraction);
                    }
                    else
                    {
                        writer.WriteNull("completeness");
                    }

                    writer.WriteString("status_updated_at", AuditTrail.FormatTime(status.UpdatedAt));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
}
