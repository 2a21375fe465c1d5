using Ingest.Pipeline.Decoding.Polar;

namespace Ingest.Tests.Pipeline.Decoding.Polar;

/// <summary>The delta-compressed payload against polar-ble-sdk's own unit-test vectors (BlePmdClientParsersTest.kt).</summary>
public sealed class PmdDeltaCodecTests
{
    /// <summary>test_parseDeltaFrameAllSamples_multipleDeltas: ACC, 3 channels, 16-bit reference, 10 blocks, 140 samples.</summary>
    public static readonly byte[] SdkMultipleDeltas = Hex(
        "C9 FF 12 00 11 00 03 09 41 FE 2B 0F 9C 0B BF 15 00 4F 00 04 1E F1 EF 00 F0 C1 23 E4 ED F4 D1 F1 F1 F5 FF 22 DE 31 00 F1 FE 21 02 1F 0E 2B 1F 00 E2 20 00 0E 02 E1 1E 20 FF F1 F1 02 C5 D0 02 E0 E1 02 03 0A 31 2E FB BA 90 2B AA 0E 23 40 9E 03 04 14 E3 EF F3 0F 02 1F 01 E0 0F 04 9E 13 E2 D0 04 E2 22 E2 C2 0E 20 0F 20 02 FE 00 0F 1C 32 EE 03 0A 89 00 07 08 7C 00 CE 2F E8 3A 9E 03 04 1E 01 00 11 19 4F 00 2F 12 FD 13 FF 0E 10 00 00 F1 C0 12 E4 EF 21 00 00 01 F1 FF FF 02 10 10 2B 51 0B 4E 31 FC 2E BF 31 14 EC 0E 2F 52 EF 03 0A 06 9E 04 0E 02 A8 88 EE E0 07 9A 00 04 0A 1F 21 1E 4E 2E FE C6 C0 02 EF 03 01 02 EE 11 03 0A F8 13 00 00 F0 40 BF A5 E7 00 76 00");

    /// <summary>test_parseDeltaFrameAllSamples_withResolution32: 32-bit reference and one block of 17 32-bit deltas.</summary>
    public static readonly byte[] SdkResolution32 = Hex(
        "02 00 00 00 19 32 99 E9 00 DA FE FF 20 11 17 32 99 E9 E7 A7 65 16 38 DB 06 46 E7 A7 65 16 38 DB 06 46 73 41 3B B8 7A 26 04 01 C9 0A FF 59 77 07 D1 32 87 BF 01 9F 21 3E 0D 91 E5 01 76 AD 21 3E 0D 91 E5 01 76 AD 92 01 38 CD E5 01 76 AD 92 01 38 CD 00 54 84 87 92 01 38 CD 00 54 84 87 78 CB EE 40 00 54 84 87 78 CB EE 40 F1 DE CC 8B 78 CB EE 40 F1 DE CC 8B 17 32 99 E9 F1 DE CC 8B 17 32 99 E9 E7 A7 65 16 17 32 99 E9 E7 A7 65 16 38 DB 06 46 E7 A7 65 16 38 DB 06 46 73 41 3B B8 7A 26 04 01 C9 0A FF 59 77 07 D1 32 87 BF 01 9F 21 3E 0D 91 E5 01 76 AD 21 3E 0D 91 E5 01 76 AD 92 01 38 CD E5 01 76 AD 92 01 38 CD 00 54 84 87 92 01 38 CD 00 54 84 87 78 CB EE 40");

    /// <summary>test_parseDeltaFrameAllSamples_withResolution32_realVector1: 28- and 32-bit blocks, 19 samples.</summary>
    public static readonly byte[] SdkRealVector1 = Hex(
        "00 00 80 3F 00 00 20 41 00 00 A0 41 1C 06 00 00 A0 01 00 00 08 CD CC EC 0D 00 00 08 CD CC EC 3D 33 33 1A CD CC EC 3D 33 33 1A 00 00 C0 30 33 33 1A 00 00 C0 A0 99 99 DA 00 00 C0 A0 99 99 DA 66 66 A6 A1 99 99 DA 66 66 A6 01 00 00 0E 20 03 66 66 A6 01 00 00 E0 00 42 6C 45 0E 00 00 E0 00 42 6C 45 0E 2B F8 ED 21 00 00 60 FD BE 93 BA F0 93 9B 4C CF 1C 06 00 00 A0 01 00 00 08 CD CC EC 0D 00 00 08 CD CC EC 3D 33 33 1A CD CC EC 3D 33 33 1A 00 00 C0 30 33 33 1A 00 00 C0 A0 99 99 DA 00 00 C0 A0 99 99 DA 66 66 A6 A1 99 99 DA 66 66 A6 01 00 00 0E 20 03 66 66 A6 01 00 00 E0 00 42 6C 45 0E 00 00 E0 00 42 6C 45 0E 2B F8 ED 21 00 00 60 FD BE 93 BA F0 93 9B 4C CF");

