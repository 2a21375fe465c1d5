using System.Buffers.Binary;
using System.Text;
using Ingest.Pipeline.Spool;
using static Ingest.Tests.Pipeline.Spool.SpoolTestSupport;

namespace Ingest.Tests.Pipeline.Spool;

public sealed class SpoolRecordFormatTests
{
    [Fact]
    public void Compute_CheckValue_MatchesCrc32C()
    {
        // CRC-32C check value (RFC 3720 B.4 / the Rocksoft catalogue): "123456789" -> 0xE3069283.
        Assert.Equal(0xE3069283u, SpoolCrc.Compute(Encoding.ASCII.GetBytes("123456789")));
    }

    [Fact]
    public void Write_ThenTryRead_RoundTrips()
    {
        var payload = Payload(5);
        var buffer = new byte[SpoolRecordFormat.Measure(Identity(5), payload.Length)];
        var written = SpoolRecordFormat.Write(buffer, Identity(5), 17, payload);
        SpoolRecordFormat.Patch(buffer, 3, 99);

        Assert.Equal(buffer.Length, written);
        Assert.Equal(SpoolReadStatus.Valid, SpoolRecordFormat.TryRead(buffer, 3, out var header));
        Assert.Equal((3L, 99L, 5L, 17), (header.Segment, header.RecordNumber, header.Sequence, header.RowCount));
        Assert.Equal(Identity(5), SpoolRecordFormat.ReadIdentity(buffer, header));
        Assert.Equal(payload, SpoolRecordFormat.Payload(buffer, header).ToArray());
        Assert.Equal("WSPL"u8.ToArray(), buffer[..4]);
        Assert.Equal(SpoolReadStatus.OtherSegment, SpoolRecordFormat.TryRead(buffer, 4, out _));
    }

    [Fact]
    public void TryRead_EveryTruncation_NeedMoreDataNeverValid()
    {
        var buffer = new byte[SpoolRecordFormat.Measure(Identity(1), 64)];
        SpoolRecordFormat.Write(buffer, Identity(1), 1, Payload(1, 64));
        for (var cut = 0; cut < buffer.Length; cut++)
        {
            Assert.Equal(SpoolReadStatus.NeedMoreData, SpoolRecordFormat.TryRead(buffer.AsSpan(0, cut), 0, out _));
        }
    }

    [Fact]
    public void TryRead_FlippedPayloadByte_BadBodyWithKnownRows()
    {
        var buffer = new byte[SpoolRecordFormat.Measure(Identity(1), 64)];
        SpoolRecordFormat.Write(buffer, Identity(1), 42, Payload(1, 64));
        buffer[^10] ^= 0x01;
        Assert.Equal(SpoolReadStatus.BadBody, SpoolRecordFormat.TryRead(buffer, 0, out var header));
        Assert.Equal(42, header.RowCount);
    }

    [Fact]
    public void TryRead_TwoGigabytePayloadLength_RefusedBeforeUse()
    {
        // A header whose own checksum is right but whose payload length is 2 GiB − 1: refused by the limit, not read.
        var buffer = new byte[SpoolRecordFormat.Measure(Identity(1), 8)];
        SpoolRecordFormat.Write(buffer, Identity(1), 1, Payload(1, 8));
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(40), int.MaxValue);
        SpoolRecordFormat.Patch(buffer, 0, 0);
        Assert.Equal(SpoolReadStatus.BadHeader, SpoolRecordFormat.TryRead(buffer, 0, out _));
    }

    [Fact]
    public void Write_OversizedHub_Throws()
    {
        var identity = new Ingest.Pipeline.Batching.BatchIdentity(new string('h', SpoolLimits.MaxHubBytes + 1), "s", 0);
        Assert.Throws<ArgumentException>(() => SpoolRecordFormat.Measure(identity, 1));
    }

    [Fact]
    public void Validate_BadOptions_Throw()
    {
        Assert.Throws<ArgumentException>(() => (Options() with { MaxTotalBytes = 4096 }).Validate());
        Assert.Throws<ArgumentException>(() => (Options() with { SegmentBytes = 10 }).Validate());
        Assert.Throws<ArgumentException>(() => (Options() with { ReleaseMode = (SpoolReleaseMode)7 }).Validate());
        Options().Validate();
        new SpoolOptions { Directory = "d" }.Validate();
    }
}
