using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Sig;

namespace Ingest.Tests.Pipeline.Decoding;

public class StreamDecoderTests
{
    private sealed class Quarantine : IRejectedFrameSink
    {
        public List<RejectedFrame> Frames { get; } = [];

        public void Add(RejectedFrame frame) => Frames.Add(frame);
    }

    /// <summary>A decoder that misbehaves in a chosen way, to prove the stream decoder contains it.</summary>
    private sealed class FaultyDecoder(Action<StreamColumns> behaviour) : IFrameDecoder
    {
        public StreamSchema Schema { get; } = new(
            [new ColumnSpec { Name = "a", Kind = ColumnKind.Int32 }, new ColumnSpec { Name = "b", Kind = ColumnKind.Int32 }],
            hasDeviceTime: false);

        public DecodeOutcome Decode(ReadOnlySpan<byte> frame, long hubTimeNs, StreamColumns columns)
        {
            columns.HubTime.Append(hubTimeNs);
            behaviour(columns);
            return DecodeOutcome.Accepted;
        }

        public void Reset()
        {
        }
    }

    [Fact]
    public void Decode_GoodFrames_CommitsRowsAndCounts()
    {
        var decoder = new StreamDecoder(new BatteryLevelDecoder());

        var first = decoder.Decode([80], 1_000);
        var second = decoder.Decode([79], 2_000);

        Assert.True(first.IsAccepted);
        Assert.Equal(1, second.Rows);
        Assert.Equal(2, decoder.Columns.RowCount);
        Assert.Equal(new byte[] { 80, 79 }, decoder.Columns.Values<byte>(0).Values.ToArray());
        Assert.Equal(new long[] { 1_000, 2_000 }, decoder.Columns.HubTime.Values.ToArray());
        Assert.Equal(2, decoder.Counters.FramesAccepted);
        Assert.Equal(2, decoder.Counters.Samples);
    }

    [Fact]
    public void Decode_BadFrameBetweenGoodOnes_IsQuarantinedAndNeighboursSurvive()
    {
        var quarantine = new Quarantine();
        var decoder = new StreamDecoder(new BatteryLevelDecoder(), quarantine);

        decoder.Decode([50], 1);
        var bad = decoder.Decode([200], 2);
        decoder.Decode([49], 3);

        Assert.Equal(RejectReason.InvalidValue, bad.Reason);
        Assert.Contains("200", bad.Detail, StringComparison.Ordinal);
        Assert.Equal(new byte[] { 50, 49 }, decoder.Columns.Values<byte>(0).Values.ToArray());
        Assert.Equal(1, decoder.Counters.Rejected(RejectReason.InvalidValue));
        var kept = Assert.Single(quarantine.Frames);
        Assert.Equal(new byte[] { 200 }, kept.Raw);
        Assert.Equal(2, kept.HubTimeNs);
    }

    [Fact]
    public void Decode_OversizedFrame_RejectedBeforeTheDecoderSeesIt()
    {
        var quarantine = new Quarantine();
        var decoder = new StreamDecoder(new BatteryLevelDecoder(), quarantine);

        var result = decoder.Decode(new byte[DecodeLimits.MaxFrameBytes + 100], 1);

        Assert.Equal(RejectReason.Oversized, result.Reason);
        Assert.Equal(DecodeLimits.MaxFrameBytes, quarantine.Frames[0].Raw.Length);
        Assert.Equal(DecodeLimits.MaxFrameBytes + 100, quarantine.Frames[0].OriginalLength);
    }

    [Fact]
    public void Decode_EmptyFrame_RejectedAsEmpty()
    {
        var decoder = new StreamDecoder(new BatteryLevelDecoder());
        Assert.Equal(RejectReason.Empty, decoder.Decode([], 1).Reason);
    }

    [Fact]
    public void Decode_DecoderWritesUnevenColumns_RolledBackAsDecoderFault()
    {
        var decoder = new StreamDecoder(new FaultyDecoder(columns => columns.Values<int>(0).Append(1)));

        var result = decoder.Decode([1], 1);

        Assert.Equal(RejectReason.DecoderFault, result.Reason);
        Assert.Equal(0, decoder.Columns.RowCount);
        Assert.Equal(0, decoder.Columns.HubTime.Length);
        Assert.Equal(0, decoder.Columns[0].Length);
    }

    [Fact]
    public void Decode_DecoderThrows_ContainedAsDecoderFault()
    {
        var good = true;
        var decoder = new StreamDecoder(new FaultyDecoder(columns =>
        {
            columns.Values<int>(0).Append(1);
            if (!good)
            {
                throw new InvalidOperationException("boom");
            }

            columns.Values<int>(1).Append(2);
        }));

        decoder.Decode([1], 1);
        good = false;
        var result = decoder.Decode([1], 2);

        Assert.Equal(RejectReason.DecoderFault, result.Reason);
        Assert.Contains("boom", result.Detail, StringComparison.Ordinal);
        Assert.Equal(1, decoder.Columns.RowCount);
        Assert.Equal(1, decoder.Columns[0].Length);
    }

    [Fact]
    public void SwapColumns_HandsOverTheBatchAndContinuesInTheReplacement()
    {
        var decoder = new StreamDecoder(new BatteryLevelDecoder());
        decoder.Decode([10], 1);
        var replacement = new StreamColumns(decoder.Schema);

        var sealedBatch = decoder.SwapColumns(replacement);
        decoder.Decode([11], 2);

        Assert.Equal(1, sealedBatch.RowCount);
        Assert.Same(replacement, decoder.Columns);
        Assert.Equal(11, decoder.Columns.Values<byte>(0).Values[0]);
        Assert.Throws<ArgumentException>(() => decoder.SwapColumns(decoder.Columns));
    }
}
