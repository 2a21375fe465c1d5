using System.Net;
using Ingest.Gateway.Registry;
using Ingest.Gateway.Web;
using Ingest.Gateway.Web.Staff;
using static Ingest.Tests.Web.Staff.StaffTestSupport;

namespace Ingest.Tests.Web.Staff;

/// <summary>Sign-in over HTTP against the real web server and a real registry: cookies, redirects, anti-forgery, rate limit, keys.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StaffSignInHttpTests
{
    private static async Task<(WebRig Rig, EnrollmentRegistry Registry, byte[] Secret, TestClock Clock)> StartAsync(string purpose, WebOptions? options = null)
    {
        var data = Support.Peers.NewScratchDirectory(purpose);
        var clock = TestClock.AtStepMiddle();
        var (registry, secret) = RegistryWithStaff(data, clock);
        var rig = await WebRig.StartAsync(new FakeHubConsole(data, registry), options, time: clock);
        return (rig, registry, secret, clock);
    }

    private static async Task<string> TokenAsync(HttpClient client, string path = StaffSignIn.SignInPath)
    {
        using var page = await client.GetAsync(path);
        return FormToken(await page.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SignIn_RightCredentials_SessionCookieOpensTheGuardedPage()
    {
        var (rig, registry, secret, clock) = await StartAsync("staff-http");
        await using var _ = rig;
        using var __ = registry;
        using var client = rig.Client();

        using var before = await client.GetAsync("/nurse/whoami?x=1");
        Assert.Equal(HttpStatusCode.Redirect, before.StatusCode);
        Assert.Equal("/nurse/sign-in?return=%2Fnurse%2Fwhoami%3Fx%3D1", before.Headers.Location!.OriginalString);

        using var page = await client.GetAsync(before.Headers.Location);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("name=\"return\" value=\"/nurse/whoami?x=1\"", html, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"one-time-code\"", html, StringComparison.Ordinal);
        Assert.Contains("inputmode=\"numeric\"", html, StringComparison.Ordinal);
        Assert.Contains("autocomplete=\"current-password\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Your session ended", html, StringComparison.Ordinal);

        using var signIn = await client.PostAsync(StaffSignIn.SignInPath, SignInForm(FormToken(html), "nurse.jones", Password, Code(secret, clock.GetUtcNow()), "/nurse/whoami?x=1"));
        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/nurse/whoami?x=1", signIn.Headers.Location!.OriginalString);
        var cookie = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(StaffSignIn.CookieName + "=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/nurse", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires", cookie, StringComparison.OrdinalIgnoreCase);

        using var after = await client.GetAsync("/nurse/whoami");
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Equal("nurse.jones\n", await after.Content.ReadAsStringAsync());

        // A fetch from a page script without a session gets 401, not a redirect to HTML.
        using var anonymous = rig.Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/nurse/whoami");
        request.Headers.Accept.ParseAdd("application/json");
        using var script = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, script.StatusCode);
    }

    [Fact]
    public async Task SignIn_WithoutOrWithAForeignAntiforgeryToken_Refused_NoSession_NoAttemptCounted()
    {
        var (rig, registry, secret, clock) = await StartAsync("staff-http-af");
        await using var _ = rig;
        using var __ = registry;
        using var client = rig.Client();
        using var other = rig.Client();
        await TokenAsync(client);
        var foreignToken = await TokenAsync(other);

        using var missing = await client.PostAsync(StaffSignIn.SignInPath, SignInForm(null, "nurse.jones", Password, Code(secret, clock.GetUtcNow())));
        using var foreign = await client.PostAsync(StaffSignIn.SignInPath, SignInForm(foreignToken, "nurse.jones", Password, Code(secret, clock.GetUtcNow())));

        foreach (var refused in new[] { missing, foreign })
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("This sign-in form had expired", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.False(refused.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith(StaffSignIn.CookieName + "=", StringComparison.Ordinal)));
        }

        using var still = await client.GetAsync("/nurse/whoami");
        Assert.Equal(HttpStatusCode.Redirect, still.StatusCode);
        Assert.Equal(0, registry.FindStaff("nurse.jones")!.FailedSignIns);
        Assert.DoesNotContain(registry.Audit.List(10), e => e.Action is AuditActions.SignIn or AuditActions.SignInFailed);
    }

    [Theory]
    [InlineData("//evil.example/nurse")]
    [InlineData("https://evil.example/nurse")]
    [InlineData("/\\evil.example")]
    [InlineData("/nursery")]
    [InlineData("/nurse/sign-out")]
    [InlineData("/nurse\r\nSet-Cookie: x=y")]
    public async Task SignIn_ReturnPathElsewhere_GoesToTheNursePagesInstead(string returnPath)
    {
        var (rig, registry, secret, clock) = await StartAsync("staff-http-return");
        await using var _ = rig;
        using var __ = registry;
        using var client = rig.Client();

        using var page = await client.GetAsync("/nurse/sign-in?return=" + Uri.EscapeDataString(returnPath));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("name=\"return\" value=\"/nurse\"", html, StringComparison.Ordinal);
        using var signIn = await client.PostAsync(StaffSignIn.SignInPath, SignInForm(FormToken(html), "nurse.jones", Password, Code(secret, clock.GetUtcNow()), returnPath));

        Assert.Equal(HttpStatusCode.SeeOther, signIn.StatusCode);
        Assert.Equal("/nurse", signIn.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignOut_EndsTheSession_Audited_AndDisableEndsAnotherSessionAtOnce()
    {
        var (rig, registry, secret, clock) = await StartAsync("staff-http-out");
        await using var _ = rig;
        using var __ = registry;
        using var tablet = rig.Client();
        using var phone = rig.Client();
        using (await tablet.PostAsync(StaffSignIn.SignInPath, SignInForm(await TokenAsync(tablet), "nurse.jones", Password, Code(secret, clock.GetUtcNow()))))
        {
        }

        clock.Advance(TimeSpan.FromSeconds(StaffLimits.TotpStepSeconds));
        using (await phone.PostAsync(StaffSignIn.SignInPath, SignInForm(await TokenAsync(phone), "nurse.jones", Password, Code(secret, clock.GetUtcNow()))))
        {
        }

        // The sign-out form as the nav bar has it, with a token from a signed-in page.
        using var whoami = await tablet.GetAsync("/nurse/whoami");
        Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        using var signInPage = await tablet.GetAsync("/nurse/sign-in");
        Assert.Equal(HttpStatusCode.Redirect, signInPage.StatusCode);
        var token = await SignOutTokenAsync(rig, tablet);
        using var signOut = await tablet.PostAsync(StaffSignIn.SignOutPath, new FormUrlEncodedContent([new(StaffSignIn.AntiforgeryFieldName, token)]));
        Assert.Equal(HttpStatusCode.SeeOther, signOut.StatusCode);
        using var signedOutPage = await tablet.GetAsync(signOut.Headers.Location);
        Assert.Contains("You signed out.", await signedOutPage.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var afterSignOut = await tablet.GetAsync("/nurse/whoami");
        Assert.Equal(HttpStatusCode.Redirect, afterSignOut.StatusCode);
        Assert.Equal((AuditActions.SignOut, "nurse.jones"), (registry.Audit.List(1)[0].Action, registry.Audit.List(1)[0].Actor));

        using (var stillIn = await phone.GetAsync("/nurse/whoami"))
        {
            Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
        }

        registry.SetStaffDisabled("nurse.jones", true, "coordinator", "left");
        using var disabled = await phone.GetAsync("/nurse/whoami");
        Assert.Equal(HttpStatusCode.Redirect, disabled.StatusCode);
        using var ended = await phone.GetAsync(disabled.Headers.Location);
        Assert.Contains("Your session ended because your account was changed", await ended.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Session_IdleTimeoutOrTwelveHours_EndsIt_AndTheSignInPageSaysWhich()
    {
        var (rig, registry, secret, clock) = await StartAsync("staff-http-idle", new WebOptions { Urls = ["http://127.0.0.1:0"], SessionIdleTimeout = TimeSpan.FromMinutes(20) });
        await using var _ = rig;
        using var __ = registry;
        using var client = rig.Client();
        using (await client.PostAsync(StaffSignIn.SignInPath, SignInForm(await TokenAsync(client), "nurse.jones", Password, Code(secret, clock.GetUtcNow()))))
        {
        }

        // Used every 15 minutes (sliding), it outlives the 20-minute idle timeout …
        for (var i = 0; i < 4; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(15));
            using var used = await client.GetAsync("/nurse/whoami");
            Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        }

        // … but 21 idle minutes end it.
        clock.Advance(TimeSpan.FromMinutes(21));
        using var expired = await client.GetAsync("/nurse/whoami");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        using var page = await client.GetAsync(expired.Headers.Location);
        Assert.Contains("Your session ended after 20 minutes without use; sign in again.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var again = await client.GetAsync(StaffSignIn.SignInPath);
        Assert.DoesNotContain("Your session ended", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // In constant use, a session still ends after 12 hours.
        using (await client.PostAsync(StaffSignIn.SignInPath, SignInForm(await TokenAsync(client), "nurse.jones", Password, Code(secret, clock.GetUtcNow()))))
        {
        }

        var used12 = TimeSpan.Zero;
        HttpStatusCode status;
        do
        {
            clock.Advance(TimeSpan.FromMinutes(15));
            used12 += TimeSpan.FromMinutes(15);
            using var response = await client.GetAsync("/nurse/whoami");
            status = response.StatusCode;
        }
        while (status == HttpStatusCode.OK && used12 < TimeSpan.FromHours(13));

        Assert.Equal(StaffSignInLimits.MaxSessionLength, used12);
        using var limit = await client.GetAsync(StaffSignIn.SignInPath);
        Assert.Contains("Your session ended after 12 hours (the longest a session lasts); sign in again.", await limit.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SignInPosts_OverTheRateLimit_429WithWhatToDo()
    {
        var (rig, registry, _, _) = await StartAsync("staff-http-rate");
        await using var __ = rig;
        using var ___ = registry;
        using var client = rig.Client();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i <= StaffSignInLimits.SignInAttemptsPerMinute; i++)
        {
            // Without a token: refused before any hashing, but counted by the limiter all the same.
            using var response = await client.PostAsync(StaffSignIn.SignInPath, SignInForm(null, "nurse.jones", "guess " + i, "000000"));
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Contains("This hub has had more than 30 sign-in attempts in the last minute", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.All(statuses[..^1], s => Assert.Equal(HttpStatusCode.BadRequest, s));
    }

    [Fact]
    public async Task SimulatedHub_SignInPageSaysWhy_NoForm()
    {
        await using var rig = await WebRig.StartAsync(new FakeHubConsole(Support.Peers.NewScratchDirectory("staff-http-sim")));
        using var client = rig.Client();

        using var page = await client.GetAsync(StaffSignIn.SignInPath);
        using var post = await client.PostAsync(StaffSignIn.SignInPath, SignInForm(null, "nurse.jones", Password, "123456"));
        using var guarded = await client.GetAsync("/nurse/whoami");

        var html = await page.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
        Assert.Contains("This hub runs simulated trackers", html, StringComparison.Ordinal);
        Assert.Contains("<code>wearable-ingest run</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<form", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, post.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, guarded.StatusCode);
    }

    [Fact]
    public async Task Keys_PrivateOnDisk_ARestartedServerKeepsTheSession()
    {
        var data = Support.Peers.NewScratchDirectory("staff-http-keys");
        var clock = TestClock.AtStepMiddle();
        var (registry, secret) = RegistryWithStaff(data, clock);
        using var _ = registry;
        var cookies = new CookieContainer();
        await using (var first = await WebRig.StartAsync(new FakeHubConsole(data, registry), time: clock))
        {
            using var client = Client(first.BaseAddress, cookies);
            using (await client.PostAsync(StaffSignIn.SignInPath, SignInForm(await TokenAsync(client), "nurse.jones", Password, Code(secret, clock.GetUtcNow()))))
            {
            }

            using var whoami = await client.GetAsync("/nurse/whoami");
            Assert.Equal(HttpStatusCode.OK, whoami.StatusCode);
        }

        var keys = StaffSignIn.KeyDirectory(data);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(keys));
        var files = Directory.GetFiles(keys, "*.xml");
        Assert.NotEmpty(files);
        Assert.All(files, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(f)));

        // Cookies belong to the host, not the port: the jar offers the first server's session to the second.
        await using var second = await WebRig.StartAsync(new FakeHubConsole(data, registry), time: clock);
        using var restarted = Client(second.BaseAddress, cookies);
        using var still = await restarted.GetAsync("/nurse/whoami");
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
        Assert.Equal("nurse.jones\n", await still.Content.ReadAsStringAsync());
    }

    private static HttpClient Client(Uri baseAddress, CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = cookies }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>A sign-out token as a signed-in page carries it (the nav bar's form); the sign-out page's own form gives one.</summary>
    private static async Task<string> SignOutTokenAsync(WebRig rig, HttpClient client)
    {
        // A sign-out without a token from a signed-in browser answers with a page holding a fresh sign-out form.
        using var ask = await client.PostAsync(StaffSignIn.SignOutPath, new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, ask.StatusCode);
        _ = rig;
        return FormToken(await ask.Content.ReadAsStringAsync());
    }
}
