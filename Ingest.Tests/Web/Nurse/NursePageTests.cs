using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Ingest.Gateway.Radio;
using Ingest.Gateway.Registry;
using Ingest.Gateway.Web;
using Ingest.Gateway.Web.Nurse;

namespace Ingest.Tests.Web.Nurse;

/// <summary>The nurse pages over HTTP: find, live check, bind, unenroll, label, pre-flight and audit, over a fake hub with a real registry.</summary>
public sealed partial class NursePageTests
{
    private const string AddressA = "C0:11:22:33:44:01";
    private const string AddressB = "C0:11:22:33:44:02";
    private const string AddressC = "00:1A:7D:DA:71:13";

    private static Dictionary<string, string> BindFields(string participant, string reason, string profile = "polar-h10", bool swap = false)
    {
        var fields = new Dictionary<string, string> { ["participant"] = participant, ["reason"] = reason, ["profile"] = profile };
        if (swap)
        {
            fields["swap"] = "on";
        }

        return fields;
    }

    private static void AssertNoAddress(string html)
    {
        foreach (var address in new[] { AddressA, AddressB, AddressC })
        {
            Assert.DoesNotContain(address, html, StringComparison.OrdinalIgnoreCase);
        }

        Assert.False(TrackerAddress.ContainsAddress(html), "a page shows a radio address");
    }

    [Fact]
    public async Task Find_ListsNearbyWithProfileSignalBatteryAndEnrollment_NeverAnAddress()
    {
        await using var rig = await NurseRig.StartAsync("find");
        var free = rig.AddNearby(AddressA, "Polar H10 A1B2C3D4", "polar-h10", -55, 80);
        var taken = rig.AddNearby(AddressB, null, "generic-heart-rate-strap", -84, 12, participant: "P-007");
        using var client = await rig.SignedInClientAsync();

        var html = await client.GetStringAsync("/nurse");

        Assert.Contains("Polar H10 A1B2C3D4", html, StringComparison.Ordinal);
        Assert.Contains("Polar H10", html, StringComparison.Ordinal);
        Assert.Contains("-55 dBm", html, StringComparison.Ordinal);
        Assert.Contains("bars-4", html, StringComparison.Ordinal);
        Assert.Contains("-84 dBm", html, StringComparison.Ordinal);
        Assert.Contains("bars-1", html, StringComparison.Ordinal);
        Assert.Contains("80 %", html, StringComparison.Ordinal);
        Assert.Contains("12 % (charge it)", html, StringComparison.Ordinal);
        Assert.Contains("P-007", html, StringComparison.Ordinal);
        Assert.Contains($"action=\"/nurse/check/{free}\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"/nurse/check/{taken}\"", html, StringComparison.Ordinal);
        Assert.Contains("nurse-find.js", html, StringComparison.Ordinal);
        AssertNoAddress(html);

        var json = await client.GetStringAsync("/nurse/api/nearby");
        AssertNoAddress(json);
        using var document = JsonDocument.Parse(json);
        var nearby = document.RootElement.GetProperty("nearby");
        Assert.Equal(2, nearby.GetArrayLength());
        Assert.Equal(free, nearby[0].GetProperty("candidate").GetString());
        Assert.Equal(4, nearby[0].GetProperty("bars").GetInt32());
        Assert.Equal(-55, nearby[0].GetProperty("rssi").GetInt32());
        Assert.Equal("P-007", nearby[1].GetProperty("participant").GetString());
        Assert.True(nearby[1].GetProperty("batteryLow").GetBoolean());
        Assert.True(document.RootElement.GetProperty("canOnboard").GetBoolean());
    }

