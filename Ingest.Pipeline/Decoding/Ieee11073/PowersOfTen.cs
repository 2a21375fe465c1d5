using System.Globalization;

namespace Ingest.Pipeline.Decoding.Ieee11073;

/// <summary>mantissa × 10^exponent, correctly rounded to binary64, for the SFLOAT and FLOAT exponent ranges.</summary>
internal static class PowersOfTen
{
    /// <summary>Largest k for which 10^k is exact in binary64 (5^22 &lt; 2^53).</summary>
    public const int MaxExact = 22;

    // Longest text: "-8388608e-128".
    private const int MaxTextLength = 16;

    private static readonly double[] s_exact = Build();

    /// <summary><paramref name="mantissa"/> × 10^<paramref name="exponent"/>, correctly rounded.</summary>
    public static double Scale(int mantissa, int exponent)
    {
        // |mantissa| < 2^24 and 10^k (k ≤ 22) are exact, so one multiplication or division rounds once: correct.
        if (exponent >= 0 && exponent <= MaxExact)
        {
            return mantissa * s_exact[exponent];
        }

        if (exponent < 0 && exponent >= -MaxExact)
        {
            return mantissa / s_exact[-exponent];
        }

        return ScaleSlow(mantissa, exponent);
    }

    private static double ScaleSlow(int mantissa, int exponent)
    {
        // FLOAT exponents beyond ±22 (no body temperature uses them): let the runtime's correctly rounded parser do it.
        Span<char> text = stackalloc char[MaxTextLength];
        mantissa.TryFormat(text, out var written, provider: CultureInfo.InvariantCulture);
        text[written++] = 'e';
        exponent.TryFormat(text[written..], out var exponentWritten, provider: CultureInfo.InvariantCulture);
        return double.Parse(text[..(written + exponentWritten)], NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    private static double[] Build()
    {
        var table = new double[MaxExact + 1];
        var value = 1.0;
        for (var i = 0; i < table.Length; i++)
        {
            table[i] = value;
            value *= 10;
        }

        return table;
    }
}
