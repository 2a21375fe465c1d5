using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using static Ingest.Tests.Pipeline.Decoding.Sig.SigTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

/// <summary>
/// Fuzz properties over every SIG decoder: random and mutated frames, called directly (so an exception would escape,
/// not be caught by <see cref="StreamDecoder"/>) and through <see cref="StreamDecoder"/>.
/// </summary>
public sealed class SigDecoderPropertyTests
{
    public static TheoryData<string> KindNames()
    {
        var data = new TheoryData<string>();
        foreach (var kind in SigGenerators.Kinds)
        {
            data.Add(kind.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Decode_ValidFrames_AreAcceptedAsOneRow(string name)
    {
        var kind = Find(name);
        Prop.ForAll(Arb.From(kind.ValidFrame), frame =>
        {
            var outcome = DecodeOne(kind.Create(), frame, out var columns);
            return outcome.IsAccepted && columns.RowCount == 1;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Decode_AnyFrameSequenceCalledDirectly_NeverThrowsAndAppendsWholeRowsOrNothing(string name)
    {
        var kind = Find(name);
        Prop.ForAll(Arb.From(Gen.ArrayOf(SigGenerators.AnyFrame(kind), 40)), frames =>
        {
            // One stateful decoder across the sequence, committing and rolling back as StreamDecoder does.
            var decoder = kind.Create();
            var columns = new StreamColumns(decoder.Schema, 4);
            var hubTime = SigTestSupport.HubTime;
            foreach (var frame in frames)
            {
                hubTime += 250_000_000;
                var before = Snapshot(columns, columns.RowCount);
                var rows = columns.RowCount;
                DecodeOutcome outcome;
                try
                {
                    outcome = decoder.Decode(frame, hubTime, columns);
                }
                catch (Exception ex)
                {
                    throw new InvalidOperationException($"{name} threw on {Convert.ToHexString(frame)}", ex);
                }

                if (outcome.IsAccepted)
                {
                    Assert.True(frame.Length is > 0 and <= DecodeLimits.MaxFrameBytes);
                    Assert.True(columns.TryCommit(out var added), "rows of unequal length");
                    Assert.Equal(1, added);
                }
                else
                {
                    Assert.NotEqual(RejectReason.DecoderFault, outcome.Reason);
                    Assert.False(string.IsNullOrEmpty(outcome.Detail));
                    AssertNothingAppended(columns, rows);
                }

                Assert.Equal(before, Snapshot(columns, rows));
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void StreamDecoder_MixedFrames_KeepEarlierRowsAndNeverFault(string name)
    {
        var kind = Find(name);
        Prop.ForAll(Arb.From(Gen.ArrayOf(SigGenerators.AnyFrame(kind), 40)), frames =>
        {
            var stream = new StreamDecoder(kind.Create(), initialRows: 2);
            var hubTime = SigTestSupport.HubTime;
            foreach (var frame in frames)
            {
                hubTime += 250_000_000;
                var rows = stream.Columns.RowCount;
                var before = Snapshot(stream.Columns, rows);
                var result = stream.Decode(frame, hubTime);
                Assert.NotEqual(RejectReason.DecoderFault, result.Reason);
                Assert.Equal(rows + (result.IsAccepted ? 1 : 0), stream.Columns.RowCount);
                AssertNothingAppended(stream.Columns, stream.Columns.RowCount);
                Assert.Equal(before, Snapshot(stream.Columns, rows));
            }

            Assert.Equal(frames.Length, stream.Counters.FramesAccepted + stream.Counters.FramesRejected);
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Decode_ValidFrameCutShort_IsNeverAcceptedExceptOnAHeartRateRrBoundary(string name)
    {
        var kind = Find(name);
        Prop.ForAll(Arb.From(kind.ValidFrame), frame =>
        {
            for (var length = 0; length < frame.Length; length++)
            {
                var outcome = DecodeOne(kind.Create(), frame.AsSpan(0, length), out _);
                if (outcome.IsAccepted)
                {
                    // Only RR intervals are counted by the frame length; every other field is announced by a flag.
                    Assert.Equal("heart-rate-measurement", name);
                }
                else
                {
                    Assert.True(outcome.Reason is RejectReason.Truncated or RejectReason.Empty, outcome.Reason.ToString());
                }
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    private static SigGenerators.Kind Find(string name) => Array.Find(SigGenerators.Kinds, k => k.Name == name)!;
}
