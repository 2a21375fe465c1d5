using System.Text;
using System.Text.Encodings.Web;

namespace Ingest.Gateway.Web;

/// <summary>
/// Server-rendered HTML, by hand and small: every value that did not come from our own code goes through
/// <see cref="Encode"/>. The pages are few and plain, so a string builder is clearer than a template engine and keeps
/// the executable trimmable.
/// </summary>
internal static class Html
{
    /// <summary>Text or attribute value, encoded for HTML (quotes included).</summary>
    public static string Encode(string? text) => text is null ? "" : HtmlEncoder.Default.Encode(text);

    /// <summary>The response for a whole page: the shared shell around <paramref name="body"/>.</summary>
    /// <param name="title">The page title (plain text).</param>
    /// <param name="body">The page's HTML, already encoded where needed.</param>
    /// <param name="language">The page's language (<c>lang</c> attribute).</param>
    /// <param name="nav">HTML of the navigation bar (empty: none), already encoded.</param>
    /// <param name="scripts">Names of files under <c>Web/Assets</c> to load at the end of the body.</param>
    /// <param name="statusCode">HTTP status (a sign-in page that refuses answers 401, a missing tracker 404).</param>
    public static IResult Page(string title, string body, string language = "en", string nav = "", IReadOnlyList<string>? scripts = null, int statusCode = StatusCodes.Status200OK)
    {
        var html = new StringBuilder(4096);
        html.Append("<!doctype html><html lang=\"").Append(Encode(language)).Append("\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(Encode(title)).Append("</title>")
            .Append("<link rel=\"stylesheet\" href=\"/assets/site.css\"></head><body>");
        if (nav.Length > 0)
        {
            html.Append("<nav class=\"bar\">").Append(nav).Append("</nav>");
        }

        html.Append("<main>").Append(body).Append("</main>");
        foreach (var script in scripts ?? [])
        {
            html.Append("<script src=\"/assets/").Append(Encode(script)).Append("\"></script>");
        }

        html.Append("</body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }
}
