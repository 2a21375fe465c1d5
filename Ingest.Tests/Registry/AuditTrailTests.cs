using Ingest.Gateway.Registry;
using Ingest.Tests.Support;
using Microsoft.Data.Sqlite;
using static Ingest.Tests.Registry.RegistryTestSupport;

namespace Ingest.Tests.Registry;

public class AuditTrailTests
{
    private const string DropTriggers = "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;";

    /// <summary>A registry with 40 enrollment changes and service entries behind it.</summary>
    private static EnrollmentRegistry Busy(TemporaryDirectory directory)
    {
        var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);
        for (var i = 0; i < 10; i++)
        {
            var enrolled = registry.Enroll(Request(Address(i), participant: $"P-{i:0000}")).Enrollment;
            registry.Enroll(Request(Address(100 + i), participant: $"P-{i:0000}", swap: true, reason: "strap broke"));
            registry.Audit.Append("service", AuditActions.SpoolDrop, $"device {enrolled.Device}", "spool full", """{"batches":3}""");
            registry.Unenroll("S1", $"P-{i:0000}", "polar-h10", "end of study", "nurse.jones");
        }

        return registry;
    }

    [Fact]
    public void Verify_AfterManyChanges_IsIntactWithHeadOfLastEntry()
    {
        using var directory = new TemporaryDirectory("audit");
        using var registry = Busy(directory);

        var result = registry.Audit.Verify();

        Assert.True(result.Intact, result.Problem);
        Assert.Equal(40, result.EntriesChecked);
        Assert.Equal(40, result.HeadSeq);
        Assert.Equal(registry.Audit.List(1)[0].Hash, result.HeadHash);
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Verify_EmptyTrail_IsIntactWithGenesisHead()
    {
        using var directory = new TemporaryDirectory("audit");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);

        var result = registry.Audit.Verify();

        Assert.True(result.Intact);
        Assert.Equal(0, result.EntriesChecked);
        Assert.Equal(AuditTrail.GenesisHash, result.HeadHash);
    }

    [Theory]
    [InlineData("UPDATE audit SET reason = 'nothing happened' WHERE seq = 5")]
    [InlineData("DELETE FROM audit WHERE seq = 5")]
    public void Triggers_CasualEditOrDelete_Fail(string sql)
    {
        using var directory = new TemporaryDirectory("audit");
        using (Busy(directory))
        {
        }

        var error = Assert.Throws<SqliteException>(() => Sql(directory.Combine("registry.db"), sql));

        Assert.Contains("the audit trail is append-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_EditedRowAfterTriggersDropped_NamesItsSeqAsEdited()
    {
        using var directory = new TemporaryDirectory("audit");
        using var registry = Busy(directory);
        Sql(directory.Combine("registry.db"), DropTriggers + "UPDATE audit SET reason = 'nothing happened' WHERE seq = 17");

        var result = registry.Audit.Verify();

        Assert.False(result.Intact);
        Assert.Equal(17, result.BrokenSeq);
        Assert.Equal("hash mismatch: the entry's content was edited after it was written", result.Problem);
        Assert.Equal(16, result.EntriesChecked);
        Assert.Contains(result.Warnings, w => w.Contains("append-only triggers are missing", StringComparison.Ordinal));
    }

    [Fact]
    public void Verify_DeletedRow_NamesTheGap()
    {
        using var directory = new TemporaryDirectory("audit");
        using var registry = Busy(directory);
        Sql(directory.Combine("registry.db"), DropTriggers + "DELETE FROM audit WHERE seq IN (21, 22)");

        var result = registry.Audit.Verify();

        Assert.Equal(21, result.BrokenSeq);
        Assert.Equal("seq gap: entries 21–22 are missing (deleted)", result.Problem);
    }

    [Fact]
    public void Verify_ReorderedEntries_NamesThePrevHashMismatch()
    {
        using var directory = new TemporaryDirectory("audit");
        using var registry = Busy(directory);
        // Swap entries 10 and 11 (seq numbers exchanged, contents and hashes kept).
        Sql(directory.Combine("registry.db"), DropTriggers + """
            UPDATE audit SET seq = -1 WHERE seq = 10;
            UPDATE audit SET seq = 10 WHERE seq = 11;
            UPDATE audit SET seq = 11 WHERE seq = -1;
            """);

        var result = registry.Audit.Verify();

        Assert.Equal(10, result.BrokenSeq);
        Assert.StartsWith("prev_hash mismatch", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_ForgedEntryRehashedButNotRelinked_IsCaught()
    {
        using var directory = new TemporaryDirectory("audit");
        using var registry = Busy(directory);
        // A forger rewrites entry 30 and recomputes its hash correctly (the algorithm is public), but does not rewrite
        // every later entry: entry 31 no longer links to it.
        var original = registry.Audit.List(40)[29];
        var forged = original with { Reason = "never happened", PrevHash = original.PrevHash };
        forged = forged with { Hash = AuditTrail.ComputeHash(forged) };
        Sql(directory.Combine("registry.db"), DropTriggers + $"UPDATE audit SET reason = '{forged.Reason}', hash = '{forged.Hash}' WHERE seq = 30");

        var result = registry.Audit.Verify();

        Assert.Equal(31, result.BrokenSeq);
        Assert.StartsWith("prev_hash mismatch", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_AppendedForgedEntryWithWrongLink_IsCaught()
    {
        using var directory = new TemporaryDirectory("audit");
        using var registry = Busy(directory);
        var forged = new AuditEntry(41, AuditTrail.FormatTime(DateTimeOffset.UtcNow), "nurse.jones", "enroll", "participant P-9", "x", "{}", AuditTrail.GenesisHash, "");
        forged = forged with { Hash = AuditTrail.ComputeHash(forged) };
        Sql(directory.Combine("registry.db"),
            $"INSERT INTO audit VALUES (41, '{forged.Time}', 'nurse.jones', 'enroll', 'participant P-9', 'x', '{{}}', '{forged.PrevHash}', '{forged.Hash}')");

        var result = registry.Audit.Verify();

        Assert.Equal(41, result.BrokenSeq);
        Assert.StartsWith("prev_hash mismatch", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ComputeHash_EachFieldMatters()
    {
        var entry = new AuditEntry(7, "2026-11-30T10:00:00.0000000Z", "a", "enroll", "s", "r", "{}", AuditTrail.GenesisHash, "");
        var hash = AuditTrail.ComputeHash(entry);
        AuditEntry[] changed =
        [
            entry with { Seq = 8 }, entry with { Time = "2026-11-30T10:00:00.0000001Z" }, entry with { Actor = "b" },
            entry with { Action = "swap" }, entry with { Subject = "t" }, entry with { Reason = "q" }, entry with { Details = "{ }" },
            entry with { PrevHash = new string('1', 64) },
            // Moving a character across a field boundary must change the hash (length prefixes).
            entry with { Actor = "ae", Action = "nroll" },
        ];

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.All(changed, other => Assert.NotEqual(hash, AuditTrail.ComputeHash(other)));
    }

    [Theory]
    [InlineData("service", "admission-refused", "device C4:7C:8D:00:00:01", "not enrolled", null, "subject contains a radio address")]
    [InlineData("service", "admission-refused", "device dev-abcdefghijklmnop", "saw c4-7c-8d-00-00-01", null, "reason contains a radio address")]
    [InlineData("service", "admission-refused", "device dev-abcdefghijklmnop", "x", """{"address":"C4:7C:8D:00:00:01"}""", "details contains a radio address")]
    [InlineData("service", "Admission Refused", "s", "x", null, "must be 1–32 characters of a–z and '-'")]
    [InlineData("service", "quarantine", "s", "", null, "audit reason is required")]
    [InlineData("service", "quarantine", "s", "x", "[1,2]", "audit details must be a JSON object")]
    [InlineData("service", "quarantine", "s", "x", "{", "audit details are not valid JSON")]
    [InlineData("", "quarantine", "s", "x", null, "audit actor must be")]
    public void Append_BadValue_IsRefusedAndNothingWritten(string actor, string action, string subject, string reason, string? details, string message)
    {
        using var directory = new TemporaryDirectory("audit");
        using var registry = EnrollmentRegistry.Open(directory.Combine("registry.db"), create: true);

        var error = Assert.ThrowsAny<ArgumentException>(() => registry.Audit.Append(actor, action, subject, reason, details));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(0, registry.Audit.Verify().EntriesChecked);
    }
}
