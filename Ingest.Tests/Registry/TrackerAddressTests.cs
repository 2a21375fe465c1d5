using FsCheck;
using FsCheck.Fluent;
using Ingest.Gateway.Registry;

namespace Ingest.Tests.Registry;

public class TrackerAddressTests
{
    [Theory]
    [InlineData("c4:7c:8d:6a:12:34", "C4:7C:8D:6A:12:34")]
    [InlineData("C4:7C:8D:6A:12:34", "C4:7C:8D:6A:12:34")]
    [InlineData("00:00:00:00:00:00", "00:00:00:00:00:00")]
    public void TryNormalize_ValidAddress_UpperCases(string text, string expected)
    {
        Assert.True(TrackerAddress.TryNormalize(text, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("C4-7C-8D-6A-12-34")]
    [InlineData("C47C8D6A1234")]
    [InlineData("C4:7C:8D:6A:12")]
    [InlineData("C4:7C:8D:6A:12:34:56")]
    [InlineData("C4:7C:8D:6A:12:3G")]
    [InlineData(" C4:7C:8D:6A:12:34")]
    [InlineData("C4:7C:8D:6A:12:34 ")]
    [InlineData("C4:7C:8D:6A:1:234")]
    [InlineData("")]
    [InlineData(null)]
    public void TryNormalize_NotAnAddress_IsFalse(string? text)
    {
        Assert.False(TrackerAddress.TryNormalize(text, out _));
    }

    [Fact]
    public void ContainsAddressAndRedact_TextWithAddresses_FindAndHideThemInEitherCaseAndSeparator()
    {
        const string Text = "saw c4:7c:8d:6a:12:34 and C4-7C-8D-6A-12-35 near dev-abc";
        Assert.True(TrackerAddress.ContainsAddress(Text));
        var redacted = TrackerAddress.Redact(Text);
        Assert.Equal("saw [address] and [address] near dev-abc", redacted);
        Assert.False(TrackerAddress.ContainsAddress(redacted));
        Assert.False(TrackerAddress.ContainsAddress("participant P-0042, device dev-66wkyrkzizafgydo"));
    }

    [Fact]
    public void TryNormalize_AnyString_NeverThrowsAndAcceptsOnlyTheCanonicalShape()
    {
        // Mostly near-addresses (hex digits, ':' and a few others), so the parser's edges are exercised, not just junk.
        var chars = Gen.Elements("0123456789abcdefABCDEFgG:-: \u00e9\u0660".ToCharArray());
        var gen = Gen.OneOf(
            Gen.ArrayOf(chars).Select(a => new string(a)),
            Gen.ArrayOf(chars, 17).Select(a => new string(a)),
            ArbMap.Default.GeneratorFor<string>());
        Prop.ForAll(Arb.From(gen), text =>
        {
            var ok = TrackerAddress.TryNormalize(text, out var normalized);
            var shaped = text is { Length: 17 } && System.Text.RegularExpressions.Regex.IsMatch(text, "^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$");
            return ok == shaped && (!ok || (normalized.Equals(text, StringComparison.OrdinalIgnoreCase) && !normalized.Any(char.IsAsciiLetterLower)));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TryParseKey_AnyString_NeverThrowsAndAcceptsOnly32HexDigits()
    {
        var chars = Gen.Elements("0123456789abcdefABCDEFxX: ".ToCharArray());
        var gen = Gen.OneOf(
            Gen.ArrayOf(chars).Select(a => new string(a)),
            Gen.ArrayOf(chars, 32).Select(a => new string(a)),
            ArbMap.Default.GeneratorFor<string>());
        Prop.ForAll(Arb.From(gen), text =>
        {
            var ok = ResolvablePrivateAddress.TryParseKey(text, out var key);
            var shaped = text is { Length: 32 } && text.All(char.IsAsciiHexDigit);
            return ok == shaped && (!ok || Convert.ToHexString(key).Equals(text, StringComparison.OrdinalIgnoreCase));
        }).QuickCheckThrowOnFailure();
    }
}
