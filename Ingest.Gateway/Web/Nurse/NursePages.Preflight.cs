using System.Globalization;
using System.Text;

namespace Ingest.Gateway.Web.Nurse;

internal static partial class NursePages
{
    /// <summary>GET /nurse/preflight: each check green or red with what to do; "ready to go home" only when all pass.</summary>
    private static IResult PreflightPage(HttpContext context, IHubConsole hub, TimeProvider time)
    {
        var checks = Preflight.Run(hub);
        var ready = Preflight.Ready(checks);
        var html = new StringBuilder(4096);
        html.Append("<h1>Pre-flight</h1><p class=\"muted\">Before hub <b>").Append(Html.Encode(hub.Hub.HubId)).Append("</b> leaves the clinic. Checked at ")
            .Append(Html.Encode(time.GetUtcNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture))).Append(" UTC.</p>");
        html.Append("<p id=\"preflight-summary\" data-testid=\"preflight-summary\" data-ready=\"").Append(ready ? "true" : "false").Append("\" class=\"summary ")
            .Append(ready ? "ok\">Ready to go home: every check passed." : "bad\">Not ready to go home: do what the red checks say, then check again.").Append("</p>");
        html.Append("<ul class=\"checks\">");
        foreach (var check in checks)
        {
            var kind = check.Ok switch { true => "ok", false => "bad", null => "warn" };
            html.Append("<li class=\"check ").Append(kind).Append("\" data-testid=\"preflight-check\" data-check=\"").Append(Html.Encode(check.Id))
                .Append("\" data-ok=\"").Append(check.Ok switch { true => "true", false => "false", null => "unknown" }).Append("\"><span class=\"mark\" aria-hidden=\"true\">")
                .Append(check.Ok switch { true => "✓", false => "✗", null => "?" }).Append("</span><div><b>").Append(Html.Encode(check.Title)).Append("</b><br>")
                .Append(Html.Encode(check.Detail));
            if (check.Ok != true && check.Fix is { } fix)
            {
                html.Append("<br><span class=\"fix\">What to do: ").Append(Html.Encode(fix)).Append("</span>");
            }

            html.Append("</div></li>");
        }

        html.Append("</ul><a class=\"button big\" href=\"").Append(Root).Append("/preflight\">Check again</a>");
        return Page(context, "Pre-flight", Root + "/preflight", html.ToString());
    }
}
