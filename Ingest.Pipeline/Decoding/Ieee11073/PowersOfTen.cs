using System.Globalization;

namespace Ingest.Pipeline.Decoding.Ieee11073;

/// <summary>Correctly rounded powers of ten for the FLOAT exponent range (−128 … 127).</summary>
internal static class PowersOfTen
{
    /// <summary>Largest |exponent| of an IEEE-11073 FLOAT (signed 8-bit).</summary>
    public const int MaxExponent = 128;

    // Parsed once (round-to-nearest) rather than computed with Math.Pow, which need not be correctly rounded.
    private static readonly double[] s_positive = Build();

    /// <summary><paramref name="mantissa"/> × 10^<paramref name="exponent"/>, correctly rounded for |exponent| ≤ 22.</summary>
    public static double Scale(int mantissa, int exponent)
    {
        // Dividing by an exact power of ten (≤ 1e22 is exact in binary64) rounds once; multiplying by 1e-k would round twice.
        return exponent >= 0
            ? mantissa * s_positive[Math.Min(exponent, MaxExponent)]
            : mantissa / s_positive[Math.Min(-exponent, MaxExponent)];
    }

    private static double[] Build()
    {
        var table = new double[MaxExponent + 1];
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = double.Parse("1e" + i.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        return table;
    }
}
