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

    /// <summary>What to do about a broken or rewritten trail (docs/operations.md, "Restore").</summary>
    private const string RestoreAdvice =
        "keep this registry as evidence (copy it aside), report it, and compare with the last backup (docs/operations.md)";

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
        var anchor = new Option<string?>("--anchor")
        {
            Description = "A head recorded earlier outside the hub, SEQ:HASH (from a backup manifest or the status topic): also check that the trail still extends it",
            HelpName = "SEQ:HASH",
        };
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("verify",
            "Walk the audit trail's hash chain: exit 0 when every entry is intact (prints the count and the head hash to compare " +
            "with a copy kept elsewhere), 1 naming the first edited, deleted or forged entry.")
        {
            anchor, dataDir, config,
        };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var error = parse.InvocationConfiguration.Error;
            (long Seq, string Hash)? anchored = null;
            if (parse.GetValue(anchor) is { } anchorText)
            {
                var colon = anchorText.IndexOf(':', StringComparison.Ordinal);
                if (colon <= 0 || !long.TryParse(anchorText.AsSpan(0, colon), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq)
                    || anchorText.Length - colon - 1 != 64 || !AllHex(anchorText.AsSpan(colon + 1)))
                {
                    throw new CliException("--anchor must be SEQ:HASH, e.g. 42:9f86d08… (the seq and 64-hex-digit hash that 'audit verify' printed)");
                }

                anchored = (seq, anchorText[(colon + 1)..].ToLowerInvariant());
            }

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
                if (anchored is not { } recorded)
                {
                    output.WriteLine("compare the head with one recorded earlier (--anchor SEQ:HASH from a backup or the status topic): a rewrite of the whole file is only caught that way");
                    return ExitCodes.Success;
                }

                if (registry.Audit.CheckAnchor(recorded.Seq, recorded.Hash) is { } mismatch)
                {
                    error.WriteLine($"error: audit trail does NOT extend the anchor {recorded.Seq}:{recorded.Hash}: {mismatch}; {RestoreAdvice}");
                    return ExitCodes.InputRejected;
                }

                output.WriteLine($"the trail extends the anchor at seq {recorded.Seq}");
                return ExitCodes.Success;
            }

            // What still verifies is a result (stdout); the break is the error (one line, stderr).
            output.WriteLine($"{result.EntriesChecked} entries before it verify (last good seq {result.HeadSeq}, hash {result.HeadHash})");
            error.WriteLine($"error: audit trail BROKEN at seq {result.BrokenSeq}: {result.Problem}; {RestoreAdvice}");
            return ExitCodes.InputRejected;
        }));
        return command;
    }

    private static bool AllHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The details as JSON when they parse (they always do when wearable-ingest wrote them), else as the stored text.</summary>
    private static object DetailsValue(string details)
    {
        try
        {
            using var document = JsonDocument.Parse(details);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return details;
        }
    }

    private static Command CreateList()
    {
        var limit = new Option<string?>("--limit", "-n") { Description = $"How many recent entries (default {DefaultListEntries}, at most {RegistryLimits.MaxListEntries})", HelpName = "N" };
        var json = new Option<bool>("--json") { Description = "One JSON array instead of lines" };
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("list", "Show the most recent audit entries, oldest first.") { limit, json, dataDir, config };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, output =>
        {
            var count = DefaultListEntries;
            if (parse.GetValue(limit) is { } limitText
                && (!int.TryParse(limitText, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out count)
                    || count < 1 || count > RegistryLimits.MaxListEntries))
            {
                throw new CliException($"--limit '{Configuration.ValueText.Shown(limitText)}' is not a number of entries from 1 to {RegistryLimits.MaxListEntries}; give one in that range");
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
                    ["details"] = DetailsValue(e.Details),
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
