using Ingest.Pipeline.Service;
using Ingest.Reliability;
using Ingest.Tests.Mqtt.Support;
using Ingest.Tests.Pipeline.Service;
using Ingest.Tests.Reliability.Support;
using Ingest.Tests.Support;
using Xunit.Abstractions;

namespace Ingest.Tests.Reliability;

/// <summary>
/// The service against a real mosquitto that goes away, refuses, or forgets (docs/reliability.md, the fault matrix). A
/// live simulated fleet feeds it; <see cref="VerifyingSubscriber"/> is the platform; the ledger says which sequences were
/// made durable, and every one of them must arrive.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class BrokerFaultTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>"Minutes" shortened so the suite stays fast; the bench's crash mode and the docs say so.</summary>
    private static readonly TimeSpan s_brokerDowntime = TimeSpan.FromSeconds(25);

    private readonly string _dataDir = Peers.NewScratchDirectory("faults-broker");

    public void Dispose()
    {
        if (Directory.Exists(_dataDir))
        {
            Directory.Delete(_dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Broker_stopped_for_a_while_then_restarted_backlog_shows_and_every_durable_sequence_arrives()
    {
        await using var broker = await MosquittoBroker.StartAsync("faults-down", persistence: true);
        await using var subscriber = await VerifyingSubscriber.StartAsync(broker.Port);
        await using var rig = await ServiceRig.StartAsync(broker.Port, _dataDir);
        await rig.WaitUntilAsync(s => s.BatchesReleased > 20, TimeSpan.FromSeconds(30), "first batches published");

        await broker.StopAsync();
        var downAt = DateTime.UtcNow;
        await rig.WaitUntilAsync(s => !s.DestinationState.Equals("connected", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the hub to see the broker gone");
        await Task.Delay(s_brokerDowntime - (DateTime.UtcNow - downAt));
        var whileDown = rig.Status;
        output.WriteLine($"after {s_brokerDowntime.TotalSeconds} s down: backlog {whileDown.Backlog}, oldest unsent {whileDown.OldestUnsentSample}, state '{whileDown.DestinationState}', failures {whileDown.PublishFailures}");
        Assert.True(whileDown.Backlog > 50, $"no backlog while the broker was down: {whileDown}");
        Assert.NotNull(whileDown.OldestUnsentSample);
        Assert.Null(whileDown.Failure);

        await broker.StartAgainAsync();
        await rig.WaitUntilAsync(s => s.Backlog < 20, TimeSpan.FromSeconds(60), "the backlog to drain after the broker came back");
        var final = await rig.StopAsync();
        Assert.Equal(0, final.Backlog);
        Assert.True(final.Reconnects >= 1, "no reconnect counted");

        var expected = ServiceRig.LedgerNextSequences(_dataDir);
        var report = await subscriber.WaitForAllAsync(expected, TimeSpan.FromSeconds(30));
        output.WriteLine(report.Describe());
        Assert.True(report.Lost == 0 && report.Unexpected == 0 && report.Conflicts == 0 && report.HashMismatches == 0, report.Describe());
        Assert.Equal(final.Samples, report.Streams.Where(s => !s.Key.EndsWith(".gaps", StringComparison.Ordinal) && !s.Key.EndsWith(".clock", StringComparison.Ordinal)).Sum(s => s.Rows));
        Assert.Equal(final.BatchesSpooled, report.Batches);
    }

    [Fact]
    public async Task A_publish_the_broker_refuses_as_not_authorised_is_kept_reported_and_published_after_the_acl_allows_it()
    {
        const string Acl = "topic readwrite wearables/#\ntopic deny wearables/+/+/+/hr\n";
        await using var broker = await MosquittoBroker.StartAsync("faults-acl", persistence: true,
            extraConfiguration: "acl_file {dir}/acl", prepare: dir => File.WriteAllText(Path.Combine(dir, "acl"), Acl));
        await using var subscriber = await VerifyingSubscriber.StartAsync(broker.Port);
        IngestStatus refusedRun;
        await using (var rig = await ServiceRig.StartAsync(broker.Port, _dataDir))
        {
            await rig.WaitUntilAsync(s => s.BatchesRefused >= 5 && s.BatchesReleased > 20, TimeSpan.FromSeconds(40), "refusals and releases");
            refusedRun = await rig.StopAsync();
        }

        output.WriteLine($"refused {refusedRun.BatchesRefused}, released {refusedRun.BatchesReleased}, backlog {refusedRun.Backlog}: {refusedRun.LastPublishProblem}");
        Assert.Contains("kept in the spool", refusedRun.LastPublishProblem, StringComparison.Ordinal);
        Assert.Contains(".hr#", refusedRun.LastPublishProblem, StringComparison.Ordinal);
        Assert.Equal(refusedRun.BatchesRefused, refusedRun.Backlog); // kept, and nothing else held back
        var afterRefusal = subscriber.Report(ServiceRig.LedgerNextSequences(_dataDir));
        Assert.DoesNotContain(afterRefusal.Streams, s => s.Key.EndsWith(".hr", StringComparison.Ordinal) && s.Received > 0);
        Assert.All(afterRefusal.Streams.Where(s => !s.Key.EndsWith(".hr", StringComparison.Ordinal)), s => Assert.Empty(s.Missing)); // the rest continued

        // The operator fixes the ACL; the next start publishes what was kept.
        File.WriteAllText(Path.Combine(broker.Directory, "acl"), "topic readwrite wearables/#\n");
        await broker.RestartAsync();
        await subscriber.WaitConnectedAsync(TimeSpan.FromSeconds(10)); // the broker's queueing for offline sessions is not under test
        await using (var rig = await ServiceRig.StartAsync(broker.Port, _dataDir, new ReplaySource([])))
        {
            await rig.WaitUntilAsync(s => s.Backlog == 0, TimeSpan.FromSeconds(30), "the kept batches to be published");
            var final = await rig.StopAsync();
            output.WriteLine($"second run: recovered {rig.Service.Recovery.RecordsRecovered}, published {final.BatchesPublished}, released {final.BatchesReleased}, refused {final.BatchesRefused}; subscriber messages {subscriber.Messages}");
            Assert.Equal(0, final.BatchesRefused);
        }


        var report = await subscriber.WaitForAllAsync(ServiceRig.LedgerNextSequences(_dataDir), TimeSpan.FromSeconds(20));
        output.WriteLine(report.Describe());
        Assert.True(report.Lost == 0 && report.Conflicts == 0 && report.Unexpected == 0, report.Describe());
        Assert.Contains(report.Streams, s => s.Key.EndsWith(".hr", StringComparison.Ordinal) && s.Received >= 1);
    }

    [Fact]
    public async Task A_publish_too_large_for_the_broker_is_kept_reported_and_the_rest_continue()
    {
        // Everything but the smallest batches exceeds this limit: mosquitto answers PUBACK 0x95 (packet too large).
        await using var broker = await MosquittoBroker.StartAsync("faults-size", extraConfiguration: "message_size_limit 1500");
        await using var subscriber = await VerifyingSubscriber.StartAsync(broker.Port);
        await using var rig = await ServiceRig.StartAsync(broker.Port, _dataDir);
        await rig.WaitUntilAsync(s => s.BatchesRefused >= 5 && s.BatchesReleased >= 5, TimeSpan.FromSeconds(40), "refusals and releases");
        var status = await rig.StopAsync();
        output.WriteLine($"refused {status.BatchesRefused}, released {status.BatchesReleased}, backlog {status.Backlog}: {status.LastPublishProblem}");
        Assert.Contains("kept in the spool", status.LastPublishProblem, StringComparison.Ordinal);
        Assert.Equal(status.BatchesRefused, status.Backlog);
        Assert.Equal(status.BatchesSpooled, status.BatchesReleased + status.BatchesRefused);
        var report = subscriber.Report();
        Assert.Equal(status.BatchesReleased, report.Batches);
        Assert.Equal(0, report.HashMismatches);
    }

    [Fact]
    public async Task With_receipts_a_broker_killed_after_puback_loses_nothing_the_hub_republishes_until_receipted()
    {
        // No persistence: a killed broker forgets every message it acknowledged but had not delivered.
        await using var broker = await MosquittoBroker.StartAsync("faults-receipts");
        await using var subscriber = await VerifyingSubscriber.StartAsync(broker.Port);
        await using var rig = await ServiceRig.StartAsync(broker.Port, _dataDir, options: ServiceRig.Options(receipts: true));
        await rig.WaitUntilAsync(s => s.BatchesReleased > 20, TimeSpan.FromSeconds(30), "receipted releases");

        // The receiver stops storing (and so receipting); the broker PUBACKs and passes batches on, then dies.
        subscriber.Holding = true;
        var heldFrom = subscriber.Held;
        while (subscriber.Held - heldFrom < 10)
        {
            await Task.Delay(50);
        }

        var publishedBeforeKill = rig.Status.BatchesPublished;
        broker.Kill();
        subscriber.Holding = false;
        output.WriteLine($"killed the broker after {subscriber.Held} PUBACKed batches the receiver never stored; published {publishedBeforeKill}, released {rig.Status.BatchesReleased}");
        await Task.Delay(TimeSpan.FromSeconds(2));
        await broker.StartAgainAsync();

        await rig.WaitUntilAsync(s => s.BatchesPublished > publishedBeforeKill + 20, TimeSpan.FromSeconds(30), "publishing to resume");
        var final = await rig.StopAsync();
        output.WriteLine($"republished for want of a receipt: {rig.Service.Metrics.ReceiptRepublishes}");
        Assert.True(rig.Service.Metrics.ReceiptRepublishes >= 10, "the held batches were not published again");
        output.WriteLine($"final: published {final.BatchesPublished}, released {final.BatchesReleased}, backlog {final.Backlog}, spooled {final.BatchesSpooled}");
        var report = await subscriber.WaitForAllAsync(ServiceRig.LedgerNextSequences(_dataDir), TimeSpan.FromSeconds(20));
        output.WriteLine(report.Describe());
        Assert.True(report.Lost == 0 && report.Conflicts == 0, report.Describe());
        Assert.Equal(0, final.Backlog);
        Assert.Equal(final.BatchesSpooled, final.BatchesReleased);
    }
}
