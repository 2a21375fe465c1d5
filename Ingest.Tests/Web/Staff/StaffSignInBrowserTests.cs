using Ingest.Gateway.Registry;
using Ingest.Gateway.Web;
using Microsoft.Playwright;
using static Ingest.Tests.Web.Staff.StaffTestSupport;

namespace Ingest.Tests.Web.Staff;

/// <summary>
/// The sign-in page in Debian's chromium: what a nurse sees for the right credentials, a wrong password, a wrong code, a
/// lockout and an expired session, with the one-time codes computed here as an authenticator app would.
/// </summary>
public sealed class StaffSignInBrowserTests(Browser browser) : IClassFixture<Browser>
{
    private sealed record Hub(WebRig Rig, EnrollmentRegistry Registry, byte[] Secret, TestClock Clock) : IAsyncDisposable
    {
        public string Url(string path) => new Uri(Rig.BaseAddress, path).ToString();

        public string CodeNow() => Code(Secret, Clock.GetUtcNow());

        public async ValueTask DisposeAsync()
        {
            await Rig.DisposeAsync();
            Registry.Dispose();
        }
    }

    private static async Task<Hub> StartAsync(string purpose)
    {
        var data = Support.Peers.NewScratchDirectory(purpose);
        var clock = TestClock.AtStepMiddle();
        var (registry, secret) = RegistryWithStaff(data, clock);
        var rig = await WebRig.StartAsync(new FakeHubConsole(data, registry), new WebOptions { Urls = ["http://127.0.0.1:0"], SessionIdleTimeout = TimeSpan.FromMinutes(15) }, time: clock);
        return new Hub(rig, registry, secret, clock);
    }

