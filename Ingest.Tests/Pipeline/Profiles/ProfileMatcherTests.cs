using Ingest.Pipeline.Profiles;
using Ingest.Tests.Support;

namespace Ingest.Tests.Pipeline.Profiles;

/// <summary>Recognising trackers from their advertisements and Device Information, against the shipped profiles.</summary>
public class ProfileMatcherTests
{
    private static readonly Lazy<ProfileMatcher> s_matcher = new(() =>
        new ProfileMatcher(ProfileLoader.LoadAll(Path.Combine(Peers.RepositoryRoot, "firmware-profiles"))));

    private static Guid Sig(ushort shortUuid) => Guid.Parse(BleUuid.FromShort(shortUuid));

    [Fact]
    public void PolarH10_MatchesItsOwnProfile_NotTheGenericStrapItAlsoSatisfies()
    {
        var profile = s_matcher.Value.MatchAdvertisement("Polar H10 0A1B2C3D", [Sig(0x180D)], [107]);

        Assert.Equal("polar-h10", profile?.Id);
    }

    [Fact]
    public void InfiniTime_AdvertisingHeartRate_MatchesItsOwnProfileByName()
    {
        Assert.Equal("pinetime-infinitime", s_matcher.Value.MatchAdvertisement("InfiniTime", [Sig(0x180D)], [])?.Id);
    }

    [Fact]
    public void AnyHeartRateStrap_MatchesTheGenericProfile()
    {
        Assert.Equal("generic-heart-rate-strap", s_matcher.Value.MatchAdvertisement("Garmin HRM-Dual", [Sig(0x180D)], [])?.Id);
    }

    [Fact]
    public void ARuleThatFails_RulesTheProfileOut()
    {
        // Right name, wrong company: not a Polar H10; it still advertises 180d, so the generic strap fits.
        Assert.Equal("generic-heart-rate-strap", s_matcher.Value.MatchAdvertisement("Polar H10 0A1B2C3D", [Sig(0x180D)], [76])?.Id);

        // Polar Sense needs its name and Polar's company id.
        Assert.Equal("polar-verity-sense", s_matcher.Value.MatchAdvertisement("Polar Sense 12345678", [], [107])?.Id);
        Assert.Null(s_matcher.Value.MatchAdvertisement("Polar Sense 12345678", [], []));
    }

    [Fact]
    public void ANeighboursPhoneOrNothingAtAll_MatchesNoProfile()
    {
        Assert.Null(s_matcher.Value.MatchAdvertisement("Pixel 9", [Sig(0x1812)], [224]));
        Assert.Null(s_matcher.Value.MatchAdvertisement(null, [], []));
    }

    [Fact]
    public void DeviceInformation_FirmwareOutsideTheProfile_IsNamedWithWhatToDo()
    {
        var infiniTime = s_matcher.Value.Profiles.Single(p => p.Id == "pinetime-infinitime");

        Assert.Null(ProfileMatcher.CheckDeviceInformation(infiniTime, "PineTime", "1.14.0"));
        var problem = ProfileMatcher.CheckDeviceInformation(infiniTime, "PineTime", "2.0.0");
        Assert.Contains("firmware revision '2.0.0'", problem, StringComparison.Ordinal);
        Assert.Contains("add a profile version", problem, StringComparison.Ordinal);
        Assert.Contains("does not provide", ProfileMatcher.CheckDeviceInformation(infiniTime, null, null), StringComparison.Ordinal);
    }
}
