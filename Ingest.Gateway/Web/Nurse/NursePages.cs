using System.Globalization;
using System.Text;
using System.Text.Json;
using Ingest.Gateway.Web.Staff;

namespace Ingest.Gateway.Web.Nurse;

/// <summary>
/// The nurse pages under <c>/nurse</c>, for signed-in staff only (<see cref="StaffSignIn.Policy"/>); every POST carries the
/// anti-forgery token. They read the hub only through <see cref="IHubConsole"/> and never show a radio address (the
/// interface has none): a tracker is named by its device pseudonym.
/// <list type="table">
/// <item><term>GET /nurse</term><description>Find trackers: nearby ones (live, <c>nurse-find.js</c> polls <c>/nurse/api/nearby</c>) and the enrolled ones' links.</description></item>
/// <item><term>GET, POST /nurse/check/{candidate}</term><description>Live check: POST starts it, the page polls <c>/nurse/api/check/{candidate}</c> (<c>nurse-check.js</c>); POST <c>…/stop</c> ends it.</description></item>
/// <item><term>GET, POST /nurse/bind/{candidate}</term><description>Bind to a participant (typed or scanned, <c>nurse-bind.js</c>).</description></item>
/// <item><term>GET, POST /nurse/unenroll/{device}</term><description>Unenroll with a reason.</description></item>
/// <item><term>GET /nurse/label/{device}, POST …/print</term><description>The printable QR label (<see cref="TrackerLabel"/>); printing is audited.</description></item>
/// <item><term>GET /nurse/preflight</term><description>Pre-flight checks before a hub leaves the clinic (<see cref="Preflight"/>).</description></item>
/// <item><term>GET /nurse/audit</term><description>The last audit entries and whether the chain verifies.</description></item>
/// </list>
/// <para>
/// Stable hooks for browser tests (<c>data-testid</c>; the same value is the element's id where there is one per page):
/// find: <c>nearby-table</c>, <c>nearby-row</c> (<c>data-candidate</c>), <c>check-button</c>, <c>bind-link</c>,
/// <c>nearby-updated</c>, <c>simulated-note</c>, <c>enrolled-table</c>, <c>enrolled-row</c> (<c>data-device</c>),
/// <c>label-link</c>, <c>unenroll-link</c>, <c>session-ended</c>, <c>page-message</c>;
/// check: <c>check-state</c>, <c>check-battery</c>, <c>check-problem</c>, <c>check-lost</c>, <c>check-start</c>,
/// <c>check-retry</c>, <c>check-stop</c>, <c>bind-link</c>, <c>stream-row</c> (<c>data-stream</c>), <c>stream-rate</c>,
/// <c>stream-verdict</c> (<c>data-verdict</c> = ok / warn / bad), <c>stream-samples</c>, <c>stream-chart</c>;
/// bind: <c>bind-form</c>, <c>participant</c>, <c>profile</c>, <c>reason</c>, <c>swap</c>, <c>bind-submit</c>,
/// <c>scan-button</c>, <c>scan-note</c>, <c>scan-video</c>, <c>form-error</c>;
/// unenroll: <c>unenroll-form</c>, <c>reason</c>, <c>unenroll-submit</c>, <c>form-error</c>;
/// label: <c>label</c>, <c>label-qr</c> (an img), <c>label-text</c>, <c>label-payload</c>, <c>label-print</c>;
/// pre-flight: <c>preflight-check</c> (<c>data-check</c>, <c>data-ok</c>), <c>preflight-summary</c> (<c>data-ready</c>);
/// audit: <c>audit-chain</c> (<c>data-intact</c>), <c>audit-table</c>, <c>audit-row</c> (<c>data-seq</c>).
/// </para>
/// </summary>
internal static partial class NursePages
{
    /// <summary>Where the nurse pages live.</summary>
    public const string Root = "/nurse";

