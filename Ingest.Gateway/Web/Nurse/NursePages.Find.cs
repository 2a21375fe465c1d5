using System.Globalization;
using System.Text;
using System.Text.Json;
using Ingest.Gateway.Radio;
using Ingest.Gateway.Registry;
using Ingest.Gateway.Web.Staff;

namespace Ingest.Gateway.Web.Nurse;

internal static partial class NursePages
{
    /// <summary>GET /nurse: nearby trackers (redrawn every 2 s by nurse-find.js) and the enrolled trackers' links.</summary>
    private static IResult FindPage(HttpContext context, IHubConsole hub, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var canOnboard = hub.Registry is not null;
        var html = new StringBuilder(8192);
        html.Append("<h1>Find trackers</h1>");
        if (context.Request.Query["unenrolled"].ToString() is { Length: > 0 } unenrolled && DevicePseudonym.IsValid(unenrolled))
        {
            html.Append("<p class=\"message info\" id=\"page-message\" data-testid=\"page-message\">Unenrolled tracker ")
                .Append(Html.Encode(unenrolled)).Append(": the hub no longer connects it. The audit trail records it under your name.</p>");
        }

        if (!canOnboard)
        {
            html.Append(SimulatedNote());
        }

        html.Append("<p class=\"muted\">Trackers the hub hears now, strongest signal first. Put the tracker on, close to the hub, then press <b>Check signal</b>. ")
            .Append("<span id=\"nearby-updated\" data-testid=\"nearby-updated\">Updated ").Append(Html.Encode(now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)))
            .Append(" UTC</span>.</p>")
            .Append("<p class=\"message error\" id=\"session-ended\" data-testid=\"session-ended\" hidden>Your session has ended: <a href=\"/nurse\">sign in again</a>.</p>");

        // nurse-find.js copies this form (with its anti-forgery token) for the "Check signal" buttons of the rows it draws.
        html.Append("<form id=\"check-template\" method=\"post\" hidden>").Append(StaffSignIn.AntiforgeryField(context)).Append("</form>");
        html.Append("<div class=\"scroll\"><table class=\"cards\" id=\"nearby-table\" data-testid=\"nearby-table\" data-can-onboard=\"")
            .Append(canOnboard ? "true" : "false")
            .Append("\"><thead><tr><th>Tracker</th><th>Profile</th><th>Signal</th><th>Battery</th><th>Enrolled</th><th></th></tr></thead><tbody>");
        var nearby = hub.Nearby();
        foreach (var tracker in nearby)
        {
            AppendNearbyRow(html, context, hub, tracker, canOnboard);
        }

        html.Append("</tbody></table></div>");
        html.Append("<p id=\"nearby-empty\" class=\"muted\"").Append(nearby.Count == 0 ? "" : " hidden")
            .Append(">No tracker heard yet. Check that it is charged and switched on (some wake when worn), and hold it near the hub.</p>");

        html.Append("<h2>Enrolled trackers</h2><div class=\"scroll\"><table class=\"cards\" id=\"enrolled-table\" data-testid=\"enrolled-table\"><thead><tr><th>Participant</th><th>Tracker</th>")
            .Append("<th>State</th><th>Last data</th><th>Battery</th><th></th></tr></thead><tbody>");
        foreach (var tracker in hub.Radio.Trackers)
        {
            AppendEnrolledRow(html, hub, tracker, now, canOnboard);
        }

