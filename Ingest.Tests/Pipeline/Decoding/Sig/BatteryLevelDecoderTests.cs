using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Sig;
using static Ingest.Tests.Pipeline.Decoding.Sig.SigTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

public sealed class BatteryLevelDecoderTests
{
    private readonly BatteryLevelDecoder _decoder = new();

    [Theory]
    [InlineData(0)]
    [InlineData(57)]
    [InlineData(100)]
    public void Decode_Percent_IsStored(int level)
    {
        var columns = Accept(_decoder, [(byte)level]);

        Assert.Equal((byte)level, Value<byte>(columns, "battery_level"));
    }

    [Theory]
    [InlineData(101)]
    [InlineData(255)]
    public void Decode_AboveHundred_RejectsInvalidValue(int level)
    {
        Reject(_decoder, [(byte)level], RejectReason.InvalidValue);
    }

    [Fact]
    public void Decode_TwoBytes_RejectsTrailingBytes()
    {
        Reject(_decoder, [50, 0], RejectReason.TrailingBytes);
    }

    [Fact]
    public void Decode_Empty_RejectsTruncated()
    {
        Reject(_decoder, [], RejectReason.Truncated);
    }
}
