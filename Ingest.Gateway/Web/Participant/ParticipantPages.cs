using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Ingest.Gateway.Web.Participant;

/// <summary>
/// The participant page at <c>/</c>: one big state in plain words, colour and an icon, with the one thing to do, in the
/// participant's language (<see cref="ParticipantLanguage"/>); and <c>/api/participant-state</c>, the same as JSON for a
/// small screen and for the page's own script, which asks every <see cref="RefreshSeconds"/> and reloads when the state
/// changed. No sign-in, no data values, no identifiers: nothing here names a participant, a device, the hub or an address.
/// </summary>
internal static class ParticipantPages
{
    /// <summary>Path of the JSON state.</summary>
    public const string ApiPath = "/api/participant-state";

    /// <summary>How often the page asks for the state: often enough that a fixed tracker shows within a quarter minute.</summary>
    public const int RefreshSeconds = 15;

    /// <summary>Maps the participant page's endpoints.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // One monitor for the page and its JSON, so both say the same "since".
        var monitor = new ParticipantStateMonitor(app.Services.GetRequiredService<ParticipantOptions>());
        app.MapGet("/", (HttpContext context, IHubConsole hub, ParticipantOptions options, TimeProvider time) =>
            Page(View(context, hub, options, time, monitor))).AllowAnonymous();
        app.MapGet(ApiPath, (HttpContext context, IHubConsole hub, ParticipantOptions options, TimeProvider time) =>
            Json(View(context, hub, options, time, monitor))).AllowAnonymous();
    }

    private static ParticipantPageView View(HttpContext context, IHubConsole hub, ParticipantOptions options, TimeProvider time, ParticipantStateMonitor monitor)
    {
        var language = ParticipantLanguage.Choose(context, options);
        var now = time.GetUtcNow();
        var state = monitor.Observe(hub.Ingest, hub.Radio, now).Hub;
        var headers = context.Response.Headers;
        headers.ContentLanguage = language;
        headers.Vary = "Accept-Language, Cookie";
        return ParticipantPageView.Build(state, hub.Profiles, language, now, time.LocalTimeZone);
    }

    private static IResult Page(ParticipantPageView view)
    {
        var texts = ParticipantTexts.For(view.Language);
        var colour = ColourClass(view.Colour);
        var html = new StringBuilder(4096);
        // A stylesheet link in the body is valid HTML; the shared shell loads only site.css.
        html.Append("<link rel=\"stylesheet\" href=\"/assets/participant.css\">")
            .Append("<div class=\"participant\" data-state-key=\"").Append(view.Key).Append("\" data-refresh-seconds=\"")
            .Append(RefreshSeconds.ToString(CultureInfo.InvariantCulture)).Append("\" data-api=\"").Append(ApiPath).Append("\">");

        html.Append("<nav class=\"languages\" aria-label=\"").Append(Html.Encode(texts.LanguageLabel)).Append("\">");
        foreach (var language in ParticipantOptions.Languages)
        {
            html.Append("<a href=\"/?").Append(ParticipantLanguage.ParameterName).Append('=').Append(language).Append("\" lang=\"").Append(language)
                .Append("\" hreflang=\"").Append(language).Append('"');
            if (string.Equals(language, view.Language, StringComparison.Ordinal))
            {
                html.Append(" aria-current=\"true\"");
            }

            html.Append('>').Append(Html.Encode(ParticipantTexts.For(language).Name)).Append("</a>");
        }

        html.Append("</nav>");
        // Above the state: when the hub stops answering, what is shown below is what it last said.
        html.Append("<p class=\"no-answer\" id=\"no-answer\" role=\"alert\" hidden>").Append(Icon(ParticipantStateCode.RadioProblem, "small"))
            .Append(Html.Encode(texts.NoAnswer)).Append("</p>");
        html.Append("<section class=\"state ").Append(colour).Append("\" id=\"state\" data-state=\"").Append(ParticipantStates.WireName(view.State))
            .Append("\" role=\"status\">").Append(Icon(view.State, "icon"))
            .Append("<h1>").Append(Html.Encode(view.Title)).Append("</h1>")
            .Append("<p class=\"todo\">").Append(Html.Encode(view.Action)).Append("</p></section>");

        if (view.Trackers.Count > 0)
        {
            html.Append("<section class=\"trackers\"><h2>").Append(Html.Encode(texts.YourTrackers)).Append("</h2><ul>");
            foreach (var tracker in view.Trackers)
            {
                html.Append("<li class=\"").Append(ColourClass(ParticipantStates.ColourOf(tracker.State))).Append("\" data-state=\"")
                    .Append(ParticipantStates.WireName(tracker.State)).Append("\">").Append(Icon(tracker.State, "small"))
                    .Append("<span><span class=\"name\">").Append(Html.Encode(tracker.Name)).Append("</span> <span class=\"label\">")
                    .Append(Html.Encode(tracker.Label)).Append("</span></span></li>");
            }

            html.Append("</ul></section>");
        }

        if (view.Also.Count > 0)
        {
            html.Append("<section class=\"also\"><h2>").Append(Html.Encode(texts.Also)).Append("</h2><ul>");
            foreach (var also in view.Also)
            {
                html.Append("<li class=\"").Append(ColourClass(ParticipantStates.ColourOf(also.State))).Append("\" data-state=\"")
                    .Append(ParticipantStates.WireName(also.State)).Append("\">").Append(Icon(also.State, "small"))
                    .Append("<span><strong>").Append(Html.Encode(also.Title)).Append("</strong> ").Append(Html.Encode(also.Action)).Append("</span></li>");
            }

            html.Append("</ul></section>");
        }

        html.Append("<p class=\"checked\">").Append(Html.Encode(texts.LastChecked)).Append(" <time id=\"checked\">")
            .Append(Html.Encode(view.CheckedAt)).Append("</time></p>");
        html.Append("</div>");
        return Html.Page(texts.PageTitle, html.ToString(), view.Language, scripts: ["participant.js"]);
    }

    private static IResult Json(ParticipantPageView view)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("state", ParticipantStates.WireName(view.State));
            writer.WriteString("colour", ColourClass(view.Colour));
            writer.WriteString("since", view.Since);
            writer.WriteString("language", view.Language);
            writer.WriteString("title", view.Title);
            writer.WriteString("action", view.Action);
            writer.WriteStartArray("trackers");
            foreach (var tracker in view.Trackers)
            {
                writer.WriteStartObject();
                writer.WriteString("name", tracker.Name);
                writer.WriteString("state", ParticipantStates.WireName(tracker.State));
                writer.WriteString("label", tracker.Label);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteStartArray("also");
            foreach (var also in view.Also)
            {
                writer.WriteStartObject();
                writer.WriteString("state", ParticipantStates.WireName(also.State));
                writer.WriteString("title", also.Title);
                writer.WriteString("action", also.Action);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("key", view.Key);
            writer.WriteNumber("refreshSeconds", RefreshSeconds);
            writer.WriteEndObject();
        }

        return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/json; charset=utf-8");
    }

    /// <summary>The CSS class (and JSON word) of a colour.</summary>
    private static string ColourClass(ParticipantStateColour colour) => colour switch
    {
        ParticipantStateColour.Green => "green",
        ParticipantStateColour.Neutral => "neutral",
        ParticipantStateColour.Amber => "amber",
        _ => "red",
    };

    /// <summary>
    /// An inline icon (no request, allowed by the page's security policy), so the state never rests on colour alone: a tick,
    /// three dots, an "i", a battery, a warning triangle or a cross. Hidden from screen readers: the words say it.
    /// </summary>
    private static string Icon(ParticipantStateCode state, string cssClass)
    {
        var shape = state switch
        {
            ParticipantStateCode.Working => "<path d=\"M4 12.5l5 5L20 6.5\"/>",
            ParticipantStateCode.Connecting => "<circle cx=\"5\" cy=\"12\" r=\"1.8\" fill=\"currentColor\"/><circle cx=\"12\" cy=\"12\" r=\"1.8\" fill=\"currentColor\"/>"
                + "<circle cx=\"19\" cy=\"12\" r=\"1.8\" fill=\"currentColor\"/>",
            ParticipantStateCode.NoTracker => "<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"M12 11v6M12 7.5v.01\"/>",
            ParticipantStateCode.ChargeTracker => "<rect x=\"2\" y=\"7\" width=\"17\" height=\"10\" rx=\"2\"/><path d=\"M22 10.5v3M5.5 10v4\"/>",
            ParticipantStateCode.TrackerNotSeen => "<path d=\"M12 3L2 21h20L12 3z\"/><path d=\"M12 10v5M12 18v.01\"/>",
            _ => "<circle cx=\"12\" cy=\"12\" r=\"10\"/><path d=\"M8 8l8 8M16 8l-8 8\"/>",
        };
        return "<svg class=\"" + cssClass + "\" viewBox=\"0 0 24 24\" aria-hidden=\"true\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"2.5\" "
            + "stroke-linecap=\"round\" stroke-linejoin=\"round\">" + shape + "</svg>";
    }
}
