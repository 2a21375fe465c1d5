using System.Globalization;
using System.Text;
using Ingest.Gateway.Registry;

namespace Ingest.Gateway.Web.Nurse;

internal static partial class NursePages
{
    /// <summary>What the nurse reads when a tracker stops answering during a check (page and nurse-check.js).</summary>
    internal const string LostAdvice = "Bring it closer to the hub, check it is charged and worn, then check again.";

    /// <summary>GET /nurse/check/{candidate}: the live check now (nurse-check.js redraws it every second).</summary>
    private static IResult CheckPage(HttpContext context, IHubConsole hub, TimeProvider time, string candidate)
    {
        if (CandidateProblem(context, hub, candidate) is { } problem)
        {
            return problem;
        }

        var view = hub.LiveCheck(candidate);
        var tracker = hub.Nearby().FirstOrDefault(t => string.Equals(t.Candidate, candidate, StringComparison.Ordinal));
        if (view is null && tracker is null)
        {
            return TrackerGone(context, candidate);
        }

        var html = new StringBuilder(8192);
        html.Append("<h1>Live check</h1><p>Tracker <b>").Append(Html.Encode(tracker?.Name ?? candidate)).Append("</b> <small class=\"muted\">")
            .Append(Html.Encode(candidate)).Append("</small>, ").Append(Html.Encode(ProfileName(hub, view?.ProfileId ?? tracker!.ProfileId))).Append("</p>");
        if (tracker?.Participant is { } participant)
        {
            html.Append("<p class=\"message warning\">This tracker is already enrolled to participant <b>").Append(Html.Encode(participant))
                .Append("</b>; the hub shows its data as that participant's.</p>");
        }

        if (view is null)
        {
            html.Append("<p>The hub connects the tracker for a few minutes and shows its streams here; nothing it sends now is kept.</p>")
                .Append(ButtonForm(context, $"{Root}/check/{candidate}", "Start live check", "check-start"));
            return Page(context, "Live check", Root, html.ToString());
        }

        html.Append("<div id=\"check\" data-candidate=\"").Append(Html.Encode(candidate)).Append("\" data-state=\"").Append(CheckStateText(view.State)).Append("\">")
            .Append("<p class=\"status-line\">State <span id=\"check-state\" data-testid=\"check-state\" class=\"badge ").Append(CheckStateClass(view.State)).Append("\">")
            .Append(CheckStateText(view.State)).Append("</span> Battery <span id=\"check-battery\" data-testid=\"check-battery\">").Append(BatteryHtml(view.BatteryPercent))
            .Append("</span> <span id=\"check-ends\" class=\"muted\">").Append(Html.Encode(EndsText(view, time.GetUtcNow()))).Append("</span></p>")
            .Append("<p id=\"check-problem\" data-testid=\"check-problem\" class=\"muted\"").Append(view.Problem is null ? " hidden>" : ">")
            .Append(Html.Encode(view.Problem)).Append("</p>");

        var lost = view.State is LiveCheckState.Lost or LiveCheckState.Failed or LiveCheckState.Ended;
        html.Append("<div id=\"check-lost\" data-testid=\"check-lost\" class=\"message error\"").Append(lost ? ">" : " hidden>")
            .Append("<p id=\"check-lost-text\">").Append(Html.Encode(LostText(view.State, view.Problem))).Append("</p>")
            .Append(ButtonForm(context, $"{Root}/check/{candidate}", "Check again", "check-retry")).Append("</div>");

        html.Append("<div class=\"scroll\"><table class=\"cards\" id=\"streams\" data-testid=\"streams\"><thead><tr><th>Stream</th><th>Samples/s</th><th>Samples</th><th>Last seconds</th></tr></thead><tbody>");
        foreach (var stream in view.Streams)
        {
            AppendStreamRow(html, stream, view.State == LiveCheckState.Connecting);
        }

        html.Append("</tbody></table></div>")
            .Append("<p id=\"streams-empty\" class=\"muted\"").Append(view.Streams.Count == 0 ? ">" : " hidden>")
            .Append("Connecting to the tracker and starting its streams…</p>")
            .Append("<noscript><p class=\"muted\">Reload the page to see the latest numbers.</p></noscript>")
            .Append("<p class=\"muted\">Green: at least ").Append((NurseLimits.GoodRateFraction * 100).ToString("0", CultureInfo.InvariantCulture))
            .Append(" % of the samples the profile promises arrive; amber: at least ").Append((NurseLimits.FairRateFraction * 100).ToString("0", CultureInfo.InvariantCulture))
            .Append(" % (bring it closer); red: fewer.</p></div>");

        html.Append("<div class=\"actions\"><a class=\"button big\" id=\"bind-link\" data-testid=\"bind-link\" href=\"").Append(Root).Append("/bind/")
            .Append(Html.Encode(candidate)).Append("\">Bind to a participant</a>")
            .Append(ButtonForm(context, $"{Root}/check/{candidate}/stop", "Stop", "check-stop", "big secondary")).Append("</div>");
        return Page(context, "Live check", Root, html.ToString(), ["nurse-check.js"]);
    }