    /// <summary>Maps the nurse pages' endpoints.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var nurse = app.MapGroup(Root).RequireAuthorization(StaffSignIn.Policy);
        nurse.MapGet("", FindPage);
        nurse.MapGet("/api/nearby", NearbyJson);
        nurse.MapGet("/check/{candidate}", CheckPage);
        nurse.MapPost("/check/{candidate}", StartCheckAsync);
        nurse.MapPost("/check/{candidate}/stop", StopCheckAsync);
        nurse.MapGet("/api/check/{candidate}", CheckJson);
        nurse.MapGet("/bind/{candidate}", BindPage);
        nurse.MapPost("/bind/{candidate}", BindAsync);
        nurse.MapGet("/unenroll/{device}", UnenrollPage);
        nurse.MapPost("/unenroll/{device}", UnenrollAsync);
        nurse.MapGet("/label/{device}", LabelPage);
        nurse.MapPost("/label/{device}/print", PrintLabelAsync);
        nurse.MapGet("/preflight", PreflightPage);
        nurse.MapGet("/audit", AuditPage);
    }

    /// <summary>A nurse page: the shared shell, the staff navigation bar and the nurse stylesheet.</summary>
    private static IResult Page(HttpContext context, string title, string current, string body, IReadOnlyList<string>? scripts = null,
        int statusCode = StatusCodes.Status200OK) =>
        // A stylesheet link is allowed in the body (HTML "body-ok"); Html.Page links only the shared one.
        Html.Page(title, "<link rel=\"stylesheet\" href=\"/assets/nurse.css\">" + body, nav: StaffSignIn.NavBar(context, current), scripts: scripts,
            statusCode: statusCode);

    /// <summary>A page that only says something went wrong and what to do, with a way back.</summary>
    private static IResult Problem(HttpContext context, string title, string message, int statusCode, string backHref = Root, string backText = "Back to Find trackers") =>
        Page(context, title, Root,
            $"<h1>{Html.Encode(title)}</h1><p class=\"message error\" id=\"page-message\" data-testid=\"page-message\">{Html.Encode(message)}</p>" +
            $"<a class=\"button big\" href=\"{Html.Encode(backHref)}\">{Html.Encode(backText)}</a>",
            statusCode: statusCode);

    /// <summary>
    /// Reads a POSTed form after checking its anti-forgery token; null when it is not a form or the token is missing,
    /// expired or from another session (the caller answers <see cref="FormRefused"/>).
    /// </summary>
    private static async Task<IFormCollection?> ReadFormAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            return null;
        }

        if (!await StaffSignIn.IsFormGenuineAsync(context).ConfigureAwait(false))
        {
            return null;
        }

        return await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The answer to a POST without a valid form token.</summary>
    private static IResult FormRefused(HttpContext context, string backHref) =>
        Problem(context, "The form has expired", "The form was not accepted: it is too old, or was sent from another page. Go back, reload the page and try again.",
            StatusCodes.Status400BadRequest, backHref, "Back");

    /// <summary>After a POST that changed something, the browser loads the result page with GET (a reload does not post again).</summary>
    private static IResult SeeOther(string location) => Results.Redirect(location);

    /// <summary>A small form with only a button, posting to <paramref name="action"/> with the anti-forgery token.</summary>
    private static string ButtonForm(HttpContext context, string action, string text, string testId, string buttonClass = "big")
    {
        var id = Html.Encode(testId);
        return $"<form method=\"post\" action=\"{Html.Encode(action)}\" class=\"inline\">{StaffSignIn.AntiforgeryField(context)}" +
            $"<button type=\"submit\" class=\"{Html.Encode(buttonClass)}\" id=\"{id}\" data-testid=\"{id}\">{Html.Encode(text)}</button></form>";
    }

    /// <summary>A JSON response written by hand (the few fields the scripts read; no reflection, so it trims).</summary>
    private static IResult Json(Action<Utf8JsonWriter> write, int statusCode = StatusCodes.Status200OK)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }

        return Results.Content(Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), "application/json", Encoding.UTF8, statusCode);
    }

    /// <summary>The signed-in staff member's name, for the audit trail.</summary>
    private static string StaffOf(HttpContext context) => context.StaffName();

    /// <summary>"12 s ago", "3 min ago", "2 h ago" from a hub time (UTC ns), or <paramref name="none"/> for 0.</summary>
    internal static string Ago(long timeNs, DateTimeOffset now, string none = "never")
    {
        if (timeNs <= 0)
        {
            return none;
        }

        var seconds = Math.Max(0, (now - DateTimeOffset.UnixEpoch).TotalSeconds - (timeNs / 1e9));
        return seconds switch
        {
            < 90 => string.Create(CultureInfo.InvariantCulture, $"{seconds:0} s ago"),
            < 90 * 60 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 60:0} min ago"),
            < 48 * 3600 => string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600:0} h ago"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{seconds / 86400:0} days ago"),
        };
    }

    /// <summary>The profile's name for people, or its id when the hub lacks it.</summary>
    private static string ProfileName(IHubConsole hub, string profileId) =>
        hub.Profiles.FirstOrDefault(p => string.Equals(p.Id, profileId, StringComparison.Ordinal))?.Name ?? profileId;

    /// <summary>The page's message for a hub without a registry (simulated trackers).</summary>
    private const string SimulatedMessage =
        "This hub runs simulated trackers (run --simulate): there is no enrollment registry, so trackers cannot be checked, bound or unenrolled here. " +
        "Onboarding needs the real radio: start the hub without --simulate.";

    private static string SimulatedNote() =>
        $"<p class=\"message warning\" id=\"simulated-note\" data-testid=\"simulated-note\">{Html.Encode(SimulatedMessage)}</p>";
}