    [Fact]
    public void Scan_SdkMultipleDeltasVector_Counts140Samples()
    {
        var scan = PmdDeltaCodec.Scan(SdkMultipleDeltas, 3, 16);

        Assert.Equal(PmdDeltaScanStatus.Ok, scan.Status);
        Assert.Equal(1 + 9 + 30 + 10 + 20 + 10 + 30 + 10 + 10 + 10, scan.Samples);
    }

    [Fact]
    public void Decode_SdkMultipleDeltasVector_MatchesSdkSamples()
    {
        var (x, y, z) = Decode3(SdkMultipleDeltas, 16);

        // Reference C9 FF 12 00 11 00 → (−55, 18, 17); 0x41 = 01|000|001 → +1, 0, +1 (ch2 spans into 0xFE bit 0).
        Assert.Equal((-55, 18, 17), (x[0], y[0], z[0]));
        Assert.Equal((-54, 18, 18), (x[1], y[1], z[1]));

        // 0xFE bits 1–3 = 111, bits 4–6 = 111, bit 7 + 0x2B bits 0–1 = 111: (−1, −1, −1).
        Assert.Equal((-55, 17, 17), (x[2], y[2], z[2]));
    }

    [Fact]
    public void Decode_SdkResolution32Vector_AddsWithInt32WrapAround()
    {
        var scan = PmdDeltaCodec.Scan(SdkResolution32, 3, 32);
        Assert.Equal(18, scan.Samples);
        var (x, y, z) = Decode3(SdkResolution32, 32);

        Assert.Equal(0x00000002, x[0]);
        Assert.Equal(unchecked((int)0xE9993219), y[0]);
        Assert.Equal(unchecked((int)0xFFFEDA00), z[0]);
        Assert.Equal(unchecked(0x00000002 + (int)0xE9993217), x[1]);
        Assert.Equal(unchecked((int)0xE9993219 + 0x1665A7E7), y[1]);
        Assert.Equal(unchecked((int)0xFFFEDA00 + 0x4606DB38), z[1]);
    }

    [Fact]
    public void Decode_SdkRealVector1_DecodesTwentyEightBitDeltas()
    {
        var scan = PmdDeltaCodec.Scan(SdkRealVector1, 3, 32);
        Assert.Equal(1 + 6 + 3 + 6 + 3, scan.Samples);
        var (x, y, z) = Decode3(SdkRealVector1, 32);

        Assert.Equal(0x3F800000, x[0]);
        Assert.Equal(0x41200000, y[0]);
        Assert.Equal(0x41A00000, z[0]);
        Assert.Equal(0x3F800000 + 0x1A00000, x[1]);
        Assert.Equal(0x41200000 + 0x0800000, y[1]);
        Assert.Equal(unchecked((int)(0x41A00000 + 0xFDECCCCD)), z[1]);
    }

    [Theory]
    [InlineData("FF FF", -1)]
    [InlineData("00 00", 0)]
    [InlineData("FF 7F", 32767)]
    [InlineData("00 80", -32768)]
    public void ReadReference_SixteenBit_SignExtendsLikeSdk(string hex, int expected)
    {
        Assert.Equal(expected, PmdDeltaCodec.ReadReference(Hex(hex), 0, 2, 16));
    }