    private static void AppendStreamRow(StringBuilder html, LiveStreamView stream, bool connecting)
    {
        var verdict = NurseLimits.RateVerdict(stream.ExpectedRate, stream.MeasuredRate, stream.Samples, connecting);
        var id = Html.Encode(stream.Stream);
        html.Append("<tr data-testid=\"stream-row\" data-stream=\"").Append(id).Append("\"><td><b>").Append(id).Append("</b><br><small class=\"muted\">")
            .Append(Html.Encode(ColumnText(stream))).Append("</small></td><td><span data-testid=\"stream-verdict\" data-verdict=\"").Append(verdict)
            .Append("\" class=\"badge ").Append(verdict).Append("\">").Append(VerdictText(verdict)).Append("</span> <span data-testid=\"stream-rate\">")
            .Append(Html.Encode(RateText(stream))).Append("</span></td><td data-testid=\"stream-samples\">")
            .Append(stream.Samples.ToString("N0", CultureInfo.InvariantCulture)).Append("</td><td><canvas data-testid=\"stream-chart\" class=\"chart\" width=\"320\" height=\"80\" aria-label=\"")
            .Append(Html.Encode(ColumnText(stream))).Append(", last seconds\"></canvas></td></tr>");
    }

    /// <summary>POST /nurse/check/{candidate}: starts (or extends) a live check under the signed-in name, then shows it.</summary>
    private static async Task<IResult> StartCheckAsync(HttpContext context, IHubConsole hub, string candidate)
    {
        if (await ReadFormAsync(context).ConfigureAwait(false) is null)
        {
            return FormRefused(context, Root);
        }

        if (CandidateProblem(context, hub, candidate) is { } problem)
        {
            return problem;
        }

        return hub.StartLiveCheck(candidate, StaffOf(context)) is null ? TrackerGone(context, candidate) : SeeOther($"{Root}/check/{candidate}");
    }

    /// <summary>POST /nurse/check/{candidate}/stop: ends the check (the link drops at once) and goes back to Find.</summary>
    private static async Task<IResult> StopCheckAsync(HttpContext context, IHubConsole hub, string candidate)
    {
        if (await ReadFormAsync(context).ConfigureAwait(false) is null)
        {
            return FormRefused(context, Root);
        }

        if (!DevicePseudonym.IsValid(candidate))
        {
            return NotACandidate(context, candidate);
        }

        hub.StopLiveCheck(candidate);
        return SeeOther(Root);
    }

