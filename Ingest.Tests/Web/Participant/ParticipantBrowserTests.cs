using Microsoft.Playwright;

namespace Ingest.Tests.Web.Participant;

/// <summary>
/// The participant page in Debian's chromium at phone size (and a small screen by the hub): each state renders large,
/// fits the width, and is saved for docs/web.md; the page follows a change of state by itself and says when the hub
/// stops answering.
/// </summary>
public sealed class ParticipantBrowserTests(Browser browser) : IClassFixture<Browser>
{
    /// <summary>A small screen propped next to the hub (a 3.5" display), CSS pixels.</summary>
    private static readonly ViewportSize s_smallScreen = new() { Width = 480, Height = 320 };

    [Theory]
    [InlineData("working", "en", "Everything is working", "participant-working-phone")]
    [InlineData("tracker-not-seen", "en", "Tracker not seen since 15:05", "participant-not-seen-phone")]
    [InlineData("charge-tracker", "de", "Tracker aufladen", "participant-charge-de-phone")]
    [InlineData("hub-offline", "fr", "Boîtier déconnecté de l'étude depuis 14:45", "participant-offline-fr-phone")]
    [InlineData("no-tracker", "en", "No tracker set up yet", "participant-no-tracker-phone")]
    [InlineData("radio-problem", "de", "Die Basisstation hat ein Problem", "participant-radio-problem-de-phone")]
    [InlineData("connecting", "fr", "Connexion à votre capteur", "participant-connecting-fr-phone")]
    [InlineData("tracker-blocked", "en", "The hub cannot use your tracker", "participant-blocked-phone")]
    [InlineData("two-trackers", "en", "Polar Verity Sense not seen since 15:05", "participant-two-trackers-phone")]
    public async Task Phone_EachState_LargeFitsTheWidthAndIsSavedForTheDocs(string scenario, string language, string title, string screenshot)
    {
        await using var rig = await StartAsync(scenario);
        var page = await browser.NewPageAsync(Browser.Phone);

        await page.GotoAsync(new Uri(rig.BaseAddress, "/?lang=" + language).ToString());

        await AssertShownAsync(page, title, Browser.Phone.Width);
        await Browser.ScreenshotForDocsAsync(page, screenshot);
    }

    [Fact]
    public async Task SmallScreen_Working_FitsAndIsSavedForTheDocs()
    {
        await using var rig = await StartAsync("working");
        var page = await browser.NewPageAsync(s_smallScreen);

        await page.GotoAsync(rig.BaseAddress.ToString());

        await AssertShownAsync(page, "Everything is working", s_smallScreen.Width);
        await Browser.ScreenshotForDocsAsync(page, "participant-working-small-screen");
    }

    [Fact]
    public async Task BrowserLanguage_German_PageInGermanWithoutAsking()
    {
        await using var rig = await StartAsync("tracker-not-seen");
        var page = await browser.NewPageAsync(Browser.Phone, locale: "de-DE");

        await page.GotoAsync(rig.BaseAddress.ToString());

        Assert.Equal("Tracker seit 15:05 nicht gesehen", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("de", await page.Locator("html").GetAttributeAsync("lang"));
    }

    [Fact]
    public async Task LanguageSwitcher_Click_SwitchesAndIsRemembered()
    {
        await using var rig = await StartAsync("working");
        var page = await browser.NewPageAsync(Browser.Phone, locale: "en-GB");
        await page.GotoAsync(rig.BaseAddress.ToString());

        await page.GetByRole(AriaRole.Link, new() { Name = "Français" }).ClickAsync();
        await page.WaitForURLAsync("**/?lang=fr");
        Assert.Equal("Tout fonctionne", await page.Locator("h1").InnerTextAsync());

        await page.GotoAsync(rig.BaseAddress.ToString());
        Assert.Equal("Tout fonctionne", await page.Locator("h1").InnerTextAsync());
    }

    [Fact]
    public async Task OpenPage_StateChanges_PageFollowsByItself_ThenSaysWhenTheHubStopsAnswering()
    {
        var rig = await StartAsync("working");
        IPage page;
        try
        {
            page = await browser.NewPageAsync(Browser.Phone);
            await page.GotoAsync(rig.BaseAddress.ToString());
            Assert.Equal("Everything is working", await page.Locator("h1").InnerTextAsync());
            Assert.False(await page.Locator("#no-answer").IsVisibleAsync());

            ParticipantScenarios.Set(rig.Hub, "charge-tracker");

            // The script asks every 15 s; a loaded machine gets three times that.
            await page.Locator("h1", new() { HasText = "Charge your tracker" }).WaitForAsync(new() { Timeout = 3 * ParticipantPagesRefreshMs });
        }
        finally
        {
            await rig.DisposeAsync();
        }

        await page.Locator("#no-answer").WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = 3 * ParticipantPagesRefreshMs });
        Assert.Contains("The hub does not answer", await page.Locator("#no-answer").InnerTextAsync(), StringComparison.Ordinal);
        // What it last knew stays on the page beneath the notice.
        Assert.Equal("Charge your tracker", await page.Locator("h1").InnerTextAsync());
        await Browser.ScreenshotForDocsAsync(page, "participant-no-answer-phone");
    }

    private const float ParticipantPagesRefreshMs = Ingest.Gateway.Web.Participant.ParticipantPages.RefreshSeconds * 1000f;

    /// <summary>The title is there, in large type, and nothing is wider than the screen.</summary>
    private static async Task AssertShownAsync(IPage page, string title, int width)
    {
        var heading = page.Locator("h1");
        Assert.Equal(title, await heading.InnerTextAsync());
        Assert.True(await heading.IsVisibleAsync());
        var fontSize = await heading.EvaluateAsync<double>("e => parseFloat(getComputedStyle(e).fontSize)");
        Assert.True(fontSize >= 30, $"the state's title is {fontSize}px; it must read from across a room (30px or more)");
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(scrollWidth <= width, $"the page is {scrollWidth}px wide on a {width}px screen");
        Assert.False(await page.Locator("#no-answer").IsVisibleAsync());
        ParticipantPageTests.AssertNoIdentifiers(await page.ContentAsync());
    }

    private static Task<WebRig> StartAsync(string scenario) =>
        WebRig.StartAsync(ParticipantScenarios.Hub(scenario), time: new ParticipantClock(ParticipantScenarios.Now, ParticipantScenarios.Zone));
}
