using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Tests.Pipeline.Simulation.Fleet;

/// <summary>The simulator's random streams: one independent stream per (seed, tracker, stream).</summary>
public class SimRandomTests
{
    [Fact]
    public void EveryTrackerAndStreamIndex_GetsItsOwnStream()
    {
        // A precedence slip once ORed the tracker index into a constant's set bits, so trackers 0, 4, 32 and 36 (and
        // others) shared one stream: the same clocks, faults and signals.
        var firsts = new HashSet<ulong>();
        for (var tracker = 0; tracker < 64; tracker++)
        {
            for (var stream = 0; stream < 8; stream++)
            {
                var random = SimRandom.For(1, tracker, stream);
                Assert.True(firsts.Add(random.NextUInt64()), $"tracker {tracker}, stream {stream} repeats another's stream");
            }
        }
    }
}
