using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.InfiniTime;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.InfiniTime;

namespace Ingest.Tests.Pipeline.Decoding.InfiniTime;

public sealed class InfiniTimeDecoderTests
{
    private const long HubTime = 1_763_805_600_000_000_000;

    [Fact]
    public void Motion_ThreeInt16_WritesRawCountsWithMilliGScale()
    {
        var stream = new StreamDecoder(new InfiniTimeMotionDecoder());

        // x = 0x0400 = 1024 (1 g), y = 0xFC00 = −1024, z = 0x0012 = 18.
        var result = stream.Decode([0x00, 0x04, 0x00, 0xFC, 0x12, 0x00], HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal([1024], stream.Columns.Values<short>(0).Values.ToArray());
        Assert.Equal([-1024], stream.Columns.Values<short>(1).Values.ToArray());
        Assert.Equal([18], stream.Columns.Values<short>(2).Values.ToArray());
        Assert.Equal([HubTime], stream.Columns.HubTime.Values.ToArray());
        Assert.Equal(1000.0, 1024 * stream.Schema.Columns[0].Scale);
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x04, 0x00, 0xFC, 0x12 }, RejectReason.Truncated)]
    [InlineData(new byte[] { 0x00, 0x04, 0x00, 0xFC, 0x12, 0x00, 0x00 }, RejectReason.TrailingBytes)]
    public void Motion_WrongLength_Rejects(byte[] frame, RejectReason expected)
    {
        var stream = new StreamDecoder(new InfiniTimeMotionDecoder());

        Assert.Equal(expected, stream.Decode(frame, HubTime).Reason);
        Assert.Equal(0, stream.Columns.RowCount);
    }

    [Fact]
    public void Steps_Uint32_WritesCount()
    {
        var stream = new StreamDecoder(new InfiniTimeStepsDecoder());

        var result = stream.Decode([0x39, 0x30, 0x00, 0x80], HubTime);

        Assert.True(result.IsAccepted, result.Detail);
        Assert.Equal([0x80003039u], stream.Columns.Values<uint>(0).Values.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x39, 0x30, 0x00 }, RejectReason.Truncated)]
    [InlineData(new byte[] { 0x39, 0x30, 0x00, 0x00, 0x00 }, RejectReason.TrailingBytes)]
    public void Steps_WrongLength_Rejects(byte[] frame, RejectReason expected)
    {
        Assert.Equal(expected, new StreamDecoder(new InfiniTimeStepsDecoder()).Decode(frame, HubTime).Reason);
    }

    [Fact]
    public void Factories_UnknownSetting_ThrowsNamingIt()
    {
        var settings = DecoderSettings.Parse("""{ "rate": 10 }""", "test", "$.settings");

        Assert.Equal("$.settings.rate", Assert.Throws<ProfileException>(() => InfiniTimeMotionDecoder.Factory.Create(settings)).JsonPath);
        Assert.Equal("$.settings.rate", Assert.Throws<ProfileException>(() => InfiniTimeStepsDecoder.Factory.Create(settings)).JsonPath);
    }

    [Fact]
    public void EncodeThenDecode_MotionAndSteps_RoundTrip()
    {
        var gen =
            from x in Gen.Choose(short.MinValue, short.MaxValue)
            from y in Gen.Choose(short.MinValue, short.MaxValue)
            from z in Gen.Choose(short.MinValue, short.MaxValue)
            from steps in Gen.Choose(0, int.MaxValue)
            select (x: (short)x, y: (short)y, z: (short)z, steps: (uint)steps * 2);

        Prop.ForAll(Arb.From(gen), c =>
        {
            var buffer = new byte[8];
            var motion = new StreamDecoder(new InfiniTimeMotionDecoder());
            var stepsStream = new StreamDecoder(new InfiniTimeStepsDecoder());
            var okMotion = motion.Decode(buffer.AsSpan(0, InfiniTimeFrameEncoder.EncodeMotion(buffer, c.x, c.y, c.z)), HubTime).IsAccepted;
            var okSteps = stepsStream.Decode(buffer.AsSpan(0, InfiniTimeFrameEncoder.EncodeSteps(buffer, c.steps)), HubTime).IsAccepted;
            return okMotion && okSteps
                && motion.Columns.Values<short>(0).Values[0] == c.x
                && motion.Columns.Values<short>(1).Values[0] == c.y
                && motion.Columns.Values<short>(2).Values[0] == c.z
                && stepsStream.Columns.Values<uint>(0).Values[0] == c.steps;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decode_RandomFrames_NeverThrow()
    {
        Prop.ForAll(Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b))), bytes =>
        {
            var motion = new StreamDecoder(new InfiniTimeMotionDecoder()).Decode(bytes, HubTime);
            var steps = new StreamDecoder(new InfiniTimeStepsDecoder()).Decode(bytes, HubTime);
            return motion.Reason != RejectReason.DecoderFault && steps.Reason != RejectReason.DecoderFault
                && motion.IsAccepted == (bytes.Length == 6) && steps.IsAccepted == (bytes.Length == 4);
        }).QuickCheckThrowOnFailure();
    }
}
