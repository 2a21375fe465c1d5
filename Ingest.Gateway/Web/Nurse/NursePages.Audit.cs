using System.Globalization;
using System.Text;
using Ingest.Gateway.Registry;

namespace Ingest.Gateway.Web.Nurse;

internal static partial class NursePages
{
    /// <summary>GET /nurse/audit: the newest audit entries with their actors, and whether the chain verifies.</summary>
    private static IResult AuditPage(HttpContext context, IHubConsole hub)
    {
        if (hub.Registry is not { } registry)
        {
            return Page(context, "Audit trail", Root + "/audit", "<h1>Audit trail</h1>" + SimulatedNote());
        }

        IReadOnlyList<AuditEntry> entries;
        AuditVerification verification;
        try
        {
            entries = registry.Audit.List(NurseLimits.AuditEntriesShown);
            verification = registry.Audit.Verify();
        }
        catch (RegistryException ex)
        {
            return Problem(context, "Audit trail", "The audit trail cannot be read: " + ex.Message, StatusCodes.Status503ServiceUnavailable);
        }

        var html = new StringBuilder(16384);
        html.Append("<h1>Audit trail</h1>");
        html.Append("<p id=\"audit-chain\" data-testid=\"audit-chain\" data-intact=\"").Append(verification.Intact ? "true" : "false").Append("\" class=\"message ")
            .Append(verification.Intact ? "info\">The chain verifies: " : "error\">The chain is broken at entry ");
        if (verification.Intact)
        {
            html.Append(verification.EntriesChecked.ToString(CultureInfo.InvariantCulture)).Append(" entries, none edited, deleted or reordered.");
        }
        else
        {
            html.Append(verification.BrokenSeq!.Value.ToString(CultureInfo.InvariantCulture)).Append(": ").Append(Html.Encode(verification.Problem))
                .Append(". Tell the study's data manager; 'wearable-ingest audit verify' shows the same.");
        }

        foreach (var warning in verification.Warnings)
        {
            html.Append("<br>").Append(Html.Encode(warning));
        }

        html.Append("</p><p class=\"muted\">The newest ").Append(NurseLimits.AuditEntriesShown.ToString(CultureInfo.InvariantCulture))
            .Append(" entries, newest first.</p><div class=\"scroll\"><table id=\"audit-table\" data-testid=\"audit-table\"><thead><tr><th>#</th><th>Time (UTC)</th><th>Who</th>")
            .Append("<th>What</th><th>About</th><th>Why</th></tr></thead><tbody>");
        for (var i = entries.Count - 1; i >= 0; i--)
        {
            var entry = entries[i];
            html.Append("<tr data-testid=\"audit-row\" data-seq=\"").Append(entry.Seq.ToString(CultureInfo.InvariantCulture)).Append("\"><td>")
                .Append(entry.Seq.ToString(CultureInfo.InvariantCulture)).Append("</td><td>").Append(Html.Encode(AuditTime(entry.Time))).Append("</td><td><b>")
                .Append(Html.Encode(entry.Actor)).Append("</b></td><td>").Append(Html.Encode(entry.Action)).Append("</td><td>").Append(Html.Encode(entry.Subject))
                .Append("</td><td>").Append(Html.Encode(entry.Reason)).Append("</td></tr>");
        }

        html.Append("</tbody></table></div>");
        if (entries.Count == 0)
        {
            html.Append("<p class=\"muted\">Nothing recorded yet.</p>");
        }

        return Page(context, "Audit trail", Root + "/audit", html.ToString());
    }

    /// <summary>A stored audit time (yyyy-MM-ddTHH:mm:ss.fffffffZ) to the second, for reading.</summary>
    private static string AuditTime(string stored) =>
        stored.Length >= 19 && stored[10] == 'T' ? stored[..10] + " " + stored[11..19] : stored;
}
