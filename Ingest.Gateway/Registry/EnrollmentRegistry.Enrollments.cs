using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Ingest.Pipeline.Intake.Radio;
using Microsoft.Data.Sqlite;

namespace Ingest.Gateway.Registry;

internal sealed partial class EnrollmentRegistry
{
    private const string EnrollmentColumns =
        "id, study, site, participant, device, profile, address, address_type, irk, enrolled_at, ended_at, end_reason, actor";

    /// <summary>
    /// Enrolls a tracker (or, with <see cref="EnrollmentRequest.Swap"/>, replaces the participant's active tracker of
    /// the profile with it) and records it in the audit trail, all in one transaction.
    /// </summary>
    /// <exception cref="RegistryException">A value is invalid or a rule forbids it; the message names the problem and the fix.</exception>
    public EnrollmentResult Enroll(EnrollmentRequest request)
    {
        var (address, addressType, irk) = CheckRequest(request);
        var result = Write(transaction =>
        {
            var key = StudyKey(transaction, request.Study);
            var device = DevicePseudonym.Compute(key, address);
            var holder = QueryOne(transaction, "address = $address AND ended_at IS NULL", ("$address", address));
            var current = QueryOne(transaction, "study = $study AND participant = $participant AND profile = $profile AND ended_at IS NULL",
                ("$study", request.Study), ("$participant", request.Participant), ("$profile", request.ProfileId));
            if (holder is not null)
            {
                if (current is not null && holder.Id == current.Id)
                {
                    throw new RegistryException($"this tracker is already participant {holder.Participant}'s {holder.ProfileId} tracker (device {holder.Device}); nothing to do");
                }

                throw new RegistryException($"this tracker is already enrolled to participant {holder.Participant} (device {holder.Device}, study {holder.Study}, profile {holder.ProfileId}); unenroll it first (wearable-ingest unenroll --device {holder.Device} --reason …)" +
                    (request.Swap ? "" : " or use --swap to replace a participant's tracker with a new one"));
            }

            if (current is not null && !request.Swap)
            {
                throw new RegistryException($"participant {request.Participant} already has an active {request.ProfileId} tracker (device {current.Device}); replace it with --swap, or unenroll it first");
            }

            if (current is null && request.Swap)
            {
                throw new RegistryException($"participant {request.Participant} has no active {request.ProfileId} tracker to swap; enroll without --swap");
            }

            // Two trackers with one key would make every private address of either resolve to the first (Find is ambiguous).
            if (irk is not null && QueryOne(transaction, "irk = $irk AND ended_at IS NULL AND id <> $current",
                    ("$irk", Convert.ToHexStringLower(irk)), ("$current", current?.Id ?? 0)) is { } sharing)
            {
                throw new RegistryException($"this identity resolving key is already enrolled for participant {sharing.Participant} (device {sharing.Device}); every tracker has its own key: check --irk");
            }

            // Another address with the same pseudonym in this study: 80-bit collision (docs/registry.md); never merge two trackers.
            using (var clash = Command(transaction, "SELECT count(*) FROM enrollments WHERE study = $s AND device = $d AND address <> $a"))
            {
                clash.Parameters.AddWithValue("$s", request.Study);
                clash.Parameters.AddWithValue("$d", device);
                clash.Parameters.AddWithValue("$a", address);
                if (Convert.ToInt64(clash.ExecuteScalar(), CultureInfo.InvariantCulture) != 0)
                {
                    throw new RegistryException($"this tracker's pseudonym {device} is already held by another tracker of study {request.Study} (a 1-in-10^24 collision); report it, and enroll the tracker in a new study id meanwhile");
                }
            }

            var now = Now();
            if (current is not null)
            {
                End(transaction, current.Id, now, request.Reason, request.Actor);
            }

            using (var insert = Command(transaction, """
                INSERT INTO enrollments (study, site, participant, device, profile, address, address_type, irk, enrolled_at, actor)
                VALUES ($study, $site, $participant, $device, $profile, $address, $type, $irk, $at, $actor)
                RETURNING id
                """))
            {
                insert.Parameters.AddWithValue("$study", request.Study);
                insert.Parameters.AddWithValue("$site", request.Site);
                insert.Parameters.AddWithValue("$participant", request.Participant);
                insert.Parameters.AddWithValue("$device", device);
                insert.Parameters.AddWithValue("$profile", request.ProfileId);
                insert.Parameters.AddWithValue("$address", address);
                insert.Parameters.AddWithValue("$type", addressType == BleAddressType.Public ? "public" : "random");
                insert.Parameters.AddWithValue("$irk", irk is null ? DBNull.Value : Convert.ToHexStringLower(irk));
                insert.Parameters.AddWithValue("$at", AuditTrail.FormatTime(now));
                insert.Parameters.AddWithValue("$actor", request.Actor);
                var id = Convert.ToInt64(insert.ExecuteScalar(), CultureInfo.InvariantCulture);
                var enrollment = new Enrollment(id, request.Study, request.Site, request.Participant, device, request.ProfileId, address,
                    addressType, irk, now, null, null, request.Actor);
                var details = Details(enrollment, current);
                var entry = current is null
                    ? Audit.AppendIn(transaction, request.Actor, AuditActions.Enroll, $"participant {request.Participant}, device {device}", request.Reason, details)
                    : Audit.AppendIn(transaction, request.Actor, AuditActions.Swap, $"participant {request.Participant}, device {current.Device} -> {device}", request.Reason, details);
                return new EnrollmentResult(enrollment, current, entry);
            }
        });
        NoteLocalChange();
        return result;
    }

