using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ingest.Gateway.Registry;
using Microsoft.Data.Sqlite;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest backup --out FILE</c>: a consistent copy of the registry (enrollments, staff accounts, the audit
/// trail, the study keys: everything in <c>DATA_DIR/state/registry.db</c>), taken with SQLite's online backup API while the
/// hub runs. The copy is created mode 0600 (it holds the study keys), never over an existing file, then opened as a
/// registry and checked (SQLite's integrity_check, the audit chain); the audit head it prints is the anchor for
/// <c>audit verify --anchor</c>. The backup itself goes into the live trail as a <c>backup</c> entry. Restore:
/// docs/operations.md.
/// </summary>
internal static class BackupCommand
{
    /// <summary>The audit action of a backup (who copied the study keys, when, to where).</summary>
    public const string AuditAction = "backup";

    public static Command Create()
    {
        var output = new Option<string>("--out")
        {
            Description = "The backup file to create (it must not exist; it is created readable by its owner only)",
            HelpName = "FILE",
            Required = true,
        };
        var actor = new Option<string?>("--actor") { Description = "Who takes the backup, for the audit trail (default: $SUDO_USER, else $USER)", HelpName = "NAME" };
        var dataDir = RegistryCommandSupport.DataDirOption();
        var config = RegistryCommandSupport.ConfigOption();
        var command = new Command("backup",
            "Copy the registry (enrollments, staff accounts, audit trail, study keys) to FILE while the hub runs, check the copy, " +
            "and print the audit head to keep as an anchor for 'audit verify --anchor'. Restore: docs/operations.md.")
        {
            output, actor, dataDir, config,
        };
        command.SetAction(parse => RegistryCommandSupport.Run(parse, writer =>
        {
            var settings = RegistryCommandSupport.LoadSettings(parse.GetValue(dataDir), parse.GetValue(config));
            var source = EnrollmentRegistry.PathIn(settings.DataDirectory);
            var given = parse.GetValue(output);
            if (string.IsNullOrWhiteSpace(given) || given.Contains('\0', StringComparison.Ordinal))
            {
                throw new CliException("--out is empty; give the backup file to create, e.g. --out registry-backup.db");
            }

            var target = Path.GetFullPath(given);
            var who = RegistryCommandSupport.Actor(parse.GetValue(actor));
            if (!AuditTrail.IsValidActor(who))
            {
                throw new CliException($"--actor must be 1–{RegistryLimits.MaxActorLength} printable characters");
            }

            CheckTarget(source, target);
            using var registry = EnrollmentRegistry.Open(source, create: false);
            var head = Copy(registry, target);
            writer.WriteLine($"backup written: {target} ({new FileInfo(target).Length.ToString("N0", CultureInfo.InvariantCulture)} bytes, mode 0600)");
            writer.WriteLine($"copy checked: SQLite integrity ok; audit trail intact, {head.EntriesChecked} entries");
            writer.WriteLine($"audit head: {head.HeadSeq}:{head.HeadHash}");
            writer.WriteLine($"keep that line apart from the hub: 'wearable-ingest audit verify --anchor {head.HeadSeq}:{head.HeadHash}' later proves the trail was not rewritten before it");
            try
            {
                Record(registry, who, target, head);
            }
            catch (Exception ex) when (ex is RegistryException or ArgumentException)
            {
                // The copy is good; only the note about it in the live trail is missing.
                writer.WriteLine($"warning: the backup is complete, but its entry in the audit trail was not written: {ex.Message}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Refuses a target that exists (a backup never replaces anything), is the registry itself, or has no folder.</summary>
    private static void CheckTarget(string source, string target)
    {
        var fullSource = Path.GetFullPath(source);
        foreach (var own in (ReadOnlySpan<string>)[fullSource, fullSource + "-wal", fullSource + "-shm", fullSource + "-journal"])
        {
            if (string.Equals(target, own, StringComparison.Ordinal))
            {
                throw new CliException($"--out {target} is the registry itself; name a new file outside {Path.GetDirectoryName(fullSource)}");
            }
        }

        if (Directory.Exists(target))
        {
            throw new CliException($"--out {target} is a folder; name a new file inside it, e.g. {Path.Combine(target, "registry-backup.db")}");
        }

        if (File.Exists(target))
        {
            throw new CliException($"--out {target} already exists; a backup never overwrites anything: name a new file (e.g. with today's date)");
        }

        if (Path.GetDirectoryName(target) is not { } folder || !Directory.Exists(folder))
        {
            throw new CliException($"--out {target}: the folder {Path.GetDirectoryName(target)} does not exist; create it first");
        }

        if (!File.Exists(fullSource) && !Directory.Exists(fullSource))
        {
            throw new CliException($"there is no registry at {fullSource} to back up: check --data-dir (the service's is /var/lib/wearable-ingest)");
        }
    }

    /// <summary>Copies the registry to <paramref name="target"/> and checks the copy; deletes the copy when anything fails.</summary>
    private static AuditVerification Copy(EnrollmentRegistry registry, string target)
    {
        CreatePrivateFile(target);
        try
        {
            using (var destination = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = target,
                Mode = SqliteOpenMode.ReadWrite,
                // No pool: the file is released at once, for the check below and for whoever copies it away.
                Pooling = false,
            }.ToString()))
            {
                destination.Open();
                // sqlite3_backup over all pages in one step, under one read transaction of the source: a consistent
                // snapshot. In WAL mode the hub's writers go on meanwhile; enroll waits at most the busy timeout.
                registry.Read(connection =>
                {
                    connection.BackupDatabase(destination);
                    return 0;
                });
            }

            return Check(target);
        }
        catch
        {
            DeleteCopy(target);
            throw;
        }
    }

    /// <summary>Opens the copy as a registry (header, application id, schema) and checks its pages and its audit chain.</summary>
    private static AuditVerification Check(string target)
    {
        using var copy = EnrollmentRegistry.Open(target, create: false);
        var integrity = copy.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA integrity_check";
            return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        });
        if (!string.Equals(integrity, "ok", StringComparison.Ordinal))
        {
            throw new CliException($"the copy fails SQLite's integrity check ({integrity}); the registry itself may be damaged: run 'wearable-ingest audit verify' and keep the previous backup");
        }

        var verification = copy.Audit.Verify();
        if (!verification.Intact)
        {
            throw new CliException($"the copy's audit trail is broken at seq {verification.BrokenSeq} ({verification.Problem}); so is the registry's: run 'wearable-ingest audit verify' and keep the previous backup");
        }

        return verification;
    }

    /// <summary>The backup in the live trail: who copied the study keys, when, where to, and the head the copy ends at.</summary>
    private static void Record(EnrollmentRegistry registry, string actor, string target, AuditVerification head)
    {
        var details = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["file"] = target,
            ["head_seq"] = head.HeadSeq,
            ["head_hash"] = head.HeadHash,
        });
        registry.Audit.Append(actor, AuditAction, "registry", "backup of the registry", details);
    }

    /// <summary>The copy holds the study keys and the trackers' addresses, as the registry does (docs/registry.md): owner-only, never over a file.</summary>
    private static void CreatePrivateFile(string path)
    {
        bool created;
        try
        {
            created = EnrollmentRegistry.TryCreatePrivateFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--out {path} cannot be created ({Configuration.DataDirectoryAccess.Reason(ex)}); choose a folder this user can write to");
        }

        if (!created)
        {
            throw new CliException($"--out {path} already exists; a backup never overwrites anything: name a new file");
        }
    }

    private static void DeleteCopy(string target)
    {
        foreach (var file in (ReadOnlySpan<string>)[target, target + "-wal", target + "-shm"])
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Best effort: the error that got here is the one to report.
            }
        }
    }
}
