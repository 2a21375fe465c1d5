using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Ingest.Gateway.Registry;

/// <summary>
/// The append-only, hash-chained audit trail in the registry database (table <c>audit</c>). Each entry's hash is
/// SHA-256 over a canonical encoding of (seq, time, actor, action, subject, reason, details, prev_hash), and prev_hash
/// is the hash of the entry before, so editing, deleting or reordering any entry breaks the chain at that entry
/// (<see cref="Verify"/>). Triggers refuse UPDATE and DELETE, so a casual edit fails outright; someone who drops them
/// is still caught by <see cref="Verify"/>. Someone who rewrites the whole chain from the first changed entry is not:
/// anchor the head hash outside the hub (docs/registry.md).
/// <para>
/// Subjects, reasons and details never hold a radio address (refused with <see cref="ArgumentException"/>): devices are
/// named by their keyed pseudonym. Thread-safety: any thread; entries are appended one at a time, also across
/// processes (each append is its own immediate transaction, or the transaction of the change it records).
/// </para>
/// </summary>
internal sealed class AuditTrail
{
    /// <summary>prev_hash of the first entry.</summary>
    public static readonly string GenesisHash = new('0', 64);

    /// <summary>Domain separation for the hash: a hash of anything else can never be taken for an entry's.</summary>
    private static readonly byte[] s_domain = "wearable-ingest audit v1"u8.ToArray();

    private readonly EnrollmentRegistry _registry;

    internal AuditTrail(EnrollmentRegistry registry)
    {
        _registry = registry;
    }

    /// <summary>
    /// Appends an entry in its own transaction and returns it. For the service: admission refusals, quarantine, spool
    /// drops, configuration changes.
    /// </summary>
    /// <param name="actor">Who: a user name, or <c>service</c>.</param>
    /// <param name="action">What: an <see cref="AuditActions"/> name (lower case and '-').</param>
    /// <param name="subject">About what, in pseudonyms only (no radio address).</param>
    /// <param name="reason">Why (required).</param>
    /// <param name="detailsJson">A small JSON object, or null for <c>{}</c>.</param>
    /// <exception cref="ArgumentException">A value breaks <see cref="RegistryLimits"/> or holds a radio address.</exception>
    /// <exception cref="RegistryException">The database could not be written (busy for too long, disk full).</exception>
    public AuditEntry Append(string actor, string action, string subject, string reason, string? detailsJson = null)
    {
        var details = CheckEntry(actor, action, subject, reason, detailsJson);
        return _registry.Write(transaction => AppendIn(transaction, actor, action, subject, reason, details));
    }

