using System.Text;
using System.Text.RegularExpressions;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Pipeline.Simulation.Radio;

/// <summary>
/// Makes a string that a profile's match pattern accepts (<c>^Polar H10 [0-9A-F]{8}$</c> → <c>Polar H10 0A1B2C3D</c>),
/// so a simulated tracker advertises what its profile expects. Understands the patterns profiles use: anchors,
/// literals, escapes, character classes with ranges, <c>.</c>, <c>\d</c>, and the quantifiers <c>{n}</c>,
/// <c>{n,m}</c>, <c>?</c>, <c>*</c>, <c>+</c>. Anything else (groups, alternation) gives null; the caller then tries
/// its fixed candidates. Deterministic for the generator's state.
/// </summary>
internal static class PatternExample
{
    /// <summary>The first candidate <paramref name="pattern"/> accepts, else a generated example, else null.</summary>
    public static string? Find(Regex? pattern, IEnumerable<string> candidates, ref SimRandom random)
    {
        if (pattern is null)
        {
            return null;
        }

        foreach (var candidate in candidates)
        {
            if (pattern.IsMatch(candidate))
            {
                return candidate;
            }
        }

        var generated = Generate(pattern.ToString(), ref random);
        return generated is not null && pattern.IsMatch(generated) ? generated : null;
    }

    /// <summary>An example for <paramref name="pattern"/>, or null when it uses syntax this does not understand.</summary>
    public static string? Generate(string pattern, ref SimRandom random)
    {
        var text = new StringBuilder();
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            string? choices;
            switch (c)
            {
                case '^' when i == 0:
                case '$' when i == pattern.Length - 1:
                    i++;
                    continue;
                case '(' or ')' or '|' or '^' or '$' or '{' or '}' or '*' or '+' or '?':
                    return null;
                case '.':
                    choices = "ABCDEF0123456789";
                    i++;
                    break;
                case '\\':
                    if (i + 1 >= pattern.Length)
                    {
                        return null;
                    }

                    choices = pattern[i + 1] switch
                    {
                        'd' => "0123456789",
                        's' => " ",
                        'w' => "ABCDEFabcdef0123456789",
                        var e when char.IsLetterOrDigit(e) => null,
                        var e => e.ToString(),
                    };
                    if (choices is null)
                    {
                        return null;
                    }

                    i += 2;
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0)
                    {
                        return null;
                    }

                    choices = ExpandClass(pattern.AsSpan(i + 1, end - i - 1));
                    if (choices is null)
                    {
                        return null;
                    }

                    i = end + 1;
                    break;
                default:
                    choices = c.ToString();
                    i++;
                    break;
            }

            if (!TryQuantifier(pattern, ref i, out var min, out var max))
            {
                return null;
            }

            var count = min == max ? min : random.Next(min, max);
            for (var k = 0; k < count; k++)
            {
                text.Append(choices[random.Next(0, choices.Length - 1)]);
            }
        }

        return text.ToString();
    }

    private static string? ExpandClass(ReadOnlySpan<char> body)
    {
        if (body.IsEmpty || body[0] == '^')
        {
            return null;
        }

        var chars = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '\\')
            {
                if (i + 1 >= body.Length)
                {
                    return null;
                }

                c = body[++i];
            }

            if (i + 2 < body.Length && body[i + 1] == '-')
            {
                var last = body[i + 2];
                if (last < c)
                {
                    return null;
                }

                for (var x = c; x <= last; x++)
                {
                    chars.Append(x);
                }

                i += 2;
            }
            else
            {
                chars.Append(c);
            }
        }

        return chars.ToString();
    }

    private static bool TryQuantifier(string pattern, ref int i, out int min, out int max)
    {
        min = 1;
        max = 1;
        if (i >= pattern.Length)
        {
            return true;
        }

        switch (pattern[i])
        {
            case '?':
                // One rather than none: an optional part shown reads more like a real name.
                i++;
                return true;
            case '*':
            case '+':
                max = 4;
                i++;
                return true;
            case '{':
                var end = pattern.IndexOf('}', i);
                if (end < 0)
                {
                    return false;
                }

                var parts = pattern[(i + 1)..end].Split(',');
                if (!int.TryParse(parts[0], out min) || min is < 0 or > 64)
                {
                    return false;
                }

                max = min;
                if (parts.Length == 2)
                {
                    max = parts[1].Length == 0 ? min + 4 : int.TryParse(parts[1], out var m) ? m : -1;
                }

                i = end + 1;
                return parts.Length <= 2 && max >= min && max <= 64;
            default:
                return true;
        }
    }
}