    /// <summary>
    /// Checks every value of <paramref name="request"/> that needs no database (ids, profile id, reason, actor, address,
    /// key), so <c>enroll</c> refuses a typo before it creates a registry; <see cref="Enroll"/> checks them again.
    /// </summary>
    /// <returns>The address in canonical form, its type, and the key's bytes (or null).</returns>
    /// <exception cref="RegistryException">A value is invalid; the message names the option and the fix.</exception>
    public static (string Address, BleAddressType Type, byte[]? Irk) CheckRequest(EnrollmentRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        CheckId(request.Study, "--study", "study id");
        CheckId(request.Site, "--site", "site id");
        CheckId(request.Participant, "--participant", "participant pseudonym");
        CheckProfileId(request.ProfileId);
        CheckReason(request.Reason);
        CheckActor(request.Actor);
        var (address, addressType) = CheckAddress(request.Address, request.AddressType);
        byte[]? irk = null;
        if (request.Irk is not null && !ResolvablePrivateAddress.TryParseKey(request.Irk, out irk))
        {
            throw new RegistryException("--irk is not an identity resolving key: give 32 hex digits, most significant octet first (as the Core spec writes keys)");
        }

        return (address, addressType, irk);
    }

    /// <summary>Ends the participant's active enrollment of <paramref name="profileId"/> (in <paramref name="study"/>, or in any study when null).</summary>
    public EnrollmentResult Unenroll(string? study, string participant, string profileId, string reason, string actor)
    {
        if (study is not null)
        {
            CheckId(study, "--study", "study id");
        }

        CheckId(participant, "--participant", "participant pseudonym");
        CheckProfileId(profileId);
        CheckReason(reason);
        CheckActor(actor);
        return EndOne(transaction =>
        {
            var matches = QueryAll(transaction, "participant = $participant AND profile = $profile AND ended_at IS NULL AND ($study IS NULL OR study = $study)",
                ("$participant", participant), ("$profile", profileId), ("$study", study));
            return matches.Count switch
            {
                0 => throw new RegistryException($"participant {participant} has no active {profileId} tracker{(study is null ? "" : $" in study {study}")}; 'wearable-ingest devices' lists the enrolled ones"),
                1 => matches[0],
                _ => throw new RegistryException($"participant {participant} has an active {profileId} tracker in several studies ({string.Join(", ", matches.Select(m => m.Study))}); say which with --study"),
            };
        }, reason, actor);
    }