    /// <summary>GET /nurse/api/check/{candidate}: the check now, for nurse-check.js; 404 with a message when there is none.</summary>
    private static IResult CheckJson(IHubConsole hub, TimeProvider time, string candidate)
    {
        var view = DevicePseudonym.IsValid(candidate) ? hub.LiveCheck(candidate) : null;
        if (view is null)
        {
            return Json(writer =>
            {
                writer.WriteBoolean("lost", true);
                writer.WriteString("message", LostText(LiveCheckState.Lost, "no tracker near the hub has that id any more"));
            }, StatusCodes.Status404NotFound);
        }

        var now = time.GetUtcNow();
        var connecting = view.State == LiveCheckState.Connecting;
        return Json(writer =>
        {
            writer.WriteString("candidate", view.Candidate);
            writer.WriteString("state", CheckStateText(view.State));
            writer.WriteString("stateClass", CheckStateClass(view.State));
            writer.WriteString("problem", view.Problem);
            WriteNumberOrNull(writer, "battery", view.BatteryPercent);
            writer.WriteBoolean("batteryLow", view.BatteryPercent < NurseLimits.LowBatteryPercent);
            writer.WriteString("ends", EndsText(view, now));
            var lost = view.State is LiveCheckState.Lost or LiveCheckState.Failed or LiveCheckState.Ended;
            writer.WriteBoolean("lost", lost);
            writer.WriteString("message", lost ? LostText(view.State, view.Problem) : null);
            writer.WriteStartArray("streams");
            foreach (var stream in view.Streams)
            {
                writer.WriteStartObject();
                writer.WriteString("stream", stream.Stream);
                writer.WriteString("column", ColumnText(stream));
                writer.WriteString("rate", RateText(stream));
                var verdict = NurseLimits.RateVerdict(stream.ExpectedRate, stream.MeasuredRate, stream.Samples, connecting);
                writer.WriteString("verdict", verdict);
                writer.WriteString("verdictText", VerdictText(verdict));
                writer.WriteString("samples", stream.Samples.ToString("N0", CultureInfo.InvariantCulture));
                writer.WriteStartArray("recent");
                // At most LiveStreamView.MaxRecent points: the hub's contract; a longer list is cut, not trusted.
                var recent = stream.Recent;
                for (var i = Math.Max(0, recent.Count - LiveStreamView.MaxRecent); i < recent.Count; i++)
                {
                    var value = recent[i];
                    if (double.IsFinite(value))
                    {
                        writer.WriteNumberValue(value);
                    }
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        });
    }

    /// <summary>Null when <paramref name="candidate"/> may be used here; else the page that says why not.</summary>
    private static IResult? CandidateProblem(HttpContext context, IHubConsole hub, string candidate)
    {
        if (!DevicePseudonym.IsValid(candidate))
        {
            return NotACandidate(context, candidate);
        }

        return hub.Registry is null
            ? Problem(context, "Onboarding needs the real radio", SimulatedMessage, StatusCodes.Status409Conflict)
            : null;
    }

    private static IResult NotACandidate(HttpContext context, string candidate) =>
        Problem(context, "No such tracker", $"'{TrackerAddress.Redact(candidate.Length > 40 ? candidate[..40] + "…" : candidate)}' is not a tracker id " +
            "(they look like dev- and 16 letters and digits); pick the tracker on Find trackers.", StatusCodes.Status404NotFound);

    private static IResult TrackerGone(HttpContext context, string candidate) =>
        Problem(context, "The tracker stopped answering",
            $"No tracker near the hub has the id {candidate} any more: it stopped advertising or went out of range. " + LostAdvice,
            StatusCodes.Status404NotFound, Root, "Find trackers again");

    private static string LostText(LiveCheckState state, string? problem) => state switch
    {
        LiveCheckState.Ended => "The check has ended (stopped, or it ran its time). Check again to see the signal once more.",
        LiveCheckState.Failed => "The hub could not set up the tracker" + (problem is null ? ". " : $" ({problem}). ") + LostAdvice,
        _ => "The tracker stopped answering" + (problem is null ? ". " : $" ({problem}). ") + LostAdvice,
    };

    private static string CheckStateText(LiveCheckState state) => state switch
    {
        LiveCheckState.Connecting => "connecting",
        LiveCheckState.Streaming => "streaming",
        LiveCheckState.Lost => "lost",
        LiveCheckState.Failed => "failed",
        LiveCheckState.Ended => "ended",
        _ => state.ToString(),
    };

    private static string CheckStateClass(LiveCheckState state) => state switch
    {
        LiveCheckState.Streaming => "ok",
        LiveCheckState.Connecting => "warn",
        LiveCheckState.Ended => "",
        _ => "bad",
    };

    private static string VerdictText(string verdict) => verdict switch
    {
        "ok" => "good",
        "warn" => "losing data",
        _ => "too few",
    };

    private static string ColumnText(LiveStreamView stream) => stream.Unit is { Length: > 0 } unit ? $"{stream.Column} ({unit})" : stream.Column;

    private static string RateText(LiveStreamView stream) => stream.ExpectedRate is { } expected
        ? string.Create(CultureInfo.InvariantCulture, $"{stream.MeasuredRate:0.0} of {expected:0.#} per s")
        : string.Create(CultureInfo.InvariantCulture, $"{stream.MeasuredRate:0.0} per s (irregular)");

    private static string EndsText(LiveCheckView view, DateTimeOffset now)
    {
        if (view.EndsNs <= 0 || view.State is LiveCheckState.Ended)
        {
            return "";
        }

        var seconds = (view.EndsNs / 1e9) - (now - DateTimeOffset.UnixEpoch).TotalSeconds;
        return seconds <= 0 ? "" : string.Create(CultureInfo.InvariantCulture, $"ends in {Math.Ceiling(seconds / 60):0} min unless checked again");
    }
}