        html.Append("</tbody></table></div>");
        html.Append("<p id=\"enrolled-empty\" class=\"muted\"").Append(hub.Radio.Trackers.Count == 0 ? "" : " hidden").Append(">No tracker is enrolled on this hub yet.</p>");
        return Page(context, "Find trackers", Root, html.ToString(), ["nurse-find.js"]);
    }

    private static void AppendNearbyRow(StringBuilder html, HttpContext context, IHubConsole hub, NearbyTracker tracker, bool canOnboard)
    {
        html.Append("<tr data-testid=\"nearby-row\" data-candidate=\"").Append(Html.Encode(tracker.Candidate)).Append("\"><td>")
            .Append(Html.Encode(tracker.Name ?? "(no name)")).Append("<br><small class=\"muted\">").Append(Html.Encode(tracker.Candidate)).Append("</small></td><td>")
            .Append(Html.Encode(ProfileName(hub, tracker.ProfileId))).Append("</td><td>").Append(SignalHtml(tracker.Rssi)).Append("</td><td>")
            .Append(BatteryHtml(tracker.BatteryPercent)).Append("</td><td>");
        if (tracker.Participant is { } participant)
        {
            html.Append("<span class=\"badge ok\">").Append(Html.Encode(participant)).Append("</span>");
        }
        else
        {
            html.Append("<span class=\"muted\">not enrolled</span>");
        }

        html.Append("</td><td>");
        if (tracker.Participant is null && canOnboard)
        {
            html.Append(ButtonForm(context, $"{Root}/check/{tracker.Candidate}", "Check signal", "check-button"));
        }

        html.Append("</td></tr>");
    }

    private static void AppendEnrolledRow(StringBuilder html, IHubConsole hub, TrackerStatus tracker, DateTimeOffset now, bool canOnboard)
    {
        var device = Html.Encode(tracker.Device);
        html.Append("<tr data-testid=\"enrolled-row\" data-device=\"").Append(device).Append("\"><td><b>").Append(Html.Encode(tracker.Participant))
            .Append("</b></td><td>").Append(Html.Encode(ProfileName(hub, tracker.ProfileId))).Append("<br><small class=\"muted\">").Append(device)
            .Append("</small></td><td><span class=\"badge ").Append(StateClass(tracker.State)).Append("\">").Append(StateText(tracker.State)).Append("</span>");
        if (tracker.Problem is { } problem)
        {
            html.Append("<br><small>").Append(Html.Encode(problem)).Append("</small>");
        }

        html.Append("</td><td>").Append(Html.Encode(Ago(tracker.LastDataNs, now, "none yet"))).Append("</td><td>").Append(BatteryHtml(tracker.BatteryPercent))
            .Append("</td><td>");
        if (canOnboard)
        {
            html.Append("<a class=\"button secondary\" data-testid=\"label-link\" href=\"").Append(Root).Append("/label/").Append(device).Append("\">Label</a>")
                .Append("<a class=\"button secondary\" data-testid=\"unenroll-link\" href=\"").Append(Root).Append("/unenroll/").Append(device).Append("\">Unenroll</a>");
        }

        html.Append("</td></tr>");
    }

    /// <summary>GET /nurse/api/nearby: what the find page shows, for nurse-find.js.</summary>
    private static IResult NearbyJson(IHubConsole hub, TimeProvider time)
    {
        var now = time.GetUtcNow();
        var nearby = hub.Nearby();
        var enrolled = hub.Radio.Trackers;
        return Json(writer =>
        {
            writer.WriteString("updated", now.ToString("HH:mm:ss", CultureInfo.InvariantCulture) + " UTC");
            writer.WriteBoolean("canOnboard", hub.Registry is not null);
            writer.WriteStartArray("nearby");
            foreach (var tracker in nearby)
            {
                writer.WriteStartObject();
                writer.WriteString("candidate", tracker.Candidate);
                writer.WriteString("name", tracker.Name ?? "(no name)");
                writer.WriteString("profile", ProfileName(hub, tracker.ProfileId));
                WriteNumberOrNull(writer, "rssi", tracker.Rssi);
                writer.WriteNumber("bars", NurseLimits.Bars(tracker.Rssi));
                WriteNumberOrNull(writer, "battery", tracker.BatteryPercent);
                writer.WriteBoolean("batteryLow", tracker.BatteryPercent < NurseLimits.LowBatteryPercent);
                writer.WriteString("participant", tracker.Participant);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("enrolled");
            foreach (var tracker in enrolled)
            {
                writer.WriteStartObject();
                writer.WriteString("device", tracker.Device);
                writer.WriteString("participant", tracker.Participant);
                writer.WriteString("profile", ProfileName(hub, tracker.ProfileId));
                writer.WriteString("state", StateText(tracker.State));
                writer.WriteString("stateClass", StateClass(tracker.State));
                writer.WriteString("problem", tracker.Problem);
                writer.WriteString("lastData", Ago(tracker.LastDataNs, now, "none yet"));
                WriteNumberOrNull(writer, "battery", tracker.BatteryPercent);
                writer.WriteBoolean("batteryLow", tracker.BatteryPercent < NurseLimits.LowBatteryPercent);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, short? value) => WriteNumberOrNull(writer, name, (int?)value);

    /// <summary>Signal as bars (CSS) and dBm; "—" when unknown. nurse-find.js draws the same markup.</summary>
    private static string SignalHtml(short? rssi)
    {
        var bars = NurseLimits.Bars(rssi);
        var html = new StringBuilder("<span class=\"bars bars-").Append(bars.ToString(CultureInfo.InvariantCulture))
            .Append("\" role=\"img\" aria-label=\"").Append(bars.ToString(CultureInfo.InvariantCulture)).Append(" of 4 bars\">");
        for (var i = 1; i <= 4; i++)
        {
            html.Append("<i></i>");
        }

        html.Append("</span> ").Append(rssi is { } dbm ? dbm.ToString(CultureInfo.InvariantCulture) + " dBm" : "—");
        return html.ToString();
    }

    private static string BatteryHtml(int? percent) => percent switch
    {
        null => "<span class=\"muted\">unknown</span>",
        < NurseLimits.LowBatteryPercent => $"<span class=\"bad\">{percent.Value.ToString(CultureInfo.InvariantCulture)} % (charge it)</span>",
        _ => $"{percent.Value.ToString(CultureInfo.InvariantCulture)} %",
    };

    private static string StateText(TrackerLinkState state) => state switch
    {
        TrackerLinkState.NotSeen => "not seen",
        TrackerLinkState.Waiting => "waiting",
        TrackerLinkState.Connecting => "connecting",
        TrackerLinkState.Streaming => "streaming",
        TrackerLinkState.Blocked => "blocked",
        _ => state.ToString(),
    };

    private static string StateClass(TrackerLinkState state) => state switch
    {
        TrackerLinkState.Streaming => "ok",
        TrackerLinkState.Waiting or TrackerLinkState.Connecting => "warn",
        _ => "bad",
    };
}