    [Fact]
    public void ReadReference_BitsAboveResolution_OrsWithSignMask()
    {
        // R = 22 in 3 bytes: 0x200000 has bit 21 set → negative; 0x400000 (bit 22 only) → -1 << 21 per the SDK mask rule.
        Assert.Equal(-2097152, PmdDeltaCodec.ReadReference(Hex("00 00 20"), 0, 3, 22));
        Assert.Equal(-2097152, PmdDeltaCodec.ReadReference(Hex("00 00 40"), 0, 3, 22));
        Assert.Equal(0x1FFFFF, PmdDeltaCodec.ReadReference(Hex("FF FF 1F"), 0, 3, 22));
    }

    [Fact]
    public void Decode_OneBitDeltaOfOne_IsMinusOneNotSdkQuirk()
    {
        // One channel, 16-bit reference 100, block: 1-bit deltas, 3 samples, bits 1,0,1 → −1, 0, −1.
        var payload = Hex("64 00 01 03 05");
        var scan = PmdDeltaCodec.Scan(payload, 1, 16);
        Assert.Equal(4, scan.Samples);
        var values = new int[4];
        PmdDeltaCodec.Decode(payload, 1, 16, values, default, default, default);

        Assert.Equal([100, 99, 99, 98], values);
    }

    [Fact]
    public void Decode_FourChannels_DecodesInterleavedDeltas()
    {
        // Reference (1, 2, 3, 4) in 24 bits; one sample of 4-bit deltas (+1, −1, +7, −8): 0x1 | 0xF<<4, 0x7 | 0x8<<4.
        var payload = Hex("01 00 00 02 00 00 03 00 00 04 00 00 04 01 F1 87");
        var scan = PmdDeltaCodec.Scan(payload, 4, 24);
        Assert.Equal(PmdDeltaScanStatus.Ok, scan.Status);
        var c = new int[4][];
        for (var i = 0; i < 4; i++)
        {
            c[i] = new int[2];
        }

        PmdDeltaCodec.Decode(payload, 4, 24, c[0], c[1], c[2], c[3]);

        Assert.Equal((2, 1, 10, -4), (c[0][1], c[1][1], c[2][1], c[3][1]));
    }

    [Theory]
    [InlineData("C9 FF 12 00 11", PmdDeltaScanStatus.TruncatedReference)]
    [InlineData("C9 FF 12 00 11 00 03", PmdDeltaScanStatus.TruncatedBlockHeader)]
    [InlineData("C9 FF 12 00 11 00 03 09 41 FE", PmdDeltaScanStatus.TruncatedBlock)]
    [InlineData("C9 FF 12 00 11 00 11 01 00 00 00 00 00 00 00", PmdDeltaScanStatus.DeltaTooWide)]
    [InlineData("C9 FF 12 00 11 00 00 05", PmdDeltaScanStatus.ZeroWidthDeltas)]
    public void Scan_MalformedPayload_ReportsProblem(string hex, PmdDeltaScanStatus expected)
    {
        Assert.Equal(expected, PmdDeltaCodec.Scan(Hex(hex), 3, 16).Status);
    }

    [Fact]
    public void Scan_EmptyBlocks_AreAccepted()
    {
        // A block of 0 samples (any width) carries no bits: the SDK skips it.
        var scan = PmdDeltaCodec.Scan(Hex("C9 FF 12 00 11 00 00 00 05 00"), 3, 16);

        Assert.Equal(PmdDeltaScanStatus.Ok, scan.Status);
        Assert.Equal(1, scan.Samples);
    }

    [Fact]
    public void Scan_DeltaWiderThanThirtyTwo_IsRejectedEvenAtResolution32()
    {
        Assert.Equal(PmdDeltaScanStatus.DeltaTooWide, PmdDeltaCodec.Scan(Hex("00 00 00 00 21 01 00 00 00 00 00"), 1, 32).Status);
    }

    internal static (int[] X, int[] Y, int[] Z) Decode3(byte[] payload, int referenceBits)
    {
        var scan = PmdDeltaCodec.Scan(payload, 3, referenceBits);
        Assert.True(scan.IsOk, scan.Status.ToString());
        var x = new int[scan.Samples];
        var y = new int[scan.Samples];
        var z = new int[scan.Samples];
        PmdDeltaCodec.Decode(payload, 3, referenceBits, x, y, z, default);
        return (x, y, z);
    }

    internal static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", "", StringComparison.Ordinal));
}
