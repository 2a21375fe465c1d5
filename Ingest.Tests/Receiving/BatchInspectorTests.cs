using FsCheck;
using FsCheck.Fluent;
using Ingest.Gateway.Receiving;
using Ingest.Pipeline.Publishing;
using Ingest.Tests.Support;

namespace Ingest.Tests.Receiving;

/// <summary>Untrusted payloads: every bad one is a rejection with a reason, never an exception and never a native crash.</summary>
public sealed class BatchInspectorTests
{
    private static readonly TestBatch s_valid = ReceivingTestBatches.Make(3);

    private static List<KeyValuePair<string, string>> PropertiesFor(byte[] payload) =>
        [.. s_valid.Properties.UserProperties.Select(p => p.Key == BatchMessage.Sha256Property ? KeyValuePair.Create(p.Key, BatchMessage.Sha256Hex(payload)) : p)];

    [Fact]
    public void Inspect_ValidBatch_IsAcceptedWithItsIdentityAndOrigin()
    {
        var inspection = BatchInspector.Inspect(s_valid.Topic, s_valid.Payload, s_valid.Properties.UserProperties);

        Assert.Equal(BatchInspectionOutcome.Accepted, inspection.Outcome);
        using var batch = inspection.Batch!.Batch;
        Assert.Equal(s_valid.Identity, inspection.Batch.Identity);
        Assert.Equal(ReceivingTestBatches.Origin(), inspection.Batch.Origin);
        Assert.True(inspection.Batch.HashVerified);
    }

    [Theory]
    [InlineData("wearables/other/site-04/P-0193/hr", "differs from the topic")]
    [InlineData("wearables/cardio/site-04/P-0193", "is not wearables/")]
    [InlineData("elsewhere/cardio/site-04/P-0193/hr", "is not wearables/")]
    public void Inspect_TopicThatDisagreesWithThePayload_IsRejected(string topic, string reason)
    {
        var inspection = BatchInspector.Inspect(topic, s_valid.Payload, s_valid.Properties.UserProperties);

        Assert.Equal(BatchInspectionOutcome.Rejected, inspection.Outcome);
        Assert.Contains(reason, inspection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_SequencePropertyDifferentFromTheSchema_IsRejected()
    {
        List<KeyValuePair<string, string>> properties =
            [.. s_valid.Properties.UserProperties.Select(p => p.Key == "wearable.sequence" ? KeyValuePair.Create(p.Key, "4") : p)];

        var inspection = BatchInspector.Inspect(s_valid.Topic, s_valid.Payload, properties);

        Assert.Equal(BatchInspectionOutcome.Rejected, inspection.Outcome);
        Assert.Contains("wearable.sequence", inspection.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Inspect_PayloadOverTheLimit_IsRejectedNamingTheLimit()
    {
        var inspection = BatchInspector.Inspect(s_valid.Topic, s_valid.Payload, s_valid.Properties.UserProperties, maximumPayloadBytes: 100);

        Assert.Equal(BatchInspectionOutcome.Rejected, inspection.Outcome);
        Assert.Contains("1 to 100 bytes", inspection.Reason, StringComparison.Ordinal);
    }

    /// <summary>Random bytes with a matching hash (so the Arrow reader sees them): rejected, never thrown.</summary>
    [Fact]
    public void Inspect_GarbageWithAMatchingHash_NeverThrows()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), garbage =>
        {
            var inspection = BatchInspector.Inspect(s_valid.Topic, garbage, PropertiesFor(garbage));
            inspection.Batch?.Batch.Dispose();
            return inspection.Outcome == BatchInspectionOutcome.Rejected && !string.IsNullOrEmpty(inspection.Reason);
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>
    /// A valid batch with bytes flipped and the hash recomputed (a buggy hub, not a transport error): inspection never throws,
    /// and whatever it accepts the Parquet writer (native Arrow C++) takes without reading out of bounds.
    /// </summary>
    [Fact]
    public void Inspect_MutatedBatchWithAMatchingHash_NeverThrowsAndWhatPassesLandsAsParquet()
    {
        var directory = Peers.NewScratchDirectory("receive-fuzz");
        var accepted = 0;
        var mutations = Gen.Choose(0, s_valid.Payload.Length - 1).Zip(Gen.Choose(1, 255)).ArrayOf().Where(a => a.Length is > 0 and < 8).ToArbitrary();
        Prop.ForAll(mutations, edits =>
        {
            var payload = (byte[])s_valid.Payload.Clone();
            foreach (var (offset, xor) in edits)
            {
                payload[offset] ^= (byte)xor;
            }

            var inspection = BatchInspector.Inspect(s_valid.Topic, payload, PropertiesFor(payload));
            if (inspection.Batch is { } batch)
            {
                using (batch.Batch)
                {
                    accepted++;
                    ParquetLanding.Write(directory, batch);
                }
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(inspection.Reason));
            }
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(1000));

        // Some mutations only touch values (still a valid batch); the property covers both sides.
        Assert.True(accepted > 0, "no mutation was accepted: the property never reached the Parquet writer");
    }
}
