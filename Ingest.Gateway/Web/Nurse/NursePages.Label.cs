using System.Text;
using System.Text.Json;
using Ingest.Gateway.Registry;

namespace Ingest.Gateway.Web.Nurse;

internal static partial class NursePages
{
    /// <summary>The audit action of a printed label (recorded under the nurse's name).</summary>
    internal const string LabelPrintAction = "label-print";

    /// <summary>GET /nurse/label/{device}: the printable label of an enrolled tracker.</summary>
    private static IResult LabelPage(HttpContext context, IHubConsole hub, string device)
    {
        if (LabelProblem(context, hub, device, out var enrollment) is { } problem)
        {
            return problem;
        }

        var label = new TrackerLabel(hub.Hub.HubId, enrollment.Study, enrollment.Participant, enrollment.Device);
        var query = context.Request.Query;
        var html = new StringBuilder(16384);
        html.Append("<h1 class=\"no-print\">Label</h1>");
        if (query.ContainsKey("bound") || query.ContainsKey("swapped"))
        {
            html.Append("<p class=\"message info no-print\" id=\"page-message\" data-testid=\"page-message\">")
                .Append(query.ContainsKey("swapped") ? "Swapped: participant " : "Bound: participant ")
                .Append(Html.Encode(enrollment.Participant)).Append(" now has tracker ").Append(Html.Encode(enrollment.Device))
                .Append(". The hub connects it as enrolled; print the label and stick it on the hub.</p>");
        }

        html.Append("<section id=\"label\" data-testid=\"label\" class=\"label\"><img id=\"label-qr\" data-testid=\"label-qr\" src=\"").Append(label.QrDataUri())
            .Append("\" alt=\"QR code of the label\"><div id=\"label-text\" data-testid=\"label-text\" class=\"label-text\">")
            .Append("<div><span>Participant</span><b>").Append(Html.Encode(label.Participant)).Append("</b></div>")
            .Append("<div><span>Hub</span><b>").Append(Html.Encode(label.Hub)).Append("</b></div>")
            .Append("<div><span>Study</span><b>").Append(Html.Encode(label.Study)).Append("</b></div>")
            .Append("<div><span>Tracker</span><b>").Append(Html.Encode(label.Device)).Append("</b></div>")
            .Append("<code id=\"label-payload\" data-testid=\"label-payload\">").Append(Html.Encode(label.Text)).Append("</code></div></section>");

        html.Append("<div class=\"actions no-print\">")
            .Append(ButtonForm(context, $"{Root}/label/{enrollment.Device}/print", "Print label", "label-print"))
            .Append("<a class=\"button secondary big\" href=\"").Append(Root).Append("\">Back to Find trackers</a></div>")
            .Append("<p class=\"muted no-print\">Print records the print in the audit trail, then opens the browser's print dialog. ")
            .Append("The code says the hub id, the study and the pseudonyms: never a radio address.</p>");
        return Page(context, "Label " + label.Participant, Root, html.ToString(), ["nurse-label.js"]);
    }

    /// <summary>POST /nurse/label/{device}/print: audits the print under the signed-in name, then shows the label to print.</summary>
    private static async Task<IResult> PrintLabelAsync(HttpContext context, IHubConsole hub, string device)
    {
        if (await ReadFormAsync(context).ConfigureAwait(false) is null)
        {
            return FormRefused(context, $"{Root}/label/{device}");
        }

        if (LabelProblem(context, hub, device, out var enrollment) is { } problem)
        {
            return problem;
        }

        var details = JsonSerializer.Serialize(new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["hub"] = hub.Hub.HubId,
            ["study"] = enrollment.Study,
            ["format"] = TrackerLabel.Tag,
        });
        try
        {
            hub.Registry!.Audit.Append(StaffOf(context), LabelPrintAction, $"participant {enrollment.Participant}, device {enrollment.Device}",
                "QR label printed for the hub", details);
        }
        catch (RegistryException ex)
        {
            return Problem(context, "Not recorded", "The print could not be recorded in the audit trail: " + ex.Message, StatusCodes.Status503ServiceUnavailable,
                $"{Root}/label/{device}", "Back to the label");
        }

        return SeeOther($"{Root}/label/{enrollment.Device}?print=1");
    }

    /// <summary>Null when <paramref name="device"/> is an active enrollment here (returned in <paramref name="enrollment"/>), else the page that says why not.</summary>
    private static IResult? LabelProblem(HttpContext context, IHubConsole hub, string device, out Enrollment enrollment)
    {
        enrollment = null!;
        if (!DevicePseudonym.IsValid(device))
        {
            return NotACandidate(context, device);
        }

        if (hub.Registry is not { } registry)
        {
            return Problem(context, "Onboarding needs the real radio", SimulatedMessage, StatusCodes.Status409Conflict);
        }

        var found = registry.ActiveEnrollments().FirstOrDefault(e => string.Equals(e.Device, device, StringComparison.Ordinal));
        if (found is null)
        {
            return Problem(context, "Not enrolled", $"Tracker {device} is not enrolled on this hub, so it has no label; bind it first.", StatusCodes.Status404NotFound);
        }

        enrollment = found;
        return null;
    }
}
