using FsCheck.Fluent;
using Ingest.Pipeline.Columns;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

/// <summary>G1.7 (performance.md): accepting a frame allocates nothing, for every SIG decoder.</summary>
public sealed class SigDecoderAllocationTests
{
    private const int Frames = 512;
    private const int Rounds = 4;

    public static TheoryData<string> KindNames() => SigDecoderPropertyTests.KindNames();

    [Theory]
    [MemberData(nameof(KindNames))]
    public void Decode_AcceptedFramesIntoWarmColumns_AllocatesNothing(string name)
    {
        var kind = Array.Find(SigGenerators.Kinds, k => k.Name == name)!;
        var frames = kind.ValidFrame.Sample(Frames, 50).ToArray();
        Assert.Equal(Frames, frames.Length);
        var decoder = kind.Create();
        var columns = new StreamColumns(decoder.Schema, Frames);

        // Round 0 grows every buffer (validity bitmaps, list elements) to its steady-state size; later rounds reuse them.
        long allocated = 0;
        for (var round = 0; round < Rounds; round++)
        {
            columns.Clear();
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < frames.Length; i++)
            {
                if (!decoder.Decode(frames[i], SigTestSupport.HubTime + (i * 1_000_000_000L), columns).IsAccepted || !columns.TryCommit(out _))
                {
                    Assert.Fail($"{name} did not accept generated frame {Convert.ToHexString(frames[i])}");
                }
            }

            allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        }

        Assert.Equal(0, allocated);
    }
}