    [Fact]
    public async Task Find_EnrolledTrackersShowLinkState()
    {
        await using var rig = await NurseRig.StartAsync("find-enrolled");
        var device = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        rig.Registry.Enroll(new EnrollmentRequest { Study = "study-a", Site = "site-1", Participant = "P-001", ProfileId = "polar-h10", Address = AddressA, Reason = "baseline", Actor = "someone" });
        rig.RadioFromRegistry(TrackerLinkState.NotSeen, battery: null);
        using var client = await rig.SignedInClientAsync();

        var html = await client.GetStringAsync("/nurse");

        Assert.Contains($"data-device=\"{device}\"", html, StringComparison.Ordinal);
        Assert.Contains("not seen", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/nurse/unenroll/{device}\"", html, StringComparison.Ordinal);
        Assert.Contains($"href=\"/nurse/label/{device}\"", html, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(await client.GetStringAsync("/nurse/api/nearby"));
        var enrolled = Assert.Single(document.RootElement.GetProperty("enrolled").EnumerateArray());
        Assert.Equal("not seen", enrolled.GetProperty("state").GetString());
        Assert.Equal("bad", enrolled.GetProperty("stateClass").GetString());
    }

    [Fact]
    public async Task SimulatedHub_SaysOnboardingNeedsTheRealRadio()
    {
        await using var rig = await NurseRig.StartAsync("simulated");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();
        rig.Hub.Registry = null; // the hub now runs simulated trackers: no registry, no staff, nothing to enroll into

        foreach (var path in new[] { "/nurse", $"/nurse/bind/{candidate}", "/nurse/audit" })
        {
            using var response = await client.GetAsync(path);
            var html = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.Redirect)
            {
                // The session cannot stand without a registry of staff: the sign-in page says why.
                using var followed = await client.GetAsync(response.Headers.Location);
                html = await followed.Content.ReadAsStringAsync();
            }

            Assert.Contains("simulated trackers", html, StringComparison.Ordinal);
            Assert.DoesNotContain("data-testid=\"check-button\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"bind-form\"", html, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task NotSignedIn_PagesAndApiRefused()
    {
        await using var rig = await NurseRig.StartAsync("anonymous");
        rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = rig.Web.Client();
        foreach (var path in new[] { "/nurse", "/nurse/api/nearby", "/nurse/preflight", "/nurse/audit" })
        {
            using var response = await client.GetAsync(path);
            Assert.True(response.StatusCode != HttpStatusCode.OK, path + " answered without sign-in");
            Assert.DoesNotContain("H10", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task LiveCheck_StartIsUnderTheStaffName_PollShowsRatesAndVerdicts()
    {
        await using var rig = await NurseRig.StartAsync("check");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();

        using var start = await NurseRig.PostFormAsync(client, "/nurse", $"/nurse/check/{candidate}");
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        Assert.Equal($"/nurse/check/{candidate}", start.Headers.Location?.OriginalString);
        Assert.Equal((candidate, NurseRig.Staff), Assert.Single(rig.Hub.LiveChecksStarted));

        rig.Hub.LiveCheckViews = c => new LiveCheckView(c, "polar-h10", LiveCheckState.Streaming, null, 67,
        [
            new LiveStreamView("hr", "heart_rate", "bpm", null, 1.1, 12, [61, 62, 63]),
            new LiveStreamView("ecg", "ecg", "uV", 130, 128.5, 1300, [.. Enumerable.Range(0, 300).Select(i => Math.Sin(i / 10.0))]),
            new LiveStreamView("acc", "x", "mG", 200, 120, 1200, [1, 2]),
            new LiveStreamView("ppi", "ppi", "ms", 50, 10, 100, []),
        ], NurseRig.NowNs(), NurseRig.NowNs() + 240_000_000_000);

        var page = await client.GetStringAsync($"/nurse/check/{candidate}");
        Assert.Contains("data-state=\"streaming\"", page, StringComparison.Ordinal);
        Assert.Contains("67 %", page, StringComparison.Ordinal);
        Assert.Contains("128.5 of 130 per s", page, StringComparison.Ordinal);
        Assert.Contains("nurse-check.js", page, StringComparison.Ordinal);
        AssertNoAddress(page);

        using var document = JsonDocument.Parse(await client.GetStringAsync($"/nurse/api/check/{candidate}"));
        var root = document.RootElement;
        Assert.Equal("streaming", root.GetProperty("state").GetString());
        Assert.False(root.GetProperty("lost").GetBoolean());
        var verdicts = root.GetProperty("streams").EnumerateArray().ToDictionary(s => s.GetProperty("stream").GetString()!, s => s.GetProperty("verdict").GetString());
        Assert.Equal("ok", verdicts["hr"]);   // irregular, samples arriving
        Assert.Equal("ok", verdicts["ecg"]);  // 98.8 % of expected
        Assert.Equal("warn", verdicts["acc"]); // 60 %
        Assert.Equal("bad", verdicts["ppi"]); // 20 %
        var ecg = root.GetProperty("streams")[1];
        Assert.Equal(LiveStreamView.MaxRecent, ecg.GetProperty("recent").GetArrayLength()); // cut to the contract's limit
    }

    [Fact]
    public async Task LiveCheck_TrackerLostOrGone_SaysWhatToDo()
    {
        await using var rig = await NurseRig.StartAsync("check-lost");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();
        using (await NurseRig.PostFormAsync(client, "/nurse", $"/nurse/check/{candidate}"))
        {
        }

        rig.Hub.LiveCheckViews = c => new LiveCheckView(c, "polar-h10", LiveCheckState.Lost, "link lost (out of range)", null, [], 0, 0);
        using (var document = JsonDocument.Parse(await client.GetStringAsync($"/nurse/api/check/{candidate}")))
        {
            Assert.True(document.RootElement.GetProperty("lost").GetBoolean());
            var message = document.RootElement.GetProperty("message").GetString()!;
            Assert.Contains("stopped answering", message, StringComparison.Ordinal);
            Assert.Contains("link lost (out of range)", message, StringComparison.Ordinal);
            Assert.Contains("bring it closer", message, StringComparison.OrdinalIgnoreCase);
        }

        var page = await client.GetStringAsync($"/nurse/check/{candidate}");
        Assert.Contains("data-testid=\"check-retry\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"check-lost\" data-testid=\"check-lost\" class=\"message error\" hidden", page, StringComparison.Ordinal);

        // The candidate vanished altogether: the API answers 404 with the advice, a new start says the tracker went away.
        rig.Hub.StopLiveCheck(candidate);
        rig.Hub.NearbyTrackers.Clear();
        using var gone = await client.GetAsync($"/nurse/api/check/{candidate}");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("check it is charged and worn", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        rig.AddNearby(AddressB, "other", "polar-h10", -60, 90); // so the find page has a form token
        using var retry = await NurseRig.PostFormAsync(client, "/nurse", $"/nurse/check/{candidate}");
        Assert.Equal(HttpStatusCode.NotFound, retry.StatusCode);
        Assert.Contains("stopped answering", await retry.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LiveCheck_Stop_EndsIt()
    {
        await using var rig = await NurseRig.StartAsync("check-stop");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();
        using (await NurseRig.PostFormAsync(client, "/nurse", $"/nurse/check/{candidate}"))
        {
        }

        using var stop = await NurseRig.PostFormAsync(client, $"/nurse/check/{candidate}", $"/nurse/check/{candidate}/stop");
        Assert.Equal(HttpStatusCode.Redirect, stop.StatusCode);
        Assert.Empty(rig.Hub.LiveChecksStarted);
    }

    [Fact]
    public async Task Bind_Valid_EnrollsUnderTheStaffName_AndShowsTheLabel()
    {
        await using var rig = await NurseRig.StartAsync("bind");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();

        var form = await client.GetStringAsync($"/nurse/bind/{candidate}");
        Assert.Matches("<option value=\"polar-h10\" selected>", form);

        using var bind = await NurseRig.PostFormAsync(client, $"/nurse/bind/{candidate}", $"/nurse/bind/{candidate}", BindFields("P-001", "baseline visit"));
        Assert.Equal(HttpStatusCode.Redirect, bind.StatusCode);
        Assert.Equal($"/nurse/label/{candidate}?bound=1", bind.Headers.Location?.OriginalString);

        var enrollment = Assert.Single(rig.Registry.ActiveEnrollments());
        Assert.Equal("P-001", enrollment.Participant);
        Assert.Equal(candidate, enrollment.Device);
        Assert.Equal(NurseRig.Staff, enrollment.Actor);
        var entry = rig.Registry.Audit.List(10)[^1];
        Assert.Equal((NurseRig.Staff, AuditActions.Enroll, "baseline visit"), (entry.Actor, entry.Action, entry.Reason));

        var label = await client.GetStringAsync(bind.Headers.Location!.OriginalString);
        Assert.Contains("Bound: participant P-001", label, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bind_BadFields_400WithAMessagePerField_KeepsWhatWasTyped()
    {
        await using var rig = await NurseRig.StartAsync("bind-bad");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();

        using var bad = await NurseRig.PostFormAsync(client, $"/nurse/bind/{candidate}", $"/nurse/bind/{candidate}", BindFields("P 01/#", "", profile: "no-such-profile"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("value=\"P 01/#\"", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"participant-error\"", html, StringComparison.Ordinal);
        Assert.Contains("is not a participant pseudonym", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"reason-error\"", html, StringComparison.Ordinal);
        Assert.Contains("Say why", html, StringComparison.Ordinal);
        Assert.Contains("data-testid=\"profile-error\"", html, StringComparison.Ordinal);

        var tooLong = new string('p', WebLimits.MaxFieldLength + 1);
        using var longer = await NurseRig.PostFormAsync(client, $"/nurse/bind/{candidate}", $"/nurse/bind/{candidate}",
            BindFields(tooLong, "strap from " + AddressB));
        Assert.Equal(HttpStatusCode.BadRequest, longer.StatusCode);
        var text = await longer.Content.ReadAsStringAsync();
        Assert.Contains("is not a participant pseudonym", text, StringComparison.Ordinal);
        Assert.Contains("holds a radio address", text, StringComparison.Ordinal);
        Assert.Contains(WebUtility.HtmlEncode("strap from ") , text, StringComparison.Ordinal);
        Assert.Empty(rig.Registry.ActiveEnrollments());
    }

    [Fact]
    public async Task Bind_RegistryRefuses_ShowsItsMessageKeepingInput_SwapThenWorks()
    {
        await using var rig = await NurseRig.StartAsync("bind-swap");
        var first = rig.AddNearby(AddressA, "H10 one", "polar-h10", -60, 90);
        var second = rig.AddNearby(AddressB, "H10 two", "polar-h10", -62, 90);
        using var client = await rig.SignedInClientAsync();
        using (var bound = await NurseRig.PostFormAsync(client, $"/nurse/bind/{first}", $"/nurse/bind/{first}", BindFields("P-001", "baseline")))
        {
            Assert.Equal(HttpStatusCode.Redirect, bound.StatusCode);
        }

        using var refused = await NurseRig.PostFormAsync(client, $"/nurse/bind/{second}", $"/nurse/bind/{second}", BindFields("P-001", "strap broke"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("data-testid=\"form-error\"", html, StringComparison.Ordinal);
        Assert.Contains("already has an active polar-h10 tracker", html, StringComparison.Ordinal);
        Assert.Contains("Replace the participant", html, StringComparison.Ordinal);
        Assert.Contains("value=\"P-001\"", html, StringComparison.Ordinal);
        Assert.Contains("value=\"strap broke\"", html, StringComparison.Ordinal);

        using var swapped = await NurseRig.PostFormAsync(client, $"/nurse/bind/{second}", $"/nurse/bind/{second}", BindFields("P-001", "strap broke", swap: true));
        Assert.Equal(HttpStatusCode.Redirect, swapped.StatusCode);
        Assert.Equal($"/nurse/label/{second}?swapped=1", swapped.Headers.Location?.OriginalString);
        Assert.Equal(second, Assert.Single(rig.Registry.ActiveEnrollments()).Device);
        var entry = rig.Registry.Audit.List(10)[^1];
        Assert.Equal((NurseRig.Staff, AuditActions.Swap), (entry.Actor, entry.Action));
    }

    [Fact]
    public async Task Bind_TrackerWentAway_SaysSo()
    {
        await using var rig = await NurseRig.StartAsync("bind-gone");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();
        var page = await client.GetStringAsync($"/nurse/bind/{candidate}");
        rig.Hub.Addresses.Clear(); // the hub no longer knows the tracker: Enroll throws KeyNotFoundException

        var token = TokenField().Match(page);
        using var response = await client.PostAsync($"/nurse/bind/{candidate}", new FormUrlEncodedContent(new Dictionary<string, string>(BindFields("P-001", "baseline"))
        {
            [WebUtility.HtmlDecode(token.Groups[1].Value)] = WebUtility.HtmlDecode(token.Groups[2].Value),
        }));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("stopped answering", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(rig.Registry.ActiveEnrollments());
    }

    [Fact]
    public async Task Post_WithoutFormToken_RefusedAndNothingChanges()
    {
        await using var rig = await NurseRig.StartAsync("antiforgery");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();
        using var response = await client.PostAsync($"/nurse/bind/{candidate}", new FormUrlEncodedContent(BindFields("P-001", "baseline")));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(rig.Registry.ActiveEnrollments());
        using var check = await client.PostAsync($"/nurse/check/{candidate}", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, check.StatusCode);
        Assert.Empty(rig.Hub.LiveChecksStarted);
    }

    [Fact]
    public async Task Label_QrDecodesToHubStudyAndPseudonyms_PrintIsAudited()
    {
        await using var rig = await NurseRig.StartAsync("label");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();
        using (await NurseRig.PostFormAsync(client, $"/nurse/bind/{candidate}", $"/nurse/bind/{candidate}", BindFields("P-042", "baseline")))
        {
        }

        var html = await client.GetStringAsync($"/nurse/label/{candidate}");
        AssertNoAddress(html);
        var image = QrImage().Match(html);
        Assert.True(image.Success, "no QR image on the label");
        var text = PngLuminance.DecodeQr(Convert.FromBase64String(image.Groups[1].Value));
        Assert.Equal($"WI1;hub=hub-test;study=study-a;participant=P-042;device={candidate}", text);
        var label = TrackerLabel.Parse(text);
        Assert.Equal(new TrackerLabel("hub-test", "study-a", "P-042", candidate), label);
        Assert.False(TrackerAddress.ContainsAddress(text));
        Assert.Contains(WebUtility.HtmlEncode(text), html, StringComparison.Ordinal);

        using var print = await NurseRig.PostFormAsync(client, $"/nurse/label/{candidate}", $"/nurse/label/{candidate}/print");
        Assert.Equal(HttpStatusCode.Redirect, print.StatusCode);
        var entry = rig.Registry.Audit.List(10)[^1];
        Assert.Equal((NurseRig.Staff, "label-print"), (entry.Actor, entry.Action));
        Assert.Contains(candidate, entry.Subject, StringComparison.Ordinal);
        Assert.True(rig.Registry.Audit.Verify().Intact);
    }

    [Fact]
    public async Task Label_NotEnrolled_404()
    {
        await using var rig = await NurseRig.StartAsync("label-none");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();
        using var response = await client.GetAsync($"/nurse/label/{candidate}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("bind it first", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var nonsense = await client.GetAsync("/nurse/label/AA:BB:CC:DD:EE:FF");
        Assert.Equal(HttpStatusCode.NotFound, nonsense.StatusCode);
        Assert.False(TrackerAddress.ContainsAddress(await nonsense.Content.ReadAsStringAsync()), "a refused id is echoed as an address");
    }

    [Fact]
    public async Task Unenroll_NeedsAReason_ThenEndsTheEnrollmentUnderTheStaffName()
    {
        await using var rig = await NurseRig.StartAsync("unenroll");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();
        using (await NurseRig.PostFormAsync(client, $"/nurse/bind/{candidate}", $"/nurse/bind/{candidate}", BindFields("P-001", "baseline")))
        {
        }

        using var noReason = await NurseRig.PostFormAsync(client, $"/nurse/unenroll/{candidate}", $"/nurse/unenroll/{candidate}", new Dictionary<string, string> { ["reason"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Contains("Say why", await noReason.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(rig.Registry.ActiveEnrollments());

        using var done = await NurseRig.PostFormAsync(client, $"/nurse/unenroll/{candidate}", $"/nurse/unenroll/{candidate}", new Dictionary<string, string> { ["reason"] = "end of study" });
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        Assert.Empty(rig.Registry.ActiveEnrollments());
        var entry = rig.Registry.Audit.List(10)[^1];
        Assert.Equal((NurseRig.Staff, AuditActions.Unenroll, "end of study"), (entry.Actor, entry.Action, entry.Reason));
        var find = await client.GetStringAsync(done.Headers.Location!.OriginalString);
        Assert.Contains($"Unenrolled tracker {candidate}", find, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_ShowsTheNurseAndTheChainVerifies()
    {
        await using var rig = await NurseRig.StartAsync("audit");
        var candidate = rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        using var client = await rig.SignedInClientAsync();
        using (await NurseRig.PostFormAsync(client, $"/nurse/bind/{candidate}", $"/nurse/bind/{candidate}", BindFields("P-001", "baseline visit")))
        {
        }

        var html = await client.GetStringAsync("/nurse/audit");
        Assert.Contains("data-intact=\"true\"", html, StringComparison.Ordinal);
        Assert.Contains($"<b>{NurseRig.Staff}</b>", html, StringComparison.Ordinal);
        Assert.Contains("baseline visit", html, StringComparison.Ordinal);
        AssertNoAddress(html);
    }

    [Fact]
    public async Task Preflight_OutboxHub_NotReady_SaysSetBrokerUrl()
    {
        await using var rig = await NurseRig.StartAsync("preflight");
        using var client = await rig.SignedInClientAsync();
        var html = await client.GetStringAsync("/nurse/preflight");
        Assert.Contains("data-ready=\"false\"", html, StringComparison.Ordinal);
        Assert.Matches("data-check=\"broker\" data-ok=\"false\"", html);
        Assert.Contains("Outbox only", html, StringComparison.Ordinal);
        Assert.Contains("Broker:Url", html, StringComparison.Ordinal);
        Assert.Matches("data-check=\"disk\" data-ok=\"true\"", html);
    }

    [Fact]
    public async Task Preflight_AllGood_Ready_AnyFailure_NotReady()
    {
        await using var rig = await NurseRig.StartAsync("preflight-ready");
        var hub = rig.Hub;
        hub.Ingest = hub.Ingest with { Destination = "mqtts://broker.example.org:8883", DestinationState = "connected", Backlog = 3 };
        rig.AddNearby(AddressA, "H10", "polar-h10", -60, 90);
        rig.Registry.Enroll(new EnrollmentRequest { Study = "study-a", Site = "site-1", Participant = "P-001", ProfileId = "polar-h10", Address = AddressA, Reason = "baseline", Actor = "n" });
        rig.RadioFromRegistry();
        var synced = new ClockReading(true, 20_000, null);

        var checks = Preflight.Evaluate(hub, synced, 5L << 30);
        Assert.True(Preflight.Ready(checks), string.Join("; ", checks.Where(c => c.Ok != true).Select(c => c.Detail)));

        Assert.False(Preflight.Ready(Preflight.Evaluate(hub, new ClockReading(null, null, "no libc"), 5L << 30)));
        var unsynced = Preflight.Evaluate(hub, new ClockReading(false, null, null), 5L << 30).Single(c => c.Id == "clock");
        Assert.False(unsynced.Ok);
        Assert.Contains("timedatectl", unsynced.Fix, StringComparison.Ordinal);
        Assert.False(Preflight.Evaluate(hub, synced, NurseLimits.MinFreeDiskBytes - 1).Single(c => c.Id == "disk").Ok);

        hub.Ingest = hub.Ingest with { DestinationState = "disconnected: not authorized" };
        var broker = Preflight.Evaluate(hub, synced, 5L << 30).Single(c => c.Id == "broker");
        Assert.False(broker.Ok);
        Assert.Contains("not authorized", broker.Detail, StringComparison.Ordinal);

        hub.Ingest = hub.Ingest with { DestinationState = "connected", Backlog = NurseLimits.MaxBacklogBatches + 1 };
        Assert.False(Preflight.Evaluate(hub, synced, 5L << 30).Single(c => c.Id == "spool").Ok);

        rig.RadioFromRegistry(TrackerLinkState.Waiting);
        var trackers = Preflight.Evaluate(hub, synced, 5L << 30).Single(c => c.Id == "trackers");
        Assert.False(trackers.Ok);
        Assert.Contains("P-001", trackers.Detail, StringComparison.Ordinal);

        hub.Radio = hub.Radio with { Adapters = [new AdapterStatus("hci0", false, false, 0, 7)] };
        Assert.False(Preflight.Evaluate(hub, synced, 5L << 30).Single(c => c.Id == "adapter").Ok);
    }

    [Fact]
    public void ClockSync_ReadsTheKernelOrSaysWhyNot()
    {
        var reading = ClockSync.Read();
        Assert.True(reading.Synchronised is not null || reading.Unknown is not null, "neither a state nor a reason");
        if (OperatingSystem.IsLinux() && Environment.Is64BitProcess)
        {
            Assert.True(reading.Synchronised is not null, "64-bit Linux has ntp_adjtime: " + reading.Unknown);
        }
    }

    [Fact]
    public void TrackerLabel_ParsesItsOwnText_RefusesOthers()
    {
        var label = new TrackerLabel("hub 1", "study-a", "P;01", "dev-abcdefghijklmnop");
        Assert.Equal(label, TrackerLabel.Parse(label.Text));
        Assert.Null(TrackerLabel.Parse("WI2;hub=x"));
        Assert.Null(TrackerLabel.Parse("WI1;hub=x;study=y"));
        Assert.Null(TrackerLabel.Parse(null));
    }

    [GeneratedRegex("id=\"label-qr\" data-testid=\"label-qr\" src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"")]
    private static partial Regex QrImage();

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
