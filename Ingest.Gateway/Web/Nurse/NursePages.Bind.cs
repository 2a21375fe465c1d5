using System.Globalization;
using System.Text;
using Ingest.Gateway.Registry;
using Ingest.Gateway.Web.Staff;

namespace Ingest.Gateway.Web.Nurse;

internal static partial class NursePages
{
    /// <summary>GET /nurse/bind/{candidate}: the bind form, the profile preselected from the tracker's match.</summary>
    private static IResult BindPage(HttpContext context, IHubConsole hub, string candidate)
    {
        if (CandidateProblem(context, hub, candidate) is { } problem)
        {
            return problem;
        }

        var tracker = hub.Nearby().FirstOrDefault(t => string.Equals(t.Candidate, candidate, StringComparison.Ordinal));
        if (tracker is null)
        {
            return TrackerGone(context, candidate);
        }

        var form = new BindForm("", tracker.ProfileId, "", Swap: false);
        return BindFormPage(context, hub, tracker, candidate, form, new Dictionary<string, string>(), null, StatusCodes.Status200OK);
    }

    /// <summary>POST /nurse/bind/{candidate}: enrolls the tracker under the signed-in name; on success shows its label.</summary>
    private static async Task<IResult> BindAsync(HttpContext context, IHubConsole hub, string candidate)
    {
        if (await ReadFormAsync(context).ConfigureAwait(false) is not { } posted)
        {
            return FormRefused(context, $"{Root}/bind/{candidate}");
        }

        if (CandidateProblem(context, hub, candidate) is { } problem)
        {
            return problem;
        }

        var tracker = hub.Nearby().FirstOrDefault(t => string.Equals(t.Candidate, candidate, StringComparison.Ordinal));
        var form = BindForm.From(posted);
        var errors = form.Validate([.. hub.Profiles.Select(p => p.Id)]);
        if (errors.Count > 0)
        {
            return BindFormPage(context, hub, tracker, candidate, form, errors, "Some fields need a change: see the messages next to them.", StatusCodes.Status400BadRequest);
        }

        EnrollmentResult result;
        try
        {
            result = hub.Enroll(candidate, form.Participant, form.ProfileId, form.Reason, StaffOf(context), form.Swap);
        }
        catch (RegistryException ex)
        {
            return BindFormPage(context, hub, tracker, candidate, form, errors, BindForm.InFormWords(ex.Message), StatusCodes.Status409Conflict);
        }
        catch (KeyNotFoundException)
        {
            return TrackerGone(context, candidate);
        }

        var done = result.Replaced is null ? "bound" : "swapped";
        return SeeOther($"{Root}/label/{result.Enrollment.Device}?{done}=1");
    }

    private static IResult BindFormPage(HttpContext context, IHubConsole hub, NearbyTracker? tracker, string candidate, BindForm form,
        IReadOnlyDictionary<string, string> errors, string? formError, int statusCode)
    {
        var html = new StringBuilder(8192);
        html.Append("<h1>Bind to a participant</h1><p>Tracker <b>").Append(Html.Encode(tracker?.Name ?? candidate)).Append("</b> <small class=\"muted\">")
            .Append(Html.Encode(candidate)).Append("</small></p>");
        if (formError is not null)
        {
            html.Append("<p class=\"message error\" id=\"form-error\" data-testid=\"form-error\" role=\"alert\">").Append(Html.Encode(formError)).Append("</p>");
        }

        html.Append("<form method=\"post\" id=\"bind-form\" data-testid=\"bind-form\" class=\"card\" action=\"").Append(Root).Append("/bind/").Append(Html.Encode(candidate))
            .Append("\" novalidate>").Append(StaffSignIn.AntiforgeryField(context));

        html.Append("<label for=\"participant\">Participant pseudonym</label>")
            .Append("<div class=\"with-button\"><input id=\"participant\" data-testid=\"participant\" name=\"participant\" autocomplete=\"off\" autocapitalize=\"off\" spellcheck=\"false\" maxlength=\"")
            .Append(WebLimits.MaxFieldLength.ToString(CultureInfo.InvariantCulture)).Append("\" value=\"").Append(Html.Encode(form.Participant)).Append('"')
            .Append(Invalid(errors, BindForm.ParticipantField)).Append('>')
            .Append("<button type=\"button\" class=\"secondary\" id=\"scan-button\" data-testid=\"scan-button\" hidden>Scan the study's QR code</button></div>")
            .Append(FieldError(errors, BindForm.ParticipantField))
            .Append("<p class=\"muted\" id=\"scan-note\" data-testid=\"scan-note\">Type the pseudonym from the study's card; ")
            .Append("scanning its QR code with the camera needs a browser that reads barcodes, on a secure https page.</p>")
            .Append("<video id=\"scan-video\" data-testid=\"scan-video\" class=\"scan\" playsinline muted hidden></video>");

        html.Append("<label for=\"profile\">Profile</label><select id=\"profile\" data-testid=\"profile\" name=\"profile\"")
            .Append(Invalid(errors, BindForm.ProfileField)).Append('>');
        foreach (var profile in hub.Profiles)
        {
            html.Append("<option value=\"").Append(Html.Encode(profile.Id)).Append('"')
                .Append(string.Equals(profile.Id, form.ProfileId, StringComparison.Ordinal) ? " selected" : "").Append('>')
                .Append(Html.Encode(profile.Name)).Append("</option>");
        }

        html.Append("</select>").Append(FieldError(errors, BindForm.ProfileField));

        html.Append("<label for=\"reason\">Reason</label><input id=\"reason\" data-testid=\"reason\" name=\"reason\" maxlength=\"")
            .Append(BindForm.MaxReasonLength.ToString(CultureInfo.InvariantCulture)).Append("\" placeholder=\"baseline visit\" value=\"").Append(Html.Encode(form.Reason)).Append('"')
            .Append(Invalid(errors, BindForm.ReasonField)).Append('>').Append(FieldError(errors, BindForm.ReasonField));

        html.Append("<label class=\"check\"><input type=\"checkbox\" id=\"swap\" data-testid=\"swap\" name=\"swap\"").Append(form.Swap ? " checked" : "")
            .Append("> Replace the participant's current tracker (swap)</label>")
            .Append("<p class=\"muted\">Tick this when the participant already has a tracker of this profile: the old one is unenrolled in the same step.</p>")
            .Append("<button type=\"submit\" class=\"big\" id=\"bind-submit\" data-testid=\"bind-submit\">Bind tracker</button>")
            .Append("<a class=\"button secondary big\" href=\"").Append(Root).Append("/check/").Append(Html.Encode(candidate)).Append("\">Back to the live check</a></form>");
        return Page(context, "Bind tracker", Root, html.ToString(), ["nurse-bind.js"], statusCode);
    }

