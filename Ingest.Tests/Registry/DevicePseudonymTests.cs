using Ingest.Gateway.Registry;

namespace Ingest.Tests.Registry;

public class DevicePseudonymTests
{
    private static readonly byte[] s_keyA = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] s_keyB = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void Compute_SameKeyAndAddress_IsStableAndWellFormed()
    {
        var first = DevicePseudonym.Compute(s_keyA, "C4:7C:8D:6A:12:34");
        Assert.Equal(first, DevicePseudonym.Compute(s_keyA, "C4:7C:8D:6A:12:34"));
        Assert.Matches("^dev-[a-z2-7]{16}$", first);
        Assert.True(DevicePseudonym.IsValid(first));
    }

    [Fact]
    public void Compute_OtherKeyOrOtherAddress_Differs()
    {
        var a = DevicePseudonym.Compute(s_keyA, "C4:7C:8D:6A:12:34");
        Assert.NotEqual(a, DevicePseudonym.Compute(s_keyB, "C4:7C:8D:6A:12:34"));
        Assert.NotEqual(a, DevicePseudonym.Compute(s_keyA, "C4:7C:8D:6A:12:35"));
    }

    [Fact]
    public void Compute_KnownKey_IsFirst80BitsOfHmacInBase32()
    {
        // Independent check of the encoding: HMAC-SHA256 by the framework, base32 (RFC 4648) of its first 10 bytes by hand.
        var mac = System.Security.Cryptography.HMACSHA256.HashData(s_keyA, "C4:7C:8D:6A:12:34"u8);
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var bits = string.Concat(mac.Take(10).Select(b => Convert.ToString(b, 2).PadLeft(8, '0')));
        var expected = "dev-" + string.Concat(Enumerable.Range(0, 16).Select(i => Alphabet[Convert.ToInt32(bits.Substring(i * 5, 5), 2)]));
        Assert.Equal(expected, DevicePseudonym.Compute(s_keyA, "C4:7C:8D:6A:12:34"));
    }

    [Theory]
    [InlineData("dev-abcdefghijklmnop", true)]
    [InlineData("dev-abcdefghijklmno1", false)]
    [InlineData("dev-ABCDEFGHIJKLMNOP", false)]
    [InlineData("dev-abcdefghijklmno", false)]
    [InlineData("xyz-abcdefghijklmnop", false)]
    [InlineData(null, false)]
    public void IsValid_Inputs_AcceptsOnlyThePseudonymShape(string? text, bool valid) => Assert.Equal(valid, DevicePseudonym.IsValid(text));
}
