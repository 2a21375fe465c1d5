using Ingest.Tests.Pipeline.Decoding.Polar;

namespace Ingest.Tests.Pipeline.Decoding.FixedLayout;

/// <summary>The fixed-layout example profile loads (layout compiled, columns equal) and its capture decodes as expected.</summary>
public sealed class FixedLayoutProfileCaptureTests
{
    [Fact]
    public void Captures_DecodeAsExpected()
    {
        VendorProfiles.AssertCapturesDecode("example-fixed-layout-imu", 1);
    }
}