    /// <summary>Appends inside <paramref name="transaction"/>, the one that makes the change being recorded.</summary>
    internal AuditEntry AppendIn(SqliteTransaction transaction, string actor, string action, string subject, string reason, string details)
    {
        var connection = transaction.Connection!;
        long seq = 1;
        var prevHash = GenesisHash;
        using (var last = connection.CreateCommand())
        {
            last.Transaction = transaction;
            last.CommandText = "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1";
            using var reader = last.ExecuteReader();
            if (reader.Read())
            {
                seq = checked(reader.GetInt64(0) + 1);
                prevHash = reader.GetString(1);
            }
        }

        var time = FormatTime(_registry.Now());
        var entry = new AuditEntry(seq, time, actor, action, subject, reason, details, prevHash, "");
        entry = entry with { Hash = ComputeHash(entry) };
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO audit (seq, time, actor, action, subject, reason, details, prev_hash, hash)
            VALUES ($seq, $time, $actor, $action, $subject, $reason, $details, $prev, $hash)
            """;
        insert.Parameters.AddWithValue("$seq", entry.Seq);
        insert.Parameters.AddWithValue("$time", entry.Time);
        insert.Parameters.AddWithValue("$actor", entry.Actor);
        insert.Parameters.AddWithValue("$action", entry.Action);
        insert.Parameters.AddWithValue("$subject", entry.Subject);
        insert.Parameters.AddWithValue("$reason", entry.Reason);
        insert.Parameters.AddWithValue("$details", entry.Details);
        insert.Parameters.AddWithValue("$prev", entry.PrevHash);
        insert.Parameters.AddWithValue("$hash", entry.Hash);
        insert.ExecuteNonQuery();
        return entry;
    }

    /// <summary>Checks an entry's values; returns the details to store (<c>{}</c> when none).</summary>
    internal static string CheckEntry(string actor, string action, string subject, string reason, string? detailsJson)
    {
        if (!IsValidActor(actor))
        {
            throw new ArgumentException($"audit actor must be 1–{RegistryLimits.MaxActorLength} printable characters", nameof(actor));
        }

        if (!AuditActions.IsValid(action))
        {
            throw new ArgumentException($"audit action '{action}' must be 1–{RegistryLimits.MaxActionLength} characters of a–z and '-'", nameof(action));
        }

        if (!RegistryLimits.IsPrintable(subject, RegistryLimits.MaxSubjectLength))
        {
            throw new ArgumentException($"audit subject must be at most {RegistryLimits.MaxSubjectLength} printable characters", nameof(subject));
        }

        if (string.IsNullOrWhiteSpace(reason) || !RegistryLimits.IsPrintable(reason, RegistryLimits.MaxReasonLength))
        {
            throw new ArgumentException($"audit reason is required: 1–{RegistryLimits.MaxReasonLength} printable characters", nameof(reason));
        }

        var details = detailsJson ?? "{}";
        if (Encoding.UTF8.GetByteCount(details) > RegistryLimits.MaxDetailsBytes)
        {
            throw new ArgumentException($"audit details are limited to {RegistryLimits.MaxDetailsBytes} bytes", nameof(detailsJson));
        }

        try
        {
            using var document = JsonDocument.Parse(details);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("audit details must be a JSON object", nameof(detailsJson));
            }
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("audit details are not valid JSON: " + ex.Message, nameof(detailsJson), ex);
        }

        // Devices are named by pseudonym in the audit trail; an address here would leave the hub with any export of it.
        foreach (var (name, value) in (ReadOnlySpan<(string, string)>)[("subject", subject), ("reason", reason), ("details", details), ("actor", actor)])
        {
            if (TrackerAddress.ContainsAddress(value))
            {
                throw new ArgumentException($"audit {name} contains a radio address; name the device by its pseudonym (dev-…)", name);
            }
        }

        return details;
    }

    /// <summary>Whether <paramref name="actor"/> is a usable actor name.</summary>
    public static bool IsValidActor(string? actor) =>
        !string.IsNullOrWhiteSpace(actor) && RegistryLimits.IsPrintable(actor, RegistryLimits.MaxActorLength);

    /// <summary>
    /// Walks the whole chain in seq order and checks each entry: its seq follows the previous one (a gap means deleted
    /// entries), its prev_hash is the previous entry's hash (else reordered or forged), and its hash matches its content
    /// (else edited). Stops at the first break.
    /// </summary>
    public AuditVerification Verify() => _registry.Read(connection =>
    {
        var warnings = new List<string>();
        using (var triggers = connection.CreateCommand())
        {
            triggers.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN ('audit_no_update', 'audit_no_delete')";
            if (Convert.ToInt64(triggers.ExecuteScalar(), CultureInfo.InvariantCulture) != 2)
            {
                warnings.Add("the audit table's append-only triggers are missing: someone removed them (a wearable-ingest never does)");
            }
        }

        using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, time, actor, action, subject, reason, details, prev_hash, hash FROM audit ORDER BY seq";
        using var reader = command.ExecuteReader();
        long checkedCount = 0;
        long expectedSeq = 1;
        var previousHash = GenesisHash;
        while (reader.Read())
        {
            var entry = TryReadEntry(reader);
            if (entry is null)
            {
                var rawSeq = reader.GetValue(0) is long s ? s : expectedSeq;
                return Broken(rawSeq, "the row is malformed (a value has the wrong type): it was written by something other than wearable-ingest");
            }

            if (entry.Seq != expectedSeq)
            {
                var problem = entry.Seq > expectedSeq
                    ? (entry.Seq - expectedSeq == 1 ? $"seq gap: entry {expectedSeq} is missing (deleted)" : $"seq gap: entries {expectedSeq}–{entry.Seq - 1} are missing (deleted)")
                    : $"seq {entry.Seq} is out of order (forged)";
                return Broken(expectedSeq, problem);
            }

            if (!string.Equals(entry.PrevHash, previousHash, StringComparison.Ordinal))
            {
                return Broken(entry.Seq, "prev_hash mismatch: it does not link to the entry before (reordered, or forged and rehashed)");
            }

            if (!string.Equals(ComputeHash(entry), entry.Hash, StringComparison.Ordinal))
            {
                return Broken(entry.Seq, "hash mismatch: the entry's content was edited after it was written");
            }

            checkedCount++;
            expectedSeq++;
            previousHash = entry.Hash;
        }

        return new AuditVerification(checkedCount, previousHash, expectedSeq - 1, null, null, warnings);

        AuditVerification Broken(long seq, string problem) => new(checkedCount, previousHash, expectedSeq - 1, seq, problem, warnings);
    });

    /// <summary>
    /// Checks the trail against a head recorded earlier outside the hub (<paramref name="seq"/>, <paramref name="hash"/>):
    /// null when entry <paramref name="seq"/> still has that hash (so an intact chain extends the recorded one), else why
    /// not. This is what catches a rewrite of the whole chain or a cut-off tail, which <see cref="Verify"/> alone cannot.
    /// </summary>
    public string? CheckAnchor(long seq, string hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (seq == 0)
        {
            return string.Equals(hash, GenesisHash, StringComparison.Ordinal) ? null : "an anchor at seq 0 must be the genesis hash (64 zeros)";
        }

        var stored = _registry.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT hash FROM audit WHERE seq = $seq";
            command.Parameters.AddWithValue("$seq", seq);
            return command.ExecuteScalar();
        });
        return stored switch
        {
            null => $"entry {seq} of the anchor is missing: the trail was cut off or rewritten shorter",
            string text when string.Equals(text, hash, StringComparison.OrdinalIgnoreCase) => null,
            _ => $"entry {seq} has hash {stored}, but the anchor recorded {hash}: the trail was rewritten since the anchor was taken",
        };
    }

    /// <summary>The last <paramref name="limit"/> entries, oldest first.</summary>
    public IReadOnlyList<AuditEntry> List(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, RegistryLimits.MaxListEntries);
        return _registry.Read(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT seq, time, actor, action, subject, reason, details, prev_hash, hash FROM audit ORDER BY seq DESC LIMIT $limit";
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            var entries = new List<AuditEntry>();
            while (reader.Read())
            {
                entries.Add(TryReadEntry(reader) ?? throw new RegistryException(
                    "the audit table holds a malformed row; run 'wearable-ingest audit verify' to find it"));
            }

            entries.Reverse();
            return (IReadOnlyList<AuditEntry>)entries;
        });
    }

    /// <summary>
    /// SHA-256 (lower-case hex) over: the domain tag, seq as 8 bytes big-endian, then time, actor, action, subject,
    /// reason, details and prev_hash, each as a 4-byte big-endian byte count and its UTF-8 bytes. Length prefixes make
    /// the encoding unambiguous (no field's text can shift into the next).
    /// </summary>
    public static string ComputeHash(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(s_domain);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, entry.Seq);
        hash.AppendData(number);
        foreach (var field in (ReadOnlySpan<string>)[entry.Time, entry.Actor, entry.Action, entry.Subject, entry.Reason, entry.Details, entry.PrevHash])
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            BinaryPrimitives.WriteInt32BigEndian(number, bytes.Length);
            hash.AppendData(number[..4]);
            hash.AppendData(bytes);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The stored form of a time: UTC, 100 ns resolution, fixed width (so text order is time order).</summary>
    public static string FormatTime(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>An entry from the current row, or null when a value has the wrong type (rows are untrusted input).</summary>
    private static AuditEntry? TryReadEntry(SqliteDataReader reader)
    {
        if (reader.GetValue(0) is not long seq)
        {
            return null;
        }

        var texts = new string[8];
        for (var i = 1; i <= 8; i++)
        {
            if (reader.GetValue(i) is not string text)
            {
                return null;
            }

            texts[i - 1] = text;
        }

        return new AuditEntry(seq, texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], texts[6], texts[7]);
    }
}
