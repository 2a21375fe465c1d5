using Ingest.Tests.Pipeline.Decoding.Polar;

namespace Ingest.Tests.Pipeline.Decoding.InfiniTime;

/// <summary>The PineTime profile loads and its captures decode to their expected files.</summary>
public sealed class InfiniTimeProfileCaptureTests
{
    [Fact]
    public void Captures_DecodeAsExpected()
    {
        VendorProfiles.AssertCapturesDecode("pinetime-infinitime", 4);
    }
}
