using Ingest.Arrow;

namespace Ingest.Tests.Arrow;

/// <summary>Freezes values that are on the wire or part of the public contract (style.md §11).</summary>
public sealed class WireStabilityTests
{
    [Fact]
    public void TimeUnit_WireValues_AreFrozen()
    {
        Assert.Equal(0, (short)ArrowTimeUnit.Second);
        Assert.Equal(1, (short)ArrowTimeUnit.Millisecond);
        Assert.Equal(2, (short)ArrowTimeUnit.Microsecond);
        Assert.Equal(3, (short)ArrowTimeUnit.Nanosecond);
    }

    [Fact]
    public void Limits_AreFrozen()
    {
        Assert.Equal(64, ArrowLimits.MaxNestingDepth);
        Assert.Equal(10_000, ArrowLimits.MaxFieldCount);
        Assert.Equal(30_000, ArrowLimits.MaxBufferCount);
        Assert.Equal(16 * 1024 * 1024, ArrowLimits.MaxMetadataSize);
        Assert.Equal(0x7FFF_FFF8, ArrowLimits.MaxBodyLength);
    }

    [Fact]
    public void MediaTypes_AreTheRegisteredOnes()
    {
        Assert.Equal("application/vnd.apache.arrow.stream", ArrowIpc.StreamMediaType);
        Assert.Equal("application/vnd.apache.arrow.file", ArrowIpc.FileMediaType);
    }

    [Theory]
    [InlineData(ArrowTypeId.Int8, 1, true)]
    [InlineData(ArrowTypeId.UInt64, 8, false)]
    [InlineData(ArrowTypeId.Float16, 2, false)]
    [InlineData(ArrowTypeId.Date32, 4, false)]
    [InlineData(ArrowTypeId.Timestamp, 8, false)]
    public void TypeWidths_MatchTheColumnarSpec(ArrowTypeId id, int width, bool isSigned)
    {
        var type = id switch
        {
            ArrowTypeId.Int8 => ArrowType.Int8,
            ArrowTypeId.UInt64 => ArrowType.UInt64,
            ArrowTypeId.Float16 => ArrowType.Float16,
            ArrowTypeId.Date32 => ArrowType.Date32,
            _ => ArrowType.Timestamp(ArrowTimeUnit.Nanosecond),
        };
        Assert.Equal(width, type.ByteWidth);
        Assert.Equal(isSigned, type.IsSignedInteger);
    }
}
