using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ingest.Gateway.Registry;

internal sealed partial class EnrollmentRegistry
{
    /// <summary>The schema version this build writes (<c>PRAGMA user_version</c>). Older files are migrated forward; newer ones refused.</summary>
    public const int SchemaVersion = 2;

    /// <summary><c>PRAGMA application_id</c> of a registry file: "WIRG" (wearable-ingest registry), so another program's database is told apart.</summary>
    public const int ApplicationId = 0x57495247;

    /// <summary>
    /// Migration steps: entry i takes the schema from version i to i + 1. Only ever append: a file's version says which
    /// steps it already has.
    /// </summary>
    private static readonly string[] s_migrations =
    [
        // 0 → 1: the first schema. STRICT tables: SQLite refuses values of the wrong type, even from a hand edit.
        """
        CREATE TABLE study_keys (
            study      TEXT PRIMARY KEY,
            key        BLOB NOT NULL CHECK (length(key) = 32),
            created_at TEXT NOT NULL
        ) STRICT;

        CREATE TABLE enrollments (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            study        TEXT NOT NULL,
            site         TEXT NOT NULL,
            participant  TEXT NOT NULL,
            device       TEXT NOT NULL,
            profile      TEXT NOT NULL,
            address      TEXT NOT NULL,
            address_type TEXT NOT NULL CHECK (address_type IN ('public', 'random')),
            irk          TEXT,
            enrolled_at  TEXT NOT NULL,
            ended_at     TEXT,
            end_reason   TEXT,
            actor        TEXT NOT NULL,
            ended_by     TEXT
        ) STRICT;

        -- The rules, enforced by SQLite as well as by the code: one active enrollment per tracker address, and at most one
        -- active tracker per participant and profile.
        CREATE UNIQUE INDEX enrollments_active_address ON enrollments (address) WHERE ended_at IS NULL;
        CREATE UNIQUE INDEX enrollments_active_profile ON enrollments (study, participant, profile) WHERE ended_at IS NULL;
        CREATE INDEX enrollments_device ON enrollments (device);

        CREATE TABLE device_status (
            device          TEXT PRIMARY KEY,
            connected       INTEGER NOT NULL CHECK (connected IN (0, 1)),
            last_data_ns    INTEGER,
            battery_percent INTEGER CHECK (battery_percent BETWEEN 0 AND 100),
            samples_today   INTEGER NOT NULL CHECK (samples_today >= 0),
            completeness    REAL CHECK (completeness BETWEEN 0 AND 1),
            updated_at      TEXT NOT NULL
        ) STRICT;

        CREATE TABLE audit (
            seq       INTEGER PRIMARY KEY,
            time      TEXT NOT NULL,
            actor     TEXT NOT NULL,
            action    TEXT NOT NULL,
            subject   TEXT NOT NULL,
            reason    TEXT NOT NULL,
            details   TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash      TEXT NOT NULL
        ) STRICT;

        CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;

        CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
        BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END;
        """,

        // 1 → 2: staff accounts for the nurse pages' sign-in (EnrollmentRegistry.Staff.cs). Added in place: the
        // enrollments and the audit chain of a version-1 file are untouched. Lengths are the StaffLimits sizes; names
        // compare without ASCII case, so "Nurse.Jones" signs in as "nurse.jones".
        """
        CREATE TABLE staff (
            name                TEXT PRIMARY KEY COLLATE NOCASE,
            site                TEXT NOT NULL,
            password_hash       BLOB NOT NULL CHECK (length(password_hash) = 32),
            password_salt       BLOB NOT NULL CHECK (length(password_salt) = 16),
            password_iterations INTEGER NOT NULL CHECK (password_iterations > 0),
            totp_secret         BLOB NOT NULL CHECK (length(totp_secret) = 20),
            failed_sign_ins     INTEGER NOT NULL CHECK (failed_sign_ins >= 0),
            locked_until        TEXT,
            disabled            INTEGER NOT NULL CHECK (disabled IN (0, 1)),
            last_totp_step      INTEGER,
            last_sign_in        TEXT,
            session_stamp       TEXT NOT NULL,
            created_at          TEXT NOT NULL,
            changed_at          TEXT NOT NULL
        ) STRICT;
        """,
    ];