    /// <summary>GET /nurse/unenroll/{device}: asks for the reason.</summary>
    private static IResult UnenrollPage(HttpContext context, IHubConsole hub, string device) =>
        UnenrollForm(context, hub, device, "", null, StatusCodes.Status200OK);

    /// <summary>POST /nurse/unenroll/{device}: ends the enrollment under the signed-in name.</summary>
    private static async Task<IResult> UnenrollAsync(HttpContext context, IHubConsole hub, string device)
    {
        if (await ReadFormAsync(context).ConfigureAwait(false) is not { } posted)
        {
            return FormRefused(context, $"{Root}/unenroll/{device}");
        }

        var reason = BindForm.First(posted, BindForm.ReasonField).Trim();
        if (BindForm.ReasonProblem(reason) is { } reasonError)
        {
            return UnenrollForm(context, hub, device, reason, reasonError, StatusCodes.Status400BadRequest);
        }

        if (hub.Registry is not { } registry || !DevicePseudonym.IsValid(device))
        {
            return UnenrollForm(context, hub, device, reason, null, StatusCodes.Status400BadRequest);
        }

        try
        {
            registry.UnenrollDevice(device, reason, StaffOf(context));
        }
        catch (RegistryException ex)
        {
            return UnenrollForm(context, hub, device, reason, BindForm.InFormWords(ex.Message), StatusCodes.Status409Conflict);
        }

        return SeeOther($"{Root}?unenrolled={device}");
    }

    private static IResult UnenrollForm(HttpContext context, IHubConsole hub, string device, string reason, string? error, int statusCode)
    {
        if (!DevicePseudonym.IsValid(device))
        {
            return NotACandidate(context, device);
        }

        if (hub.Registry is not { } registry)
        {
            return Problem(context, "Onboarding needs the real radio", SimulatedMessage, StatusCodes.Status409Conflict);
        }

        var enrollment = registry.ActiveEnrollments().FirstOrDefault(e => string.Equals(e.Device, device, StringComparison.Ordinal));
        if (enrollment is null && error is null)
        {
            return Problem(context, "Not enrolled", $"Tracker {device} is not enrolled on this hub (any more); Find trackers lists the enrolled ones.",
                StatusCodes.Status404NotFound);
        }

        var html = new StringBuilder(4096);
        html.Append("<h1>Unenroll a tracker</h1>");
        if (enrollment is not null)
        {
            html.Append("<p>Participant <b>").Append(Html.Encode(enrollment.Participant)).Append("</b>, ").Append(Html.Encode(ProfileName(hub, enrollment.ProfileId)))
                .Append(" <small class=\"muted\">").Append(Html.Encode(device)).Append("</small>. The hub stops connecting it; the data it sent stays.</p>");
        }

        if (error is not null)
        {
            html.Append("<p class=\"message error\" id=\"form-error\" data-testid=\"form-error\" role=\"alert\">").Append(Html.Encode(error)).Append("</p>");
        }

        html.Append("<form method=\"post\" id=\"unenroll-form\" data-testid=\"unenroll-form\" class=\"card\" novalidate>").Append(StaffSignIn.AntiforgeryField(context))
            .Append("<label for=\"reason\">Reason</label><input id=\"reason\" data-testid=\"reason\" name=\"reason\" maxlength=\"")
            .Append(BindForm.MaxReasonLength.ToString(CultureInfo.InvariantCulture)).Append("\" placeholder=\"end of study\" value=\"").Append(Html.Encode(reason)).Append("\">")
            .Append("<button type=\"submit\" class=\"big\" id=\"unenroll-submit\" data-testid=\"unenroll-submit\">Unenroll</button>")
            .Append("<a class=\"button secondary big\" href=\"").Append(Root).Append("\">Cancel</a></form>");
        return Page(context, "Unenroll tracker", Root, html.ToString(), statusCode: statusCode);
    }

    private static string Invalid(IReadOnlyDictionary<string, string> errors, string field) =>
        errors.ContainsKey(field) ? $" aria-invalid=\"true\" aria-describedby=\"{field}-error\"" : "";

    private static string FieldError(IReadOnlyDictionary<string, string> errors, string field) =>
        errors.TryGetValue(field, out var message)
            ? $"<p class=\"field-error\" id=\"{field}-error\" data-testid=\"{field}-error\">{Html.Encode(message)}</p>"
            : "";
}