    /// <summary>Ends the active enrollment of the tracker with pseudonym <paramref name="device"/>.</summary>
    public EnrollmentResult UnenrollDevice(string device, string reason, string actor)
    {
        if (!DevicePseudonym.IsValid(device))
        {
            throw new RegistryException($"--device '{device}' is not a device pseudonym: it looks like dev- and 16 letters and digits (see 'wearable-ingest devices')");
        }

        CheckReason(reason);
        CheckActor(actor);
        return EndOne(transaction =>
            QueryOne(transaction, "device = $device AND ended_at IS NULL", ("$device", device))
            ?? throw new RegistryException($"no active enrollment has device {device}; 'wearable-ingest devices' lists the enrolled ones"), reason, actor);
    }

    /// <summary>The active enrollments, oldest first.</summary>
    public IReadOnlyList<Enrollment> ActiveEnrollments() =>
        Read(connection => (IReadOnlyList<Enrollment>)QueryAll(connection, null, "ended_at IS NULL"));

    /// <summary>Every enrollment, active and ended, oldest first.</summary>
    public IReadOnlyList<Enrollment> AllEnrollments() =>
        Read(connection => (IReadOnlyList<Enrollment>)QueryAll(connection, null, "1 = 1"));

    /// <summary>
    /// The keyed pseudonym of <paramref name="address"/> in <paramref name="study"/> (creates the study's key on first
    /// use): how the service names a refused tracker without writing its address.
    /// </summary>
    public string PseudonymFor(string study, string address)
    {
        CheckId(study, "study", "study id");
        if (!TrackerAddress.TryNormalize(address, out var normalized))
        {
            throw new ArgumentException("not a Bluetooth address", nameof(address));
        }

        // The key exists after the study's first enrollment or refusal: read it without taking the write lock.
        var existing = Read(connection =>
        {
            using var select = connection.CreateCommand();
            select.CommandText = "SELECT key FROM study_keys WHERE study = $s";
            select.Parameters.AddWithValue("$s", study);
            return select.ExecuteScalar() as byte[];
        });
        if (existing is { Length: DevicePseudonym.KeyLength })
        {
            return DevicePseudonym.Compute(existing, normalized);
        }

        return Write(transaction => DevicePseudonym.Compute(StudyKey(transaction, study), normalized));
    }

