namespace Ingest.Tests.Pipeline.Decoding.Polar;

/// <summary>
/// The Polar profiles load (columns equal what polar-pmd writes) and every capture decodes to its expected file,
/// whose values were derived from the frames' inputs and the PMD time rules, not from this decoder.
/// </summary>
public sealed class PolarProfileCaptureTests
{
    [Theory]
    [InlineData("polar-h10", 3)]
    [InlineData("polar-verity-sense", 3)]
    public void Captures_DecodeAsExpected(string profileId, int minimumStreams)
    {
        VendorProfiles.AssertCapturesDecode(profileId, minimumStreams);
    }
}
