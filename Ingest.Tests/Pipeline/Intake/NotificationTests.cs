using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Intake;

namespace Ingest.Tests.Pipeline.Intake;

/// <summary>The notification's ownership rules: one release, no reads after it, buffers recycled.</summary>
public class NotificationTests
{
    private static readonly Guid s_hr = Guid.Parse("00002a37-0000-1000-8000-00805f9b34fb");

    [Fact]
    public void Payload_WrittenBytes_ReadBackUntilRelease()
    {
        var pool = new NotificationBufferPool();
        var buffer = pool.Rent();
        new byte[] { 0x16, 0x48, 0x00, 0x04 }.CopyTo(buffer.Memory);
        var n = new Notification(new DeviceHandle(7), s_hr, 123, buffer, 4);

        Assert.Equal(new byte[] { 0x16, 0x48, 0x00, 0x04 }, n.Payload.ToArray());
        Assert.Equal(new DeviceHandle(7), n.Device);
        Assert.Equal(s_hr, n.Characteristic);
        Assert.Equal(123, n.HubTimeNs);
        Assert.Equal(1, pool.Outstanding);
        n.Release();
        Assert.Equal(0, pool.Outstanding);
    }

    [Fact]
    public void Release_Twice_Throws()
    {
        var pool = new NotificationBufferPool();
        var n = new Notification(default, s_hr, 0, pool.Rent(), 1);
        n.Release();
        Assert.Throws<InvalidOperationException>(() => n.Release());
    }

    [Fact]
    public void Payload_AfterRelease_ThrowsEvenWhenBufferReused()
    {
        var pool = new NotificationBufferPool();
        var stale = new Notification(default, s_hr, 0, pool.Rent(), 1);
        stale.Release();
        var fresh = new Notification(default, s_hr, 0, pool.Rent(), 1); // the same buffer, recycled
        Assert.Equal(1, pool.Created);
        Assert.Throws<InvalidOperationException>(() => stale.Payload.Length);
        Assert.Throws<InvalidOperationException>(() => stale.Release());
        Assert.Equal(1, fresh.Payload.Length);
        fresh.Release();
    }

    [Fact]
    public void Constructor_LongerThanAnAttribute_Throws()
    {
        var pool = new NotificationBufferPool();
        Assert.Throws<ArgumentOutOfRangeException>(() => new Notification(default, s_hr, 0, pool.Rent(), DecodeLimits.MaxFrameBytes + 1));
        Assert.Equal(DecodeLimits.MaxFrameBytes, pool.Rent().Memory.Length);
    }

    [Fact]
    public void Default_HasEmptyPayload_ReleaseIsNoOp()
    {
        var n = default(Notification);
        Assert.True(n.IsDefault);
        Assert.True(n.Payload.IsEmpty);
        n.Release();
    }

    [Fact]
    public void Pool_SteadyRentRelease_CreatesNoMoreBuffers()
    {
        var pool = new NotificationBufferPool(4);
        for (var i = 0; i < 1000; i++)
        {
            var a = new Notification(default, s_hr, i, pool.Rent(), 1);
            var b = new Notification(default, s_hr, i, pool.Rent(), 1);
            a.Release();
            b.Release();
        }

        Assert.Equal(4, pool.Created);
        Assert.Equal(0, pool.Outstanding);
    }
}
