using System.Text;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Output;

/// <summary>
/// The key (JSON) or header (CSV) of a column: its name, and with <see cref="RowValues.Physical"/> its unit as a
/// snake-case suffix, so every key stays a plain identifier: <c>/min</c> → <c>_per_min</c>, <c>%</c> → <c>_pct</c>,
/// <c>m/s</c> → <c>_m_per_s</c>, <c>Cel</c> → <c>_cel</c>; an annotation such as <c>{steps}</c> adds nothing.
/// </summary>
public static class ColumnKeys
{
    /// <summary>The key of <paramref name="spec"/> in rows written with <paramref name="values"/>.</summary>
    public static string Key(ColumnSpec spec, RowValues values)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (values == RowValues.Stored || spec.Kind == ColumnKind.TimestampNs)
        {
            return spec.Name;
        }

        var suffix = UnitSuffix(spec.Unit);
        return suffix.Length == 0 || spec.Name.EndsWith("_" + suffix, StringComparison.Ordinal)
            ? spec.Name
            : $"{spec.Name}_{suffix}";
    }

    /// <summary>A UCUM unit as lower snake case ("" for none).</summary>
    public static string UnitSuffix(string unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var builder = new StringBuilder(unit.Length + 8);
        var inAnnotation = false;
        foreach (var c in unit)
        {
            switch (c)
            {
                case '{': inAnnotation = true; break;
                case '}': inAnnotation = false; break;
                case '/' when !inAnnotation: Separate(builder).Append("per_"); break;
                case '%' when !inAnnotation: Separate(builder).Append("pct"); break;
                case var letter when !inAnnotation && char.IsAsciiLetterOrDigit(letter):
                    builder.Append(char.ToLowerInvariant(letter));
                    break;
                default:
                    if (!inAnnotation)
                    {
                        Separate(builder);
                    }

                    break;
            }
        }

        return builder.ToString().Trim('_');
    }

    private static StringBuilder Separate(StringBuilder builder) =>
        builder.Length > 0 && builder[^1] != '_' ? builder.Append('_') : builder;
}
