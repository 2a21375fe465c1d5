using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Profiles;
using Ingest.Tests.Support;

namespace Ingest.Tests.Pipeline.Profiles;

/// <summary>Every profile shipped in firmware-profiles/ loads, documents its data, and its captures decode as expected.</summary>
public class ShippedProfilesTests
{
    private static string ProfilesDirectory => Path.Combine(Peers.RepositoryRoot, "firmware-profiles");

    public static TheoryData<string> ProfileFolders()
    {
        var data = new TheoryData<string>();
        foreach (var folder in Directory.GetDirectories(Path.Combine(Peers.RepositoryRoot, "firmware-profiles")).Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(folder));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ProfileFolders))]
    public void ShippedProfile_Loads_AndEveryStreamHasCaptures(string folder)
    {
        var profile = ProfileLoader.Load(Path.Combine(ProfilesDirectory, folder));

        Assert.Equal(folder, profile.Id);
        foreach (var stream in profile.Streams)
        {
            Assert.True(stream.Captures.Count > 0, $"{profile.Id}/{stream.Id} ships no capture; every stream needs one (firmware-profiles/README.md)");
        }
    }

    [Theory]
    [MemberData(nameof(ProfileFolders))]
    public void ShippedProfile_CapturesDecodeToExpectedRows(string folder)
    {
        var profile = ProfileLoader.Load(Path.Combine(ProfilesDirectory, folder));

        foreach (var result in ProfileCaptureCheck.Run(profile))
        {
            Assert.True(result.Differences.Count == 0,
                $"{profile.Id}/{result.Stream.Id} {Path.GetFileName(result.Capture.CapturePath)}:\n  " + string.Join("\n  ", result.Differences));
            Assert.True(result.Summary.Rows > 0, $"{profile.Id}/{result.Stream.Id}: capture decodes to no rows");
        }
    }
}
