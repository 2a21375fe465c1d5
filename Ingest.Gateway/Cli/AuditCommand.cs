using System.CommandLine;
using System.Text.Json;
using Ingest.Gateway.Registry;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest audit verify|list</c>: checks the audit trail's hash chain (exit 0 intact, 1 broken, naming the
/// first broken entry and why) and shows recent entries.
/// </summary>
internal static class AuditCommand
{
    private const int DefaultListEntries = 20;

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    public static Command Create()
    {
        var command = new Command("audit", "The audit trail of enrollment changes, admission refusals, quarantine, spool drops and configuration changes.");
        command.Add(CreateVerify());
        command.Add(CreateList());
        return command;
    }

    private static Command CreateVerify()
    {
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("verify",
            "Walk the audit trail's hash chain: exit 0 when every entry is intact (prints the count and the head hash to compare " +
            "with a copy kept elsewhere), 1 naming the first edited, deleted or forged entry.")
        {
            dataDir, config,
        };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            using var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(settings.DataDirectory), create: false);
            var result = registry.Audit.Verify();
            foreach (var warning in result.Warnings)
            {
                output.WriteLine($"warning: {warning}");
            }

            if (result.Intact)
            {
                output.WriteLine($"audit trail intact: {result.EntriesChecked} entries checked; head seq {result.HeadSeq}, hash {result.HeadHash}");
                output.WriteLine("compare the head hash with one recorded earlier (status topic, backup): a rewrite of the whole file is only caught that way");
                return ExitCodes.Success;
            }

            output.WriteLine($"audit trail BROKEN at seq {result.BrokenSeq}: {result.Problem}");
            output.WriteLine($"{result.EntriesChecked} entries before it verify (last good seq {result.HeadSeq}, hash {result.HeadHash})");
            return ExitCodes.InputRejected;
        }));
        return command;
    }

    private static Command CreateList()
    {
        var limit = new Option<int>("--limit", "-n") { Description = $"How many recent entries (default {DefaultListEntries}, at most {RegistryLimits.MaxListEntries})", DefaultValueFactory = _ => DefaultListEntries };
        var json = new Option<bool>("--json") { Description = "One JSON array instead of lines" };
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("list", "Show the most recent audit entries, oldest first.") { limit, json, dataDir, config };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var count = parse.GetValue(limit);
            if (count < 1 || count > RegistryLimits.MaxListEntries)
            {
                throw new CliException($"--limit {count} is out of range; use 1 to {RegistryLimits.MaxListEntries}");
            }

            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            using var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(settings.DataDirectory), create: false);
            var entries = registry.Audit.List(count);
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(entries.Select(e => new Dictionary<string, object>
                {
                    ["seq"] = e.Seq,
                    ["time"] = e.Time,
                    ["actor"] = e.Actor,
                    ["action"] = e.Action,
                    ["subject"] = e.Subject,
                    ["reason"] = e.Reason,
                    ["details"] = JsonDocument.Parse(e.Details).RootElement.Clone(),
                    ["prev_hash"] = e.PrevHash,
                    ["hash"] = e.Hash,
                }), s_indented));
                return ExitCodes.Success;
            }

            foreach (var entry in entries)
            {
                output.WriteLine($"{entry.Seq,6}  {entry.Time}  {entry.Actor}  {entry.Action}  {entry.Subject}  reason: {entry.Reason}  {entry.Details}");
            }

            output.WriteLine($"{entries.Count} entr{(entries.Count == 1 ? "y" : "ies")}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
