using System.Diagnostics.CodeAnalysis;

namespace Ingest.Arrow;

/// <summary>Throw sites kept out of line so the callers stay small (style.md §4).</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowFormat(string message) => throw new ArrowFormatException(message);

    [DoesNotReturn]
    public static void ThrowFormat(string message, long offset) => throw new ArrowFormatException(message, offset);

    [DoesNotReturn]
    public static T ThrowFormat<T>(string message) => throw new ArrowFormatException(message);

    [DoesNotReturn]
    public static void ThrowLimit(string what, long value, long limit) =>
        throw new ArrowFormatException($"{what} {value} exceeds the limit of {limit} (ArrowLimits)");

    [DoesNotReturn]
    public static void ThrowArgument(string message, string paramName) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);
}
