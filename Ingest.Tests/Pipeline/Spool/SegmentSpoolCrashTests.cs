using System.Collections.Concurrent;
using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Spool;
using static Ingest.Tests.Pipeline.Spool.SpoolTestSupport;

namespace Ingest.Tests.Pipeline.Spool;

/// <summary>
/// Power cut at a random storage operation (a write, sync, rename, delete or directory sync, including during
/// recovery), with unsynced data discarded or torn: no acknowledged, unreleased record is ever lost, and no record
/// comes back with other bytes than were appended (the oracle of Kafka's produce_consume_validate: acked ⊆ read).
/// </summary>
public sealed class SegmentSpoolCrashTests
{
    public sealed record CrashCase(int Seed, int PowerCutAfter, bool Tear, int Writers, int SegmentBytes, bool Groups, bool Releases);

    private static Gen<CrashCase> Cases =>
        from seed in Gen.Choose(0, int.MaxValue - 1)
        from cut in Gen.Choose(1, 400)
        from tear in Gen.Elements(true, false)
        from writers in Gen.Choose(1, 4)
        from segment in Gen.Elements(4096, 8192, 65536)
        from groups in Gen.Elements(true, false)
        from releases in Gen.Elements(true, false)
        select new CrashCase(seed, cut, tear, writers, segment, groups, releases);

    [Fact]
    public void PowerCut_AtRandomOperation_NeverLosesAcknowledgedNorReturnsCorrupt()
    {
        // SPOOL_CRASH_CASES=10000 for the nightly run (reliability.md: rule of three).
        var cases = int.TryParse(Environment.GetEnvironmentVariable("SPOOL_CRASH_CASES"), out var n) ? n : 150;
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(cases), Prop.ForAll(Arb.From(Cases), c => RunAsync(c).GetAwaiter().GetResult()));
    }

    private static async Task RunAsync(CrashCase c)
    {
        var options = Options(segmentBytes: c.SegmentBytes, commitBytes: c.Groups ? 2048 : 1, commitWindow: TimeSpan.FromMilliseconds(c.Groups ? 2 : 0))
            with { RecyclePoolSegments = 1 };
        var random = new Random(c.Seed);
        var disk = new SimulatedDisk();

        // An earlier clean session leaves history: records, some released, a checkpoint and recycled segments.
        var attempted = new ConcurrentDictionary<(string, long), byte[]>();
        var acked = new ConcurrentDictionary<(string, long), SpoolPosition>();
        var released = new ConcurrentDictionary<(string, long), bool>();
        var sequences = new long[c.Writers];
        disk.PowerCutAfterOperations = c.PowerCutAfter;
        try
        {
            await using var spool = SegmentSpool.Open(options, disk);
            var writers = Enumerable.Range(0, c.Writers).Select(w => Task.Run(async () =>
            {
                var writerRandom = new Random(c.Seed + w);
                var stream = $"s{w}";
                for (var i = 0; i < 60; i++)
                {
                    var sequence = sequences[w]++;
                    var payload = Payload(sequence + (w * 1000), 50 + writerRandom.Next(700));
                    attempted[(stream, sequence)] = payload;
                    SpoolPosition position;
                    try
                    {
                        position = await spool.AppendAsync(new BatchIdentity("hub-7", stream, sequence), Rows(sequence), payload);
                    }
                    catch (IOException)
                    {
                        return; // faulted by the power cut: outcome unknown
                    }

                    acked[(stream, sequence)] = position;
                    if (c.Releases && writerRandom.Next(3) > 0 && sequence > 2)
                    {
                        var old = (stream, sequence - 2 - writerRandom.Next(2));
                        if (acked.TryGetValue(old, out var oldPosition))
                        {
                            released[old] = true;
                            spool.Release(oldPosition, SpoolReleaseMode.PublishAcknowledged);
                        }
                    }
                }
            })).ToArray();
            await Task.WhenAll(writers);
        }
        catch (IOException)
        {
            // The power cut hit recovery or a checkpoint at open.
        }

        var after = disk.Crash(random, c.Tear);
        var seen = new Dictionary<(string, long), SpoolRecord>();
        long firstQuarantined;
        await using (var reopened = SegmentSpool.Open(options, after))
        {
            foreach (var record in await ReadPendingAsync(reopened))
            {
                var key = (record.Identity.Stream, record.Identity.Sequence);
                Assert.True(attempted.TryGetValue(key, out var payload), $"record {key} was never appended");
                Assert.Equal(payload, record.Payload.ToArray());
                Assert.Equal(Rows(record.Identity.Sequence), record.RowCount);
                Assert.True(seen.TryAdd(key, record), $"record {key} read twice");
            }

            foreach (var key in acked.Keys)
            {
                Assert.True(released.ContainsKey(key) || seen.ContainsKey(key), $"acknowledged record {key} lost ({c})");
            }

            foreach (var (key, next) in reopened.Recovery.NextSequences)
            {
                Assert.True(attempted.ContainsKey((key.Stream, next - 1)));
            }

            firstQuarantined = reopened.Recovery.QuarantinedRecords + reopened.Recovery.QuarantinedRegions;

            // Recovery leaves a spool that keeps working: append, and reopen cleanly.
            await reopened.AppendAsync(new BatchIdentity("hub-7", "after", 0), Rows(0), Payload(0));
        }

        await using var again = SegmentSpool.Open(options, after);
        var final = await ReadPendingAsync(again);
        Assert.Contains(final, r => r.Identity.Stream == "after");
        foreach (var key in seen.Keys)
        {
            Assert.Contains(final, r => (r.Identity.Stream, r.Identity.Sequence) == key);
        }

        // The tail was cut; what was quarantined stays in its (older) place and is found again, nothing new.
        Assert.Equal(0, again.Recovery.TornTailBytes);
        Assert.InRange(again.Recovery.QuarantinedRecords + again.Recovery.QuarantinedRegions, 0, firstQuarantined);
    }
}
