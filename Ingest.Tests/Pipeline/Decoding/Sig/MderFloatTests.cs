using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Decoding.Ieee11073;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

public sealed class MderFloatTests
{
    [Theory]
    [InlineData(0xFF00016Eu, 366, -1, 36.6)]   // a typical body temperature
    [InlineData(0xFE000E74u, 3700, -2, 37.0)]
    [InlineData(0x00000002u, 2, 0, 2.0)]
    [InlineData(0xFD0F4240u, 1000000, -3, 1000.0)]
    [InlineData(0x01FFFFFFu, -1, 1, -10.0)]
    [InlineData(0x007FFFFDu, 8388605, 0, 8388605.0)]
    [InlineData(0x80000001u, 1, -128, 1e-128)]
    public void Decode_Numbers_GiveMantissaExponentAndValue(uint raw, int mantissa, int exponent, double value)
    {
        var number = new MderFloat(raw);

        Assert.Equal(MderStatus.Value, number.Status);
        Assert.Equal(mantissa, number.Mantissa);
        Assert.Equal(exponent, number.Exponent);
        Assert.Equal(value, number.ToDouble());
    }

    [Theory]
    [InlineData(0x007FFFFFu, MderStatus.NaN)]
    [InlineData(0x00800000u, MderStatus.NRes)]
    [InlineData(0x007FFFFEu, MderStatus.PositiveInfinity)]
    [InlineData(0x00800002u, MderStatus.NegativeInfinity)]
    [InlineData(0x00800001u, MderStatus.Reserved)]
    public void Decode_SpecialValues_AreMatchedOnTheWholeWord(uint raw, MderStatus status)
    {
        Assert.Equal(status, new MderFloat(raw).Status);
        Assert.Equal(MderStatus.Value, new MderFloat(raw | 0xFF00_0000).Status);
    }

    [Fact]
    public void Property_RawWord_RoundTripsThroughMantissaAndExponent()
    {
        var gen = Gen.Choose(int.MinValue, int.MaxValue).Select(i => (uint)i);
        Prop.ForAll(Arb.From(gen), raw =>
        {
            var number = new MderFloat(raw);
            if (number.Status != MderStatus.Value)
            {
                return (raw & 0xFF00_0000) == 0;
            }

            return MderFloat.TryCreate(number.Mantissa, number.Exponent, out var again) && again == number;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_CreateThenRead_GivesBackMantissaAndExponent()
    {
        var gen = Gen.Zip(Gen.Choose(MderFloat.MinMantissa, MderFloat.MaxMantissa), Gen.Choose(MderFloat.MinExponent, MderFloat.MaxExponent));
        Prop.ForAll(Arb.From(gen), pair =>
        {
            var (mantissa, exponent) = pair;
            if (!MderFloat.TryCreate(mantissa, exponent, out var number))
            {
                return exponent == 0 && Math.Abs(mantissa) >= 0x7F_FFFE;
            }

            return number.Mantissa == mantissa && number.Exponent == exponent;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Property_ToDouble_IsTheCorrectlyRoundedDecimal()
    {
        // Compared with the runtime's decimal parser, across every exponent (fast path ≤ ±22, slow path beyond).
        var gen = Gen.Choose(int.MinValue, int.MaxValue).Select(i => new MderFloat((uint)i)).Where(f => f.Status == MderStatus.Value);
        Prop.ForAll(Arb.From(gen), number =>
        {
            var text = number.Mantissa.ToString(CultureInfo.InvariantCulture) + "e" + number.Exponent.ToString(CultureInfo.InvariantCulture);
            return number.ToDouble().Equals(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void TryCreate_SpecialPatterns_AreRefused()
    {
        Assert.False(MderFloat.TryCreate(0x7F_FFFF, 0, out _));
        Assert.False(MderFloat.TryCreate(-0x80_0000, 0, out _));
        Assert.False(MderFloat.TryCreate(0x7F_FFFE, 0, out _));
        Assert.False(MderFloat.TryCreate(-0x7F_FFFE, 0, out _));
        Assert.False(MderFloat.TryCreate(-0x7F_FFFF, 0, out _));
        Assert.True(MderFloat.TryCreate(0x7F_FFFD, 0, out _));
        Assert.Throws<ArgumentOutOfRangeException>(() => MderFloat.Create(1, 128));
    }
}