    /// <summary>The tables and columns of <see cref="SchemaVersion"/>, checked at every open.</summary>
    private static readonly (string Table, string[] Columns)[] s_expectedTables =
    [
        ("study_keys", ["study", "key", "created_at"]),
        ("enrollments", ["id", "study", "site", "participant", "device", "profile", "address", "address_type", "irk", "enrolled_at", "ended_at", "end_reason", "actor", "ended_by"]),
        ("device_status", ["device", "connected", "last_data_ns", "battery_percent", "samples_today", "completeness", "updated_at"]),
        ("audit", ["seq", "time", "actor", "action", "subject", "reason", "details", "prev_hash", "hash"]),
        ("staff", ["name", "site", "password_hash", "password_salt", "password_iterations", "totp_secret", "failed_sign_ins", "locked_until", "disabled",
            "last_totp_step", "last_sign_in", "session_stamp", "created_at", "changed_at"]),
    ];

    private void Migrate()
    {
        var (version, applicationId) = ReadVersion();
        if (version == SchemaVersion && applicationId == ApplicationId)
        {
            return;
        }

        Write(transaction =>
        {
            // Read again under the write lock: another process may have created or migrated it meanwhile.
            var (current, appId) = ReadVersion(transaction);
            CheckVersion(current, appId, transaction);
            for (var step = (int)current; step < SchemaVersion; step++)
            {
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = s_migrations[step];
                command.ExecuteNonQuery();
            }

            using var stamp = _connection.CreateCommand();
            stamp.Transaction = transaction;
            stamp.CommandText = string.Create(CultureInfo.InvariantCulture, $"PRAGMA user_version = {SchemaVersion}; PRAGMA application_id = {ApplicationId};");
            stamp.ExecuteNonQuery();
            return 0;
        });
    }

    private void CheckVersion(long version, long applicationId, SqliteTransaction transaction)
    {
        if (applicationId != ApplicationId)
        {
            // A brand-new file (SQLite creates it empty) has neither id nor tables; anything else is not ours.
            using var count = _connection.CreateCommand();
            count.Transaction = transaction;
            count.CommandText = "SELECT count(*) FROM sqlite_master";
            var objects = Convert.ToInt64(count.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (version != 0 || objects != 0 || applicationId != 0)
            {
                throw new RegistryException($"{Path} is a SQLite database but not a wearable-ingest registry (application id {applicationId}, schema version {version}); move it aside (a new registry is created on the next enroll) or point --data-dir at the right folder");
            }
        }

        if (version > SchemaVersion)
        {
            throw new RegistryException($"{Path} was written by a newer wearable-ingest (registry schema version {version}; this one knows up to {SchemaVersion}); upgrade wearable-ingest, or restore a backup made by this version");
        }

        if (version < 0)
        {
            throw new RegistryException($"{Path} has an invalid registry schema version ({version}); restore the registry from a backup");
        }
    }

    private (long Version, long ApplicationId) ReadVersion(SqliteTransaction? transaction = null)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version";
        var version = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        command.CommandText = "PRAGMA application_id";
        var applicationId = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (version > SchemaVersion && applicationId == ApplicationId)
        {
            throw new RegistryException($"{Path} was written by a newer wearable-ingest (registry schema version {version}; this one knows up to {SchemaVersion}); upgrade wearable-ingest, or restore a backup made by this version");
        }

        return (version, applicationId);
    }

    /// <summary>Refuses a file whose version is right but whose tables are not (altered by hand, or half-restored).</summary>
    private void CheckSchema()
    {
        foreach (var (table, columns) in s_expectedTables)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT name FROM pragma_table_info($table)";
            command.Parameters.AddWithValue("$table", table);
            var present = new HashSet<string>(StringComparer.Ordinal);
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    present.Add(reader.GetString(0));
                }
            }

            if (present.Count == 0)
            {
                throw new RegistryException($"{Path} has registry schema version {SchemaVersion} but no '{table}' table: the file was altered; restore the registry from a backup");
            }

            foreach (var column in columns)
            {
                if (!present.Contains(column))
                {
                    throw new RegistryException($"{Path} has registry schema version {SchemaVersion} but its '{table}' table lacks column '{column}': the file was altered; restore the registry from a backup");
                }
            }
        }
    }
}
