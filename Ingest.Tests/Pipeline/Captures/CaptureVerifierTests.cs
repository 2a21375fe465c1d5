using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;

namespace Ingest.Tests.Pipeline.Captures;

public class CaptureVerifierTests
{
    private static readonly StreamSchema s_schema = new(
        [
            new ColumnSpec { Name = "temperature", Kind = ColumnKind.Float32 },
            new ColumnSpec { Name = "count", Kind = ColumnKind.UInt32 },
            new ColumnSpec { Name = "rr", Kind = ColumnKind.List, ElementKind = ColumnKind.UInt16 },
        ],
        hasDeviceTime: false);

    [Fact]
    public void Compare_EqualWithinFloat32Precision_NoDifferences()
    {
        var differences = CaptureVerifier.Compare(s_schema,
            ["{\"temperature\":36.6,\"count\":5,\"rr\":[1,2]}"],
            ["{\"hub_time\":\"x\",\"temperature\":36.600002,\"count\":5,\"rr\":[1,2]}"]);

        Assert.Empty(differences);
    }

    [Theory]
    [InlineData("{\"temperature\":36.7}", "'temperature' expected 36.7")]
    [InlineData("{\"count\":6}", "'count' expected 6 but decoded 5")]
    [InlineData("{\"rr\":[1]}", "'rr' expected [1]")]
    [InlineData("{\"missing\":1}", "expected key 'missing' is missing")]
    [InlineData("{\"count\":null}", "'count' expected null")]
    public void Compare_Mismatch_NamesKeyAndValues(string expected, string message)
    {
        var differences = CaptureVerifier.Compare(s_schema, [expected], ["{\"temperature\":36.6,\"count\":5,\"rr\":[1,2]}"]);

        Assert.Contains(differences, d => d.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void Compare_DifferentLineCounts_Reported()
    {
        var differences = CaptureVerifier.Compare(s_schema, ["{}", "{}"], ["{}"]);
        Assert.Contains("expected 2 output line(s) but decoding gave 1", Assert.Single(differences), StringComparison.Ordinal);
    }
}
