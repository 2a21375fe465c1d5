using Ingest.Gateway.Registry;

namespace Ingest.Tests.Registry;

public class ResolvablePrivateAddressTests
{
    // Core 5.4 Vol 3 Part H Appendix D.7 (ah random address hash function sample data): IRK ec0234a3 57c8ad05 341010a6
    // 0a397d9b, prand 0x708194, ah = 0x0dfbaa (AES-128 output ends …0dfbaa). The Linux kernel's net/bluetooth/smp.c
    // self-test (test_ah) checks the same values, least significant octet first.
    private static readonly byte[] s_specIrk = Convert.FromHexString("ec0234a357c8ad05341010a60a397d9b");

    [Fact]
    public void Ah_CoreSpecSampleData_MatchesAppendixD7()
    {
        Assert.Equal(0x0dfbaa, ResolvablePrivateAddress.Ah(s_specIrk, 0x708194));
    }

    [Fact]
    public void Resolves_CoreSpecSampleAddress_IsTrueAndOneBitOffIsFalse()
    {
        // The sample's RPA as printed: prand then hash, most significant octet first.
        Assert.True(ResolvablePrivateAddress.Resolves(s_specIrk, Octets("70:81:94:0D:FB:AA")));
        Assert.False(ResolvablePrivateAddress.Resolves(s_specIrk, Octets("70:81:94:0D:FB:AB")));
        Assert.False(ResolvablePrivateAddress.Resolves(s_specIrk, Octets("70:81:95:0D:FB:AA")));
    }

    [Fact]
    public void Resolves_VendorManualExample_IsTrue()
    {
        // A second, independent vector: EnOcean's STM 550B user manual, appendix C.2 "Address resolution example"
        // (IRK BE759A02…, RPA 49:39:70:E5:19:44, AES output …E51944).
        var irk = Convert.FromHexString("BE759A027A4870FD242794F4C45220FB");
        Assert.True(ResolvablePrivateAddress.Resolves(irk, Octets("49:39:70:E5:19:44")));
    }

    [Fact]
    public void Resolves_AddressWithoutRpaTopBits_IsFalseEvenWhenTheHashWouldMatch()
    {
        // Same hash, but the top two bits say static random (0b11): Vol 6 Part B §1.3.2.2 makes it not an RPA.
        var prand = 0xC08194;
        var hash = ResolvablePrivateAddress.Ah(s_specIrk, prand);
        byte[] address = [0xC0, 0x81, 0x94, (byte)(hash >> 16), (byte)(hash >> 8), (byte)hash];
        Assert.False(ResolvablePrivateAddress.IsResolvable(address));
        Assert.False(ResolvablePrivateAddress.Resolves(s_specIrk, address));
    }

    [Fact]
    public void Create_ManyRandoms_ResolveWithTheirKeyAndNotWithAnother()
    {
        var other = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var rpa = ResolvablePrivateAddress.Create(s_specIrk, random.Next());
            var octets = Octets(rpa);
            Assert.True(ResolvablePrivateAddress.IsResolvable(octets), rpa);
            Assert.True(ResolvablePrivateAddress.Resolves(s_specIrk, octets), rpa);
            Assert.False(ResolvablePrivateAddress.Resolves(other, octets), rpa);
        }
    }

    [Theory]
    [InlineData("ec0234a357c8ad05341010a60a397d9b", true)]
    [InlineData("EC0234A357C8AD05341010A60A397D9B", true)]
    [InlineData("ec0234a357c8ad05341010a60a397d9", false)]
    [InlineData("ec0234a357c8ad05341010a60a397d9bb", false)]
    [InlineData("ec0234a357c8ad05341010a60a397d9g", false)]
    [InlineData("ec:02:34:a3:57:c8:ad:05:34:10:10", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void TryParseKey_Inputs_AcceptsOnly32HexDigits(string? text, bool valid)
    {
        Assert.Equal(valid, ResolvablePrivateAddress.TryParseKey(text, out var key));
        Assert.Equal(valid ? 16 : 0, key.Length);
    }

    private static byte[] Octets(string address)
    {
        var octets = new byte[6];
        Assert.True(TrackerAddress.TryParse(address, octets), address);
        return octets;
    }
}