    private EnrollmentResult EndOne(Func<SqliteTransaction, Enrollment> find, string reason, string actor)
    {
        var result = Write(transaction =>
        {
            var enrollment = find(transaction);
            var now = Now();
            End(transaction, enrollment.Id, now, reason, actor);
            var details = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["study"] = enrollment.Study,
                ["site"] = enrollment.Site,
                ["profile"] = enrollment.ProfileId,
                ["enrollment"] = enrollment.Id,
                ["enrolled_at"] = AuditTrail.FormatTime(enrollment.EnrolledAt),
            });
            var entry = Audit.AppendIn(transaction, actor, AuditActions.Unenroll, $"participant {enrollment.Participant}, device {enrollment.Device}", reason, details);
            return new EnrollmentResult(enrollment with { EndedAt = now, EndReason = reason }, null, entry);
        });
        NoteLocalChange();
        return result;
    }

    private static void End(SqliteTransaction transaction, long id, DateTimeOffset at, string reason, string actor)
    {
        using var update = Command(transaction, "UPDATE enrollments SET ended_at = $at, end_reason = $reason, ended_by = $actor WHERE id = $id AND ended_at IS NULL");
        update.Parameters.AddWithValue("$at", AuditTrail.FormatTime(at));
        update.Parameters.AddWithValue("$reason", reason);
        update.Parameters.AddWithValue("$actor", actor);
        update.Parameters.AddWithValue("$id", id);
        update.ExecuteNonQuery();
    }

    private static string Details(Enrollment enrollment, Enrollment? replaced) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["study"] = enrollment.Study,
        ["site"] = enrollment.Site,
        ["profile"] = enrollment.ProfileId,
        ["enrollment"] = enrollment.Id,
        ["address_type"] = enrollment.AddressType == BleAddressType.Public ? "public" : "random",
        ["irk"] = enrollment.Irk is not null,
        ["replaced_enrollment"] = replaced?.Id,
    });

    /// <summary>The study's hub-local key, created (32 random bytes) on first use. Never leaves this class but as a pseudonym.</summary>
    private byte[] StudyKey(SqliteTransaction transaction, string study)
    {
        using (var select = Command(transaction, "SELECT key FROM study_keys WHERE study = $s"))
        {
            select.Parameters.AddWithValue("$s", study);
            if (select.ExecuteScalar() is byte[] existing)
            {
                if (existing.Length != DevicePseudonym.KeyLength)
                {
                    throw new RegistryException($"the key of study {study} in {Path} is damaged ({existing.Length} bytes, not {DevicePseudonym.KeyLength}); restore the registry from a backup");
                }

                return existing;
            }
        }

        var key = RandomNumberGenerator.GetBytes(DevicePseudonym.KeyLength);
        using var insert = Command(transaction, "INSERT INTO study_keys (study, key, created_at) VALUES ($s, $k, $at)");
        insert.Parameters.AddWithValue("$s", study);
        insert.Parameters.AddWithValue("$k", key);
        insert.Parameters.AddWithValue("$at", AuditTrail.FormatTime(Now()));
        insert.ExecuteNonQuery();
        return key;
    }

    private static SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private Enrollment? QueryOne(SqliteTransaction transaction, string where, params (string Name, object? Value)[] parameters)
    {
        var all = QueryAll(transaction.Connection!, transaction, where, parameters);
        return all.Count == 0 ? null : all[0];
    }

    private List<Enrollment> QueryAll(SqliteTransaction transaction, string where, params (string Name, object? Value)[] parameters) =>
        QueryAll(transaction.Connection!, transaction, where, parameters);

    /// <summary>Enrollments matching <paramref name="where"/> (a fixed clause of ours, values bound as parameters), oldest first.</summary>
    private List<Enrollment> QueryAll(SqliteConnection connection, SqliteTransaction? transaction, string where, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {EnrollmentColumns} FROM enrollments WHERE {where} ORDER BY id LIMIT {RegistryLimits.MaxEnrollments + 1}";
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var list = new List<Enrollment>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            if (list.Count == RegistryLimits.MaxEnrollments)
            {
                throw new RegistryException($"{Path} holds more than {RegistryLimits.MaxEnrollments} enrollments; that is not a hub's registry");
            }

            list.Add(ReadEnrollment(reader));
        }

        return list;
    }

    /// <summary>One enrollment row, checked: the file is untrusted input (a hand edit must not become a crash or a bad topic).</summary>
    private Enrollment ReadEnrollment(SqliteDataReader reader)
    {
        var id = reader.GetInt64(0);
        string Text(int ordinal) => reader.GetValue(ordinal) as string
            ?? throw Damaged(id, reader.GetName(ordinal));
        string? OptionalText(int ordinal) => reader.IsDBNull(ordinal) ? null : Text(ordinal);

        var study = Text(1);
        var site = Text(2);
        var participant = Text(3);
        var device = Text(4);
        var profile = Text(5);
        var address = Text(6);
        var type = Text(7);
        var irkText = OptionalText(8);
        if (!RegistryLimits.IsValidId(study) || !RegistryLimits.IsValidId(site) || !RegistryLimits.IsValidId(participant)
            || !DevicePseudonym.IsValid(device) || !IsValidProfileId(profile))
        {
            throw Damaged(id, "an id");
        }

        if (!TrackerAddress.TryNormalize(address, out var normalized) || normalized != address)
        {
            throw Damaged(id, "address");
        }

        byte[]? irk = null;
        if (irkText is not null && !ResolvablePrivateAddress.TryParseKey(irkText, out irk))
        {
            throw Damaged(id, "irk");
        }

        var addressType = type switch
        {
            "public" => BleAddressType.Public,
            "random" => BleAddressType.Random,
            _ => throw Damaged(id, "address_type"),
        };
        var enrolledAt = ParseTime(Text(9)) ?? throw Damaged(id, "enrolled_at");
        DateTimeOffset? endedAt = null;
        if (OptionalText(10) is { } ended)
        {
            endedAt = ParseTime(ended) ?? throw Damaged(id, "ended_at");
        }

        return new Enrollment(id, study, site, participant, device, profile, address, addressType, irk, enrolledAt, endedAt, OptionalText(11), Text(12));
    }

    private RegistryException Damaged(long id, string what) =>
        new($"enrollment {id} in {Path} is damaged ({what} is not valid); restore the registry from a backup");

    internal static DateTimeOffset? ParseTime(string text) =>
        DateTimeOffset.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time) ? time : null;

    private static void CheckId(string? value, string option, string what)
    {
        if (!RegistryLimits.IsValidId(value))
        {
            throw new RegistryException($"{option} '{Echo(value)}' is not a valid {what}: use {RegistryLimits.IdRule}");
        }
    }

    private static void CheckProfileId(string? value)
    {
        if (!IsValidProfileId(value))
        {
            throw new RegistryException($"--profile '{Echo(value)}' is not a profile id: use 1–{RegistryLimits.MaxProfileIdLength} characters of a–z, 0–9, '.', '_' and '-' ('wearable-ingest profiles list' shows them)");
        }
    }

    /// <summary>A rejected value as it may be shown: never an address, never a screenful.</summary>
    private static string Echo(string? value) =>
        value is null ? "" : TrackerAddress.Redact(value.Length > 80 ? value[..80] + "…" : value);

    private static bool IsValidProfileId(string? value) =>
        value is { Length: > 0 and <= RegistryLimits.MaxProfileIdLength } && RegistryLimits.IsValidId(value);

    private static void CheckReason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new RegistryException("--reason is required: say why, e.g. --reason \"baseline visit\"");
        }

        if (!RegistryLimits.IsPrintable(reason, RegistryLimits.MaxReasonLength))
        {
            throw new RegistryException($"--reason must be at most {RegistryLimits.MaxReasonLength} characters on one line (it has {reason.Length}); shorten it");
        }

        if (TrackerAddress.ContainsAddress(reason))
        {
            throw new RegistryException("--reason contains a radio address, which must not leave the hub in the audit trail; leave it out (the device pseudonym is recorded)");
        }
    }

    private static void CheckActor(string? actor)
    {
        if (!AuditTrail.IsValidActor(actor) || TrackerAddress.ContainsAddress(actor))
        {
            throw new RegistryException($"--actor must be a name of 1–{RegistryLimits.MaxActorLength} printable characters, e.g. --actor nurse.jones");
        }
    }

    private static (string Address, BleAddressType Type) CheckAddress(string? text, BleAddressType? requested)
    {
        Span<byte> octets = stackalloc byte[TrackerAddress.Length];
        if (!TrackerAddress.TryParse(text, octets))
        {
            throw new RegistryException($"--address is not a Bluetooth address: give the tracker's identity address as {TrackerAddress.Form} ('wearable-ingest scan' shows it)");
        }

        var subType = TrackerAddress.RandomSubType(octets);
        var type = requested ?? (subType == TrackerAddress.StaticRandom ? BleAddressType.Random : BleAddressType.Public);
        if (type == BleAddressType.Random && subType != TrackerAddress.StaticRandom)
        {
            // Vol 6 Part B §1.3.2: only a static random address identifies a device; private ones change every few minutes.
            var kind = subType == TrackerAddress.ResolvablePrivate ? "a resolvable private address, which the tracker changes every few minutes"
                : "a private address, not an identity address";
            throw new RegistryException($"--address is {kind}; enroll the tracker's identity address (public, or static random with the top two bits 11) and give its key with --irk");
        }

        return (TrackerAddress.Format(octets), type);
    }
}
