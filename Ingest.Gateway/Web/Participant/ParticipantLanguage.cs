using Microsoft.Net.Http.Headers;

namespace Ingest.Gateway.Web.Participant;

/// <summary>
/// Which language the participant page speaks to a request: <c>?lang=xx</c> (then remembered in a cookie), else the
/// cookie, else the browser's <c>Accept-Language</c>, else <see cref="ParticipantOptions.Language"/>. A value the page
/// does not speak is passed over, never an error: the page must always show something.
/// </summary>
internal static class ParticipantLanguage
{
    /// <summary>The query parameter and the cookie that carry the choice.</summary>
    public const string ParameterName = "lang";

    /// <summary>Longest language value read from the query or the cookie (a BCP 47 tag is at most 35 characters in practice).</summary>
    public const int MaxTagLength = 35;

    /// <summary>Most <c>Accept-Language</c> entries looked at: browsers send a handful; more is noise or an attack.</summary>
    public const int MaxAcceptLanguageEntries = 16;

    /// <summary>How long the cookie remembers the choice.</summary>
    public static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(365);

    /// <summary>The language for <paramref name="context"/>; sets the cookie when the query chose one.</summary>
    public static string Choose(HttpContext context, ParticipantOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        if (Known(context.Request.Query[ParameterName].ToString()) is { } asked)
        {
            context.Response.Cookies.Append(ParameterName, asked, new CookieOptions
            {
                Path = "/",
                MaxAge = CookieLifetime,
                HttpOnly = true,
                SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax,
                IsEssential = true,
            });
            return asked;
        }

        if (Known(context.Request.Cookies[ParameterName]) is { } remembered)
        {
            return remembered;
        }

        return FromAcceptLanguage(context.Request.Headers.AcceptLanguage.ToString()) ?? options.Language;
    }

    /// <summary>
    /// The first language of an <c>Accept-Language</c> header the page speaks, by quality (ties keep the header's order),
    /// matched on the primary subtag (<c>de-CH</c> is German); null when none (or the header is malformed).
    /// </summary>
    public static string? FromAcceptLanguage(string? header)
    {
        if (string.IsNullOrWhiteSpace(header) || !StringWithQualityHeaderValue.TryParseList([header], out var entries))
        {
            return null;
        }

        var ranked = entries.Take(MaxAcceptLanguageEntries)
            .Select(static (entry, index) => (Tag: entry.Value.Value, Quality: entry.Quality ?? 1.0, Index: index))
            .Where(static e => e.Quality > 0)
            .OrderByDescending(static e => e.Quality)
            .ThenBy(static e => e.Index);
        foreach (var (tag, _, _) in ranked)
        {
            if (Known(tag) is { } language)
            {
                return language;
            }
        }

        return null;
    }

    /// <summary>The page's language for <paramref name="tag"/> (<c>fr</c>, <c>fr-CA</c>, <c>FR</c>), or null.</summary>
    private static string? Known(string? tag)
    {
        if (string.IsNullOrEmpty(tag) || tag.Length > MaxTagLength)
        {
            return null;
        }

        var dash = tag.IndexOf('-', StringComparison.Ordinal);
        var primary = (dash < 0 ? tag : tag[..dash]).ToLowerInvariant();
        foreach (var language in ParticipantOptions.Languages)
        {
            if (string.Equals(language, primary, StringComparison.Ordinal))
            {
                return language;
            }
        }

        return null;
    }
}