    private static async Task SubmitAsync(IPage page, string name, string password, string code)
    {
        await page.FillAsync("#name", name);
        await page.FillAsync("#password", password);
        await page.FillAsync("#code", code);
        // The POST's answer (a page, or the redirect after a sign-in), then the page it leads to. Generous: a sign-in
        // hashes the password (600,000 PBKDF2 rounds) on a shared, busy machine.
        var answered = page.WaitForResponseAsync(r => r.Request.Method == "POST" && r.Url.EndsWith("/nurse/sign-in", StringComparison.Ordinal),
            new PageWaitForResponseOptions { Timeout = 60_000 });
        await page.ClickAsync("button[type=submit]");
        await answered;
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new PageWaitForLoadStateOptions { Timeout = 60_000 });
    }

    private static async Task<string> AlertAsync(IPage page) => (await page.Locator(".message").InnerTextAsync()).Trim();

    [Fact]
    public async Task SignIn_WithTheCurrentCode_ReachesTheNursePage_ScreenshotsForTheDocs()
    {
        await using var hub = await StartAsync("staff-browser");
        var page = await browser.NewPageAsync(Browser.Tablet);

        await page.GotoAsync(hub.Url("/nurse/whoami"));
        Assert.EndsWith("/nurse/sign-in?return=%2Fnurse%2Fwhoami", page.Url, StringComparison.Ordinal);
        Assert.Equal("Staff sign-in", await page.TitleAsync());
        Assert.Equal("numeric", await page.GetAttributeAsync("#code", "inputmode"));
        Assert.Equal("one-time-code", await page.GetAttributeAsync("#code", "autocomplete"));
        Assert.Equal("username", await page.GetAttributeAsync("#name", "autocomplete"));
        await Browser.ScreenshotForDocsAsync(page, "sign-in-tablet");
        var phone = await browser.NewPageAsync(Browser.Phone);
        await phone.GotoAsync(hub.Url("/nurse/sign-in"));
        await Browser.ScreenshotForDocsAsync(phone, "sign-in-phone");

        await SubmitAsync(page, "nurse.jones", Password, hub.CodeNow());

        Assert.EndsWith("/nurse/whoami", page.Url, StringComparison.Ordinal);
        Assert.Equal("nurse.jones", (await page.InnerTextAsync("body")).Trim());
        Assert.Equal(AuditActions.SignIn, hub.Registry.Audit.List(1)[0].Action);
    }

    [Fact]
    public async Task WrongPasswordThenWrongCode_EachSaysWhatIsWrong()
    {
        await using var hub = await StartAsync("staff-browser-wrong");
        var page = await browser.NewPageAsync(Browser.Tablet);
        await page.GotoAsync(hub.Url("/nurse/sign-in"));

        await SubmitAsync(page, "nurse.jones", "not my password", hub.CodeNow());
        var wrongPassword = await AlertAsync(page);
        Assert.Equal("nurse.jones", await page.InputValueAsync("#name"));
        Assert.Equal("", await page.InputValueAsync("#password"));

        var wrongCode = Code(hub.Secret, hub.Clock.GetUtcNow().AddMinutes(-5));
        await SubmitAsync(page, "nurse.jones", Password, wrongCode);
        var codeMessage = await AlertAsync(page);
        await Browser.ScreenshotForDocsAsync(page, "sign-in-wrong-code");

        Assert.Equal("The name or password is not right. Check both (the password is case-sensitive) and try again.", wrongPassword);
        Assert.StartsWith("The code is not right, has expired, or was already used: use the current code from the authenticator app", codeMessage, StringComparison.Ordinal);
        Assert.Contains("check the tablet's clock", codeMessage, StringComparison.Ordinal);
        Assert.EndsWith("3 more tries before the account locks for 15 minutes.", codeMessage, StringComparison.Ordinal);
        Assert.DoesNotContain("whoami", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FiveFailures_LockTheAccount_ThePageSaysUntilWhenAndHowToUnlock()
    {
        await using var hub = await StartAsync("staff-browser-lock");
        var page = await browser.NewPageAsync(Browser.Tablet);
        await page.GotoAsync(hub.Url("/nurse/sign-in?return=%2Fnurse%2Fwhoami"));

        for (var i = 0; i < StaffLimits.MaxFailedSignIns; i++)
        {
            await SubmitAsync(page, "nurse.jones", "a wrong password " + i, "000000");
        }

        var locked = await AlertAsync(page);
        await SubmitAsync(page, "nurse.jones", Password, hub.CodeNow());
        var stillLocked = await AlertAsync(page);
        await Browser.ScreenshotForDocsAsync(page, "sign-in-locked");

        var until = (hub.Clock.GetUtcNow() + StaffLimits.LockoutDuration).UtcDateTime.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        var expected = $"This account is locked after 5 failed sign-ins until {until} UTC. A coordinator can unlock it now on the hub: wearable-ingest staff unlock --name nurse.jones";
        Assert.Equal(expected, locked);
        Assert.Equal(expected, stillLocked);

        hub.Registry.UnlockStaff("nurse.jones", "coordinator", "phoned");
        await SubmitAsync(page, "nurse.jones", Password, hub.CodeNow());
        Assert.EndsWith("/nurse/whoami", page.Url, StringComparison.Ordinal);
        Assert.Equal("nurse.jones", (await page.InnerTextAsync("body")).Trim());
    }

    [Fact]
    public async Task ExpiredSession_TheSignInPageSaysItEnded_AfterSigningInAgainTheNurseIsBack()
    {
        await using var hub = await StartAsync("staff-browser-expired");
        var page = await browser.NewPageAsync(Browser.Tablet);
        await page.GotoAsync(hub.Url("/nurse/sign-in?return=%2Fnurse%2Fwhoami"));
        await SubmitAsync(page, "nurse.jones", Password, hub.CodeNow());
        Assert.EndsWith("/nurse/whoami", page.Url, StringComparison.Ordinal);

        hub.Clock.Advance(TimeSpan.FromMinutes(16));
        await page.ReloadAsync();

        Assert.EndsWith("/nurse/sign-in?return=%2Fnurse%2Fwhoami", page.Url, StringComparison.Ordinal);
        Assert.Equal("Your session ended after 15 minutes without use; sign in again.", await AlertAsync(page));
        await Browser.ScreenshotForDocsAsync(page, "sign-in-session-ended");
        await SubmitAsync(page, "nurse.jones", Password, Code(hub.Secret, hub.Clock.GetUtcNow()));
        Assert.EndsWith("/nurse/whoami", page.Url, StringComparison.Ordinal);

        // A first visit in a new browser says nothing about an ended session.
        var fresh = await browser.NewPageAsync(Browser.Tablet);
        await fresh.GotoAsync(hub.Url("/nurse/whoami"));
        Assert.Equal(0, await fresh.Locator(".message").CountAsync());
    }
}
