using System.Net;
using System.Text.RegularExpressions;
using Ingest.Gateway.Radio;
using Ingest.Gateway.Registry;
using Ingest.Gateway.Web;
using Ingest.Gateway.Web.Staff;
using Ingest.Pipeline.Profiles;
using Microsoft.Playwright;
using StaffSupport = Ingest.Tests.Web.Staff.StaffTestSupport;

namespace Ingest.Tests.Web.Nurse;

/// <summary>
/// The nurse pages over a <see cref="FakeHubConsole"/> with a real <see cref="EnrollmentRegistry"/> in a scratch
/// directory and the shipped firmware profiles; trackers are added by address, named by the pseudonym the registry gives
/// them (so a bound tracker's device is its candidate id, as on the real hub).
/// </summary>
internal sealed partial class NurseRig : IAsyncDisposable
{
    /// <summary>The signed-in nurse's name in these tests.</summary>
    public const string Staff = "nurse.jones";

    private static readonly Lazy<IReadOnlyList<FirmwareProfile>> s_profiles =
        new(() => ProfileLoader.LoadAll(Path.Combine(Support.Peers.RepositoryRoot, "firmware-profiles")));

    private readonly SteppingClock _clock;
    private readonly byte[] _codeSecret;

    private NurseRig(WebRig web, FakeHubConsole hub, EnrollmentRegistry registry, SteppingClock clock, byte[] codeSecret)
    {
        Web = web;
        Hub = hub;
        Registry = registry;
        _clock = clock;
        _codeSecret = codeSecret;
    }

    public WebRig Web { get; }

    public FakeHubConsole Hub { get; }

    /// <summary>The registry (also on <see cref="FakeHubConsole.Registry"/> unless a test takes it away).</summary>
    public EnrollmentRegistry Registry { get; }

    /// <summary>A hub with staff account <see cref="Staff"/> (password <see cref="StaffSupport.Password"/>) in its registry.</summary>
    public static async Task<NurseRig> StartAsync(string purpose)
    {
        var directory = Support.Peers.NewScratchDirectory("nurse-" + purpose);
        var clock = new SteppingClock();
        var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(directory), create: true, clock);
        var secret = registry.AddStaff(Staff, "site-1", StaffSupport.Password, "coordinator", "nurse for the page tests").TotpSecret!;
        var hub = new FakeHubConsole(directory, registry, s_profiles.Value);
        var web = await WebRig.StartAsync(hub, time: clock);
        return new NurseRig(web, hub, registry, clock, secret);
    }

    /// <summary>The code the nurse's authenticator shows now, in a fresh 30 s window (a code is good once).</summary>
    private string NextCode()
    {
        _clock.Advance(TimeSpan.FromSeconds(StaffLimits.TotpStepSeconds));
        return StaffSupport.Code(_codeSecret, _clock.GetUtcNow());
    }

    /// <summary>Puts a tracker near the hub; returns its candidate id.</summary>
    public string AddNearby(string address, string? name, string profileId, short? rssi, int? battery, string? participant = null)
    {
        var candidate = Registry.PseudonymFor(Hub.Hub.Study, address);
        Hub.Addresses[candidate] = address;
        Hub.NearbyTrackers.Add(new NearbyTracker(candidate, name, profileId, rssi, battery, participant, NowNs()));
        return candidate;
    }

    /// <summary>Shows the registry's active enrollments as the radio's trackers, all in <paramref name="state"/>.</summary>
    public void RadioFromRegistry(TrackerLinkState state = TrackerLinkState.Streaming, int? battery = 76)
    {
        var trackers = Registry.ActiveEnrollments()
            .Select(e => new TrackerStatus(e.Device, e.Participant, e.ProfileId, state, -61, battery, NowNs() - 60_000_000_000, NowNs() - 2_000_000_000, 1, 0, 0, null))
            .ToList();
        Hub.Radio = new RadioStatus([new AdapterStatus("hci0", true, true, trackers.Count, 7)], trackers, 0, 0, true, []);
    }

    public static long NowNs() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    /// <summary>A client signed in as <see cref="Staff"/> with password and one-time code.</summary>
    public async Task<HttpClient> SignedInClientAsync()
    {
        var client = Web.Client();
        var form = await client.GetStringAsync("/nurse/sign-in");
        using var response = await client.PostAsync("/nurse/sign-in",
            StaffSupport.SignInForm(StaffSupport.FormToken(form), Staff, StaffSupport.Password, NextCode()));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther, "sign-in: " + response.StatusCode + " " + await response.Content.ReadAsStringAsync());
        return client;
    }

    /// <summary>Signs a browser page in as <see cref="Staff"/>.</summary>
    public async Task SignInAsync(IPage page)
    {
        await page.GotoAsync(Url("/nurse/sign-in"));
        await page.FillAsync("#name", Staff);
        await page.FillAsync("#password", StaffSupport.Password);
        await page.FillAsync("#code", NextCode());
        await page.ClickAsync("button[type=submit]:has-text('Sign in')");
        await page.WaitForURLAsync(Url("/nurse"));
    }

    public string Url(string path) => new Uri(Web.BaseAddress, path).ToString();

    /// <summary>GETs <paramref name="pagePath"/>, then POSTs <paramref name="fields"/> with its form token to <paramref name="action"/>.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string pagePath, string action, IReadOnlyDictionary<string, string>? fields = null)
    {
        var page = await client.GetStringAsync(pagePath);
        var token = TokenField().Match(page);
        Assert.True(token.Success, "no form token on " + pagePath);
        var form = new Dictionary<string, string>(fields ?? new Dictionary<string, string>()) { [WebUtility.HtmlDecode(token.Groups[1].Value)] = WebUtility.HtmlDecode(token.Groups[2].Value) };
        return await client.PostAsync(action, new FormUrlEncodedContent(form));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public async ValueTask DisposeAsync()
    {
        await Web.DisposeAsync();
        Registry.Dispose();
    }
}
