using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ingest.Gateway.Web.Participant;

namespace Ingest.Tests.Web.Participant;

/// <summary>
/// The participant page over HTTP: each state in each language says its words and the one thing to do, shows no
/// identifier, and the language is chosen by query, cookie, Accept-Language, then the configured default.
/// </summary>
public sealed partial class ParticipantPageTests
{
    /// <summary>What each state says (title, a piece of the action), written out here apart from the page's own table.</summary>
    private static readonly Dictionary<(string State, string Language), (string Title, string Action)> s_expected = new()
    {
        [("working", "en")] = ("Everything is working", "Nothing to do."),
        [("working", "de")] = ("Alles funktioniert", "Nichts zu tun."),
        [("working", "fr")] = ("Tout fonctionne", "Rien à faire."),
        [("connecting", "en")] = ("Connecting to your tracker", "Keep your tracker on and near the hub."),
        [("connecting", "de")] = ("Verbindung zu Ihrem Tracker wird hergestellt", "in der Nähe der Basisstation"),
        [("connecting", "fr")] = ("Connexion à votre capteur", "près du boîtier"),
        [("no-tracker", "en")] = ("No tracker set up yet", "The study team will set up your tracker."),
        [("no-tracker", "de")] = ("Noch kein Tracker eingerichtet", "Das Studienteam richtet Ihren Tracker ein."),
        [("no-tracker", "fr")] = ("Aucun capteur configuré pour l'instant", "L'équipe de l'étude configurera votre capteur."),
        [("hub-offline", "en")] = ("Hub offline from the study since 14:45", "Your data is kept safely on the hub."),
        [("hub-offline", "de")] = ("Basisstation seit 14:45 ohne Verbindung zur Studie", "Ihre Daten bleiben sicher auf der Basisstation gespeichert."),
        [("hub-offline", "fr")] = ("Boîtier déconnecté de l'étude depuis 14:45", "Vérifiez la connexion Internet du boîtier et votre box."),
        [("charge-tracker", "en")] = ("Charge your tracker", "Put it on its charger"),
        [("charge-tracker", "de")] = ("Tracker aufladen", "ans Ladegerät"),
        [("charge-tracker", "fr")] = ("Rechargez votre capteur", "Mettez-le en charge"),
        [("tracker-not-seen", "en")] = ("Tracker not seen since 15:05", "Put your tracker on, or bring it near the hub."),
        [("tracker-not-seen", "de")] = ("Tracker seit 15:05 nicht gesehen", "bringen Sie ihn in die Nähe der Basisstation"),
        [("tracker-not-seen", "fr")] = ("Capteur non détecté depuis 15:05", "approchez-le du boîtier"),
        [("tracker-blocked", "en")] = ("The hub cannot use your tracker", "Call the study team."),
        [("tracker-blocked", "de")] = ("Die Basisstation kann Ihren Tracker nicht verwenden", "Rufen Sie das Studienteam an."),
        [("tracker-blocked", "fr")] = ("Le boîtier ne peut pas utiliser votre capteur", "Appelez l'équipe de l'étude."),
        [("radio-problem", "en")] = ("The hub has a problem", "unplug it, wait 10 seconds, plug it back in. If this stays, call the study team."),
        [("radio-problem", "de")] = ("Die Basisstation hat ein Problem", "Stecker ziehen, 10 Sekunden warten, wieder einstecken."),
        [("radio-problem", "fr")] = ("Le boîtier a un problème", "attendez 10 secondes, rebranchez-le"),
        [("two-trackers", "en")] = ("Polar Verity Sense not seen since 15:05", "Put your tracker on, or bring it near the hub."),
        [("two-trackers", "de")] = ("Polar Verity Sense seit 15:05 nicht gesehen", "Legen Sie Ihren Tracker an"),
        [("two-trackers", "fr")] = ("Polar Verity Sense non détecté depuis 15:05", "Portez votre capteur"),
    };

