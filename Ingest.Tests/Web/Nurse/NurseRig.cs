using System.Net;
using System.Text.RegularExpressions;
using Ingest.Gateway.Radio;
using Ingest.Gateway.Registry;
using Ingest.Gateway.Web;
using Ingest.Pipeline.Profiles;
using Microsoft.Playwright;

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

    private NurseRig(WebRig web, FakeHubConsole hub, EnrollmentRegistry? registry)
    {
        Web = web;
        Hub = hub;
        Registry = registry;
    }

    public WebRig Web { get; }

    public FakeHubConsole Hub { get; }

    public EnrollmentRegistry? Registry { get; }

    public static async Task<NurseRig> StartAsync(string purpose, bool withRegistry = true)
    {
        var directory = Support.Peers.NewScratchDirectory("nurse-" + purpose);
        var registry = withRegistry ? EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(directory), create: true) : null;
        var hub = new FakeHubConsole(directory, registry, s_profiles.Value);
        var web = await WebRig.StartAsync(hub);
        return new NurseRig(web, hub, registry);
    }

    /// <summary>Puts a tracker near the hub; returns its candidate id.</summary>
    public string AddNearby(string address, string? name, string profileId, short? rssi, int? battery, string? participant = null)
    {
        var candidate = Registry?.PseudonymFor(Hub.Hub.Study, address) ?? "dev-" + new string((char)('a' + Hub.NearbyTrackers.Count), 16);
        Hub.Addresses[candidate] = address;
        Hub.NearbyTrackers.Add(new NearbyTracker(candidate, name, profileId, rssi, battery, participant, NowNs()));
        return candidate;
    }

    /// <summary>Shows the registry's active enrollments as the radio's trackers, all in <paramref name="state"/>.</summary>
    public void RadioFromRegistry(TrackerLinkState state = TrackerLinkState.Streaming, int? battery = 76)
    {
        var trackers = Registry!.ActiveEnrollments()
            .Select(e => new TrackerStatus(e.Device, e.Participant, e.ProfileId, state, -61, battery, NowNs() - 60_000_000_000, NowNs() - 2_000_000_000, 1, 0, 0, null))
            .ToList();
        Hub.Radio = new RadioStatus([new AdapterStatus("hci0", true, true, trackers.Count, 7)], trackers, 0, 0, true, []);
    }

    public static long NowNs() => (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;

    /// <summary>A client signed in as <paramref name="staff"/>.</summary>
    public async Task<HttpClient> SignedInClientAsync(string staff = Staff)
    {
        var client = Web.Client();
        using var response = await client.PostAsync("/nurse/sign-in", new FormUrlEncodedContent(new Dictionary<string, string> { ["name"] = staff }));
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.OK, "sign-in: " + response.StatusCode);
        return client;
    }

    /// <summary>Signs a browser page in as <paramref name="staff"/>.</summary>
    public async Task SignInAsync(IPage page, string staff = Staff)
    {
        await page.GotoAsync(Url("/nurse/sign-in"));
        await page.FillAsync("input[name=name]", staff);
        await page.ClickAsync("button");
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
        Registry?.Dispose();
    }
}
