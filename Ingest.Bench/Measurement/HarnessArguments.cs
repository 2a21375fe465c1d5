using System.Globalization;

namespace Ingest.Bench.Measurement;

/// <summary>Option parsing shared by the harness commands: one message and the usage on a bad option, exit code 2.</summary>
internal static class HarnessArguments
{
    /// <summary>Runs <paramref name="parse"/>; on a <see cref="FormatException"/> prints it with <paramref name="usage"/> and returns false.</summary>
    public static bool TryParse<T>(string command, string usage, Func<T> parse, out T settings)
    {
        ArgumentNullException.ThrowIfNull(parse);
        try
        {
            settings = parse();
            return true;
        }
        catch (FormatException ex)
        {
            Console.Error.WriteLine($"{command}: {ex.Message}");
            Console.Error.WriteLine(usage);
            settings = default!;
            return false;
        }
    }

    /// <summary>A whole number from 1 to <paramref name="maximum"/>, or a <see cref="FormatException"/> naming the option.</summary>
    public static int Positive(string name, string text, int maximum) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= maximum
            ? value
            : throw new FormatException($"{name} '{text}' is not a whole number from 1 to {maximum}");

    /// <summary>A CPU number for <c>--broker-cpu</c>.</summary>
    public static int Cpu(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value < 64
            ? value
            : throw new FormatException($"--broker-cpu '{text}' is not a CPU number from 0 to 63");
}