    public static TheoryData<string, string> StatesAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var scenario in ParticipantScenarios.Names)
        {
            foreach (var language in new[] { "en", "de", "fr" })
            {
                data.Add(scenario, language);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StatesAndLanguages))]
    public async Task Page_EachStateEachLanguage_SaysItAndWhatToDoWithoutIdentifiers(string scenario, string language)
    {
        await using var rig = await StartAsync(scenario);
        using var client = rig.Client();

        using var response = await client.GetAsync($"/?lang={language}");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var text = WebUtility.HtmlDecode(html);
        var (title, action) = s_expected[(scenario, language)];
        Assert.Contains($"<html lang=\"{language}\"", html, StringComparison.Ordinal);
        Assert.Matches($"<h1>{Regex.Escape(title)}</h1>", text);
        Assert.Contains(action, text, StringComparison.Ordinal);
        var state = scenario == "two-trackers" ? "tracker-not-seen" : scenario;
        Assert.Contains($"id=\"state\" data-state=\"{state}\"", html, StringComparison.Ordinal);
        AssertNoIdentifiers(html);
    }

    [Fact]
    public async Task Page_TwoTrackers_NamesEachByItsModelAndListsTheOtherStates()
    {
        await using var rig = await StartAsync("two-trackers");
        using var client = rig.Client();

        var text = WebUtility.HtmlDecode(await client.GetStringAsync("/?lang=en"));

        Assert.Contains("<span class=\"name\">Polar H10</span> <span class=\"label\">working</span>", text, StringComparison.Ordinal);
        Assert.Contains("<span class=\"name\">Polar Verity Sense</span> <span class=\"label\">not seen since 15:05</span>", text, StringComparison.Ordinal);
        // The hub is offline too: listed under "Also" with its own words.
        Assert.Contains("<h2>Also</h2>", text, StringComparison.Ordinal);
        Assert.Contains("<strong>Hub offline from the study since 14:45</strong>", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_EveryStateHasAnIconBesideItsColour()
    {
        foreach (var scenario in ParticipantScenarios.Names)
        {
            await using var rig = await StartAsync(scenario);
            using var client = rig.Client();
            var html = await client.GetStringAsync("/");
            Assert.Matches("<section class=\"state (green|amber|red|neutral)\"[^>]*><svg class=\"icon\"", html);
        }
    }

    [Fact]
    public async Task Language_QueryChoosesAndTheCookieRemembersIt()
    {
        await using var rig = await StartAsync("working");
        using var client = rig.Client();

        using var chosen = await client.GetAsync("/?lang=fr");
        var cookie = Assert.Single(chosen.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("lang=fr;", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("fr", Assert.Single(chosen.Content.Headers.ContentLanguage));

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptLanguage.ParseAdd("de-DE");
        using var later = await client.SendAsync(request);
        var html = await later.Content.ReadAsStringAsync();

        Assert.Contains("<html lang=\"fr\"", html, StringComparison.Ordinal);
        Assert.Contains("Tout fonctionne", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de-CH, en;q=0.8", "de")]
    [InlineData("es, fr-CA;q=0.7, de;q=0.5", "fr")]
    [InlineData("en;q=0.1, de;q=0.9", "de")]
    [InlineData("es, it", "fr")]
    [InlineData("", "fr")]
    public async Task Language_WithoutQueryOrCookie_AcceptLanguageThenTheDefault(string acceptLanguage, string expected)
    {
        await using var rig = await StartAsync("working", new ParticipantOptions { Language = "fr" });
        using var client = rig.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        if (acceptLanguage.Length > 0)
        {
            request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        }

        using var response = await client.SendAsync(request);

        Assert.Contains($"<html lang=\"{expected}\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"), "only a chosen language is remembered");
    }

    [Theory]
    [InlineData("xx")]
    [InlineData("<script>")]
    [InlineData("deutsch-mit-einem-sehr-langen-zusatz-der-nicht-passt")]
    public async Task Language_UnknownInQuery_PassedOverNotRemembered(string asked)
    {
        await using var rig = await StartAsync("working", new ParticipantOptions { Language = "de" });
        using var client = rig.Client();

        using var response = await client.GetAsync("/?lang=" + Uri.EscapeDataString(asked));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<html lang=\"de\"", html, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Set-Cookie"));
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_LanguageSwitcher_LinksEveryLanguageMarksTheCurrent()
    {
        await using var rig = await StartAsync("working");
        using var client = rig.Client();

        var html = await client.GetStringAsync("/?lang=de");

        Assert.Contains("<a href=\"/?lang=en\" lang=\"en\" hreflang=\"en\">English</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/?lang=de\" lang=\"de\" hreflang=\"de\" aria-current=\"true\">Deutsch</a>", html, StringComparison.Ordinal);
        Assert.Contains("hreflang=\"fr\">Fran", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/assets/participant.js\"></script>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_StateCodeSinceAndWords_NoIdentifiers()
    {
        await using var rig = await StartAsync("two-trackers");
        using var client = rig.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, ParticipantPages.ApiPath);
        request.Headers.AcceptLanguage.ParseAdd("de");

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var json = JsonDocument.Parse(body).RootElement;

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("tracker-not-seen", json.GetProperty("state").GetString());
        Assert.Equal("amber", json.GetProperty("colour").GetString());
        Assert.Equal(ParticipantScenarios.Now.AddMinutes(-25), json.GetProperty("since").GetDateTimeOffset());
        Assert.Equal("de", json.GetProperty("language").GetString());
        Assert.Equal("Polar Verity Sense seit 15:05 nicht gesehen", json.GetProperty("title").GetString());
        Assert.Equal(["Polar H10", "Polar Verity Sense"], json.GetProperty("trackers").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal(["working", "tracker-not-seen"], json.GetProperty("trackers").EnumerateArray().Select(t => t.GetProperty("state").GetString()));
        Assert.Equal("hub-offline", Assert.Single(json.GetProperty("also").EnumerateArray()).GetProperty("state").GetString());
        Assert.Equal(ParticipantPages.RefreshSeconds, json.GetProperty("refreshSeconds").GetInt32());
        AssertNoIdentifiers(body);
    }

    [Fact]
    public async Task Api_Key_SameWhileNothingChangesNewWhenTheStateDoes()
    {
        await using var rig = await StartAsync("working");
        using var client = rig.Client();

        var first = await KeyAsync(client);
        var again = await KeyAsync(client);
        ParticipantScenarios.Set(rig.Hub, "charge-tracker");
        var changed = await KeyAsync(client);

        Assert.Equal(first, again);
        Assert.NotEqual(first, changed);
        Assert.Contains($"data-state-key=\"{changed}\"", await client.GetStringAsync("/"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_DuplicateModels_Numbered()
    {
        await using var rig = await StartAsync("working");
        var one = rig.Hub.Radio.Trackers[0];
        rig.Hub.Radio = rig.Hub.Radio with { Trackers = [one, one with { Device = ParticipantScenarios.SecondDevicePseudonym, BatteryPercent = 5 }] };
        using var client = rig.Client();

        var text = WebUtility.HtmlDecode(await client.GetStringAsync("/?lang=fr"));

        Assert.Contains("<h1>Rechargez votre Polar H10 2</h1>", text, StringComparison.Ordinal);
        Assert.Contains("<span class=\"name\">Polar H10 1</span>", text, StringComparison.Ordinal);
        AssertNoIdentifiers(text);
    }

    internal static void AssertNoIdentifiers(string content)
    {
        foreach (var identifier in ParticipantScenarios.Identifiers)
        {
            Assert.DoesNotContain(identifier, content, StringComparison.OrdinalIgnoreCase);
        }

        Assert.DoesNotMatch(RadioAddress(), content);
        Assert.DoesNotContain("192.0.2.10", content, StringComparison.Ordinal);
    }

    private static async Task<string?> KeyAsync(HttpClient client) =>
        JsonDocument.Parse(await client.GetStringAsync(ParticipantPages.ApiPath)).RootElement.GetProperty("key").GetString();

    private static Task<WebRig> StartAsync(string scenario, ParticipantOptions? options = null) =>
        WebRig.StartAsync(ParticipantScenarios.Hub(scenario), participant: options, time: new ParticipantClock(ParticipantScenarios.Now, ParticipantScenarios.Zone));

    [GeneratedRegex("([0-9A-Fa-f]{2}[:-]){5}[0-9A-Fa-f]{2}")]
    private static partial Regex RadioAddress();
}
