using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Profiles;
using Ingest.Tests.Support;

namespace Ingest.Tests.Pipeline.Decoding.Polar;

/// <summary>Loads a shipped profile and checks every capture against its expected file.</summary>
internal static class VendorProfiles
{
    public static void AssertCapturesDecode(string profileId, int minimumStreams)
    {
        var profile = ProfileLoader.Load(Path.Combine(Peers.RepositoryRoot, "firmware-profiles", profileId));
        Assert.True(profile.Streams.Count >= minimumStreams, $"{profileId} has {profile.Streams.Count} stream(s)");

        var results = ProfileCaptureCheck.Run(profile);

        Assert.NotEmpty(results);
        foreach (var result in results)
        {
            Assert.True(result.Differences.Count == 0, $"{profileId}/{result.Stream.Id}: {string.Join("; ", result.Differences)}");
            Assert.True(result.Summary.Rejected > 0, $"{profileId}/{result.Stream.Id}: the capture should include a malformed frame");
            Assert.True(result.Summary.Rows > 0, $"{profileId}/{result.Stream.Id}: no rows");
        }
    }
}
