using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Decoding.Ieee11073;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

public sealed class SFloatTests
{
    [Theory]
    // protocols.md §4.4 / HL7 phd MderFLOATsandSFLOATs examples.
    [InlineData(0x0002, 2, 0, 2.0)]
    [InlineData(0xF014, 20, -1, 2.0)]
    [InlineData(0xE0C8, 200, -2, 2.0)]
    [InlineData(0x1002, 2, 1, 20.0)]
    [InlineData(0x0B2E, -1234, 0, -1234.0)]
    [InlineData(0xF3E8, 1000, -1, 100.0)]
    [InlineData(0xFF62, -158, -1, -15.8)]
    [InlineData(0x8001, 1, -8, 1e-8)]
    [InlineData(0x77FF, 2047, 7, 2.047e10)]
    [InlineData(0x0000, 0, 0, 0.0)]
    public void Decode_SpecExamples_GiveMantissaExponentAndValue(int raw, int mantissa, int exponent, double value)
    {
        var number = new SFloat((ushort)raw);

        Assert.Equal(MderStatus.Value, number.Status);
        Assert.Equal(mantissa, number.Mantissa);
        Assert.Equal(exponent, number.Exponent);
        Assert.Equal(value, number.ToDouble());
        Assert.Equal((float)value, number.ToSingle());
    }

    [Fact]
    public void Decode_SameValueAtThreeResolutions_StaysDistinguishableByRawWord()
    {
        var two = new SFloat(0x0002);
        var twoPointZero = new SFloat(0xF014);
        var twoPointZeroZero = new SFloat(0xE0C8);

        Assert.Equal(two.ToDouble(), twoPointZero.ToDouble());
        Assert.Equal(two.ToDouble(), twoPointZeroZero.ToDouble());
        Assert.NotEqual(two, twoPointZero);
        Assert.NotEqual(twoPointZero, twoPointZeroZero);
    }

    [Theory]
    [InlineData(0x07FF, MderStatus.NaN)]
    [InlineData(0x0800, MderStatus.NRes)]
    [InlineData(0x07FE, MderStatus.PositiveInfinity)]
    [InlineData(0x0802, MderStatus.NegativeInfinity)]
    [InlineData(0x0801, MderStatus.Reserved)]
    public void Decode_SpecialValues_AreMatchedOnTheWholeWord(int raw, MderStatus status)
    {
        var number = new SFloat((ushort)raw);

        Assert.Equal(status, number.Status);
        var expected = status switch
        {
            MderStatus.PositiveInfinity => double.PositiveInfinity,
            MderStatus.NegativeInfinity => double.NegativeInfinity,
            _ => double.NaN,
        };
        Assert.Equal(expected, number.ToDouble());
    }

    [Theory]
    // Same mantissas as the specials but a non-zero exponent: ordinary numbers.
    [InlineData(0x17FF, 2047, 1)]
    [InlineData(0xF800, -2048, -1)]
    [InlineData(0x1802, -2046, 1)]
    public void Decode_SpecialMantissaWithNonZeroExponent_IsANumber(int raw, int mantissa, int exponent)
    {
        var number = new SFloat((ushort)raw);

        Assert.Equal(MderStatus.Value, number.Status);
        Assert.Equal(mantissa, number.Mantissa);
        Assert.Equal(exponent, number.Exponent);
    }

    [Theory]
    [InlineData(2047, 0)]
    [InlineData(-2048, 0)]
    [InlineData(2046, 0)]
    [InlineData(-2046, 0)]
    [InlineData(-2047, 0)]
    [InlineData(2048, 0)]
    [InlineData(-2049, 0)]
    [InlineData(1, 8)]
    [InlineData(1, -9)]
    public void TryCreate_SpecialOrOutOfRange_IsRefused(int mantissa, int exponent)
    {
        Assert.False(SFloat.TryCreate(mantissa, exponent, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => SFloat.Create(mantissa, exponent));
    }

    [Fact]
    public void RoundTrip_EveryRawWord_ReencodesToTheSameWord()
    {
        // Exhaustive: all 65,536 words.
        for (var raw = 0; raw <= ushort.MaxValue; raw++)
        {
            var number = new SFloat((ushort)raw);
            if (number.Status == MderStatus.Value)
            {
                Assert.True(SFloat.TryCreate(number.Mantissa, number.Exponent, out var again));
                Assert.Equal(number, again);
                Assert.Equal(double.Parse($"{number.Mantissa}e{number.Exponent}", CultureInfo.InvariantCulture), number.ToDouble());
            }
            else
            {
                Assert.True(double.IsNaN(number.ToDouble()) || double.IsInfinity(number.ToDouble()));
            }
        }
    }

    [Fact]
    public void Property_CreateThenRead_GivesBackMantissaAndExponent()
    {
        var gen = Gen.Zip(Gen.Choose(SFloat.MinMantissa, SFloat.MaxMantissa), Gen.Choose(SFloat.MinExponent, SFloat.MaxExponent));
        Prop.ForAll(Arb.From(gen), pair =>
        {
            var (mantissa, exponent) = pair;
            if (!SFloat.TryCreate(mantissa, exponent, out var number))
            {
                // Only the five specials (exponent 0) are refused.
                return exponent == 0 && mantissa is 2047 or 2046 or -2048 or -2047 or -2046;
            }

            return number.Mantissa == mantissa && number.Exponent == exponent && number.Status == MderStatus.Value;
        }).QuickCheckThrowOnFailure();
    }
}
