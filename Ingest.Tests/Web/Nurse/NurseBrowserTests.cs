using Ingest.Gateway.Radio;
using Ingest.Gateway.Web;
using Ingest.Gateway.Web.Nurse;
using Microsoft.Playwright;

namespace Ingest.Tests.Web.Nurse;

/// <summary>
/// The nurse pages in Debian's chromium over a fake hub: the scripts redraw what the hub says (nearby trackers, a live
/// check's rates and charts, a tracker lost mid-check), binding by typed pseudonym, the label's QR code read back from
/// what the browser shows, and the screenshots in docs/web.md at tablet and phone size.
/// </summary>
public sealed class NurseBrowserTests(Browser browser) : IClassFixture<Browser>
{
    private const string AddressA = "C0:11:22:33:44:01";
    private const string AddressB = "C0:11:22:33:44:02";
    private const string AddressC = "00:1A:7D:DA:71:13";

    private async Task<IPage> SignedInPageAsync(NurseRig rig, ViewportSize viewport)
    {
        var page = await browser.NewPageAsync(viewport);
        // Headless chromium has no print dialog; note the call instead.
        await page.AddInitScriptAsync("window.print = function () { window.__printed = (window.__printed || 0) + 1; };");
        await rig.SignInAsync(page);
        return page;
    }

    private static async Task AssertNoAddressAsync(IPage page)
    {
        var html = await page.ContentAsync();
        foreach (var address in new[] { AddressA, AddressB, AddressC })
        {
            Assert.DoesNotContain(address, html, StringComparison.OrdinalIgnoreCase);
        }
    }

    /// <summary>A hub with two trackers near it (one enrolled and streaming) and a third enrolled one not seen.</summary>
    private static void FillRoom(NurseRig rig)
    {
        rig.AddNearby(AddressA, "Polar H10 9A2B4C1D", "polar-h10", -52, 84);
        rig.AddNearby(AddressC, "HRM-Pro 3301", "generic-heart-rate-strap", -77, null);
        var enrolled = rig.AddNearby(AddressB, "Polar H10 77E1A0F3", "polar-h10", -66, 15);
        rig.Registry.Enroll(new Ingest.Gateway.Registry.EnrollmentRequest
        {
            Study = "study-a", Site = "site-1", Participant = "P-017", ProfileId = "polar-h10", Address = AddressB, Reason = "baseline visit", Actor = NurseRig.Staff,
        });
        var index = rig.Hub.NearbyTrackers.FindIndex(t => t.Candidate == enrolled);
        rig.Hub.NearbyTrackers[index] = rig.Hub.NearbyTrackers[index] with { Participant = "P-017" };
        rig.RadioFromRegistry(TrackerLinkState.Streaming, battery: 15);
    }

    [Fact]
    public async Task Find_RedrawsFromTheHubWithoutReload_TabletAndPhone()
    {
        await using var rig = await NurseRig.StartAsync("browser-find");
        FillRoom(rig);
        var page = await SignedInPageAsync(rig, Browser.Tablet);

        await page.GotoAsync(rig.Url("/nurse"));
        Assert.Equal(3, await page.Locator("[data-testid=nearby-row]").CountAsync());
        Assert.Equal(2, await page.Locator("[data-testid=check-button]").CountAsync());
        Assert.Equal(1, await page.Locator("[data-testid=enrolled-row]").CountAsync());

        // A tracker switched on now appears within a poll or two, with its own Check signal button, without a reload.
        var late = rig.AddNearby("C0:11:22:33:44:09", "Polar H10 LATE0001", "polar-h10", -58, 99);
        await page.Locator($"[data-testid=nearby-row][data-candidate={late}] [data-testid=check-button]").WaitForAsync();
        Assert.Equal(4, await page.Locator("[data-testid=nearby-row]").CountAsync());
        await AssertNoAddressAsync(page);
        rig.Hub.NearbyTrackers.RemoveAll(t => t.Candidate == late);
        await page.Locator($"[data-testid=nearby-row][data-candidate={late}]").WaitForAsync(new() { State = WaitForSelectorState.Detached });
        await Browser.ScreenshotForDocsAsync(page, "nurse-find-tablet");

        var phone = await SignedInPageAsync(rig, Browser.Phone);
        await phone.GotoAsync(rig.Url("/nurse"));
        await phone.Locator("[data-testid=nearby-row]").First.WaitForAsync();
        await Browser.ScreenshotForDocsAsync(phone, "nurse-find-phone");
    }

    [Fact]
    public async Task LiveCheck_ShowsRatesAndCharts_ThenTheTrackerIsLost()
    {
        await using var rig = await NurseRig.StartAsync("browser-check");
        FillRoom(rig);
        var polls = 0;
        var lost = false;
        rig.Hub.LiveCheckViews = candidate =>
        {
            var n = Interlocked.Increment(ref polls);
            if (Volatile.Read(ref lost))
            {
                return new LiveCheckView(candidate, "polar-h10", LiveCheckState.Lost, "link lost: out of range", 81, [], 0, 0);
            }

            var now = NurseRig.NowNs();
            return new LiveCheckView(candidate, "polar-h10", LiveCheckState.Streaming, null, 81,
            [
                new LiveStreamView("heart-rate", "heart_rate", "bpm", null, 1.2, 40L + n, [.. Enumerable.Range(0, 40).Select(i => 62 + (3 * Math.Sin((i + n) / 4.0)))]),
                new LiveStreamView("ecg", "ecg", "uV", 130, 127.9, 2600L + (130 * n), [.. Enumerable.Range(0, 256).Select(i => Ecg(i + (n * 13)))]),
                new LiveStreamView("acc", "x", "mG", 200, 141, 4000L + (141 * n), [.. Enumerable.Range(0, 200).Select(i => 980 * Math.Cos((i + n) / 9.0))]),
            ], now - 20_000_000_000, now + 280_000_000_000);
        };
        var page = await SignedInPageAsync(rig, Browser.Tablet);
        await page.GotoAsync(rig.Url("/nurse"));
        var candidate = rig.Hub.NearbyTrackers[0].Candidate;

        await page.Locator($"[data-testid=nearby-row][data-candidate={candidate}] [data-testid=check-button]").ClickAsync();
        await page.WaitForURLAsync(rig.Url($"/nurse/check/{candidate}"));
        Assert.Equal((candidate, NurseRig.Staff), Assert.Single(rig.Hub.LiveChecksStarted));
        await Assertions.Expect(page.Locator("#check-state")).ToHaveTextAsync("streaming");
        var ecg = page.Locator("[data-testid=stream-row][data-stream=ecg]");
        await Assertions.Expect(ecg.Locator("[data-testid=stream-verdict]")).ToHaveAttributeAsync("data-verdict", "ok");
        await Assertions.Expect(page.Locator("[data-testid=stream-row][data-stream=acc] [data-testid=stream-verdict]")).ToHaveAttributeAsync("data-verdict", "warn");

        // The script redraws: the sample count moves on and each chart has ink on it.
        var before = await ecg.Locator("[data-testid=stream-samples]").TextContentAsync();
        await Assertions.Expect(ecg.Locator("[data-testid=stream-samples]")).Not.ToHaveTextAsync(before!);
        var inked = await page.EvaluateAsync<int>("""
            () => Array.from(document.querySelectorAll('canvas[data-testid=stream-chart]')).filter(c => {
              const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
              for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) return true; }
              return false;
            }).length
            """);
        Assert.Equal(3, inked);
        await AssertNoAddressAsync(page);
        await Browser.ScreenshotForDocsAsync(page, "nurse-check-tablet");

        var phone = await SignedInPageAsync(rig, Browser.Phone);
        await phone.GotoAsync(rig.Url($"/nurse/check/{candidate}"));
        await Assertions.Expect(phone.Locator("#check-state")).ToHaveTextAsync("streaming");
        await phone.WaitForTimeoutAsync(1500); // one redraw, so the charts are drawn at the phone's width
        await Browser.ScreenshotForDocsAsync(phone, "nurse-check-phone");

        // The tracker goes away mid-check: a clear message and a way to check again.
        Volatile.Write(ref lost, true);
        await Assertions.Expect(page.Locator("#check-lost")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#check-lost-text")).ToContainTextAsync("stopped answering");
        await Assertions.Expect(page.Locator("#check-lost-text")).ToContainTextAsync("charged and worn");
        await Assertions.Expect(page.Locator("#check-state")).ToHaveTextAsync("lost");
        await Browser.ScreenshotForDocsAsync(page, "nurse-check-lost-tablet");

        // It vanished altogether (the hub has no check for it): still the same advice.
        rig.Hub.StopLiveCheck(candidate);
        await Assertions.Expect(page.Locator("#check-lost-text")).ToContainTextAsync("no tracker near the hub has that id");

        Volatile.Write(ref lost, false);
        await page.Locator("[data-testid=check-retry]").ClickAsync();
        await Assertions.Expect(page.Locator("#check-state")).ToHaveTextAsync("streaming");
        Assert.Single(rig.Hub.LiveChecksStarted);
        await Assertions.Expect(page.Locator("#check-lost")).ToBeHiddenAsync();
    }

    /// <summary>A made-up ECG-like wave for the screenshots: a sharp beat every 100 samples.</summary>
    private static double Ecg(int i)
    {
        var phase = i % 100;
        return phase switch
        {
            < 4 => 900 * phase / 4.0,
            < 8 => 900 - (1200 * (phase - 4) / 4.0),
            < 12 => -300 + (300 * (phase - 8) / 4.0),
            _ => 40 * Math.Sin(phase / 12.0),
        };
    }

    [Fact]
    public async Task Bind_TypedPseudonym_LabelQrReadsBackFromTheScreen_PrintAudited()
    {
        await using var rig = await NurseRig.StartAsync("browser-bind");
        FillRoom(rig);
        var candidate = rig.Hub.NearbyTrackers[0].Candidate;
        var page = await SignedInPageAsync(rig, Browser.Tablet);
        await page.GotoAsync(rig.Url($"/nurse/bind/{candidate}"));

        // No barcode detector behind Debian's chromium: the script says to type, and why (it has looked: "card. (why)").
        await Assertions.Expect(page.Locator("#scan-note")).ToContainTextAsync("Type the pseudonym from the study's card. (This browser cannot read QR codes");
        Assert.False(await page.Locator("#scan-button").IsVisibleAsync());
        Assert.Equal("polar-h10", await page.Locator("#profile").InputValueAsync());

        // Missing reason: a message next to the field, what was typed kept.
        await page.FillAsync("#participant", "P-023");
        await page.ClickAsync("#bind-submit");
        await Assertions.Expect(page.Locator("[data-testid=reason-error]")).ToContainTextAsync("Say why");
        Assert.Equal("P-023", await page.Locator("#participant").InputValueAsync());
        await Browser.ScreenshotForDocsAsync(page, "nurse-bind-error-tablet");

        await page.FillAsync("#reason", "baseline visit");
        await page.ClickAsync("#bind-submit");
        await page.WaitForURLAsync(rig.Url($"/nurse/label/{candidate}?bound=1"));
        Assert.Equal(NurseRig.Staff, rig.Registry.ActiveEnrollments().Single(e => e.Participant == "P-023").Actor);
        await Assertions.Expect(page.Locator("#page-message")).ToContainTextAsync("Bound: participant P-023");

        // What the nurse sees on the screen reads back as the hub and the pseudonyms.
        var qr = await Browser.ScreenshotOfLoadedImageAsync(page, "#label-qr");
        var label = TrackerLabel.Parse(PngLuminance.DecodeQr(qr));
        Assert.Equal(new TrackerLabel("hub-test", "study-a", "P-023", candidate), label);
        await AssertNoAddressAsync(page);
        await Browser.ScreenshotForDocsAsync(page, "nurse-label-tablet");

        await page.ClickAsync("#label-print");
        // The POST comes back as the label with ?print=1; the script drops the flag and opens the print dialog once.
        await page.WaitForFunctionAsync("() => window.__printed === 1 && location.search === ''");
        var entry = rig.Registry.Audit.List(5)[^1];
        Assert.Equal((NurseRig.Staff, "label-print"), (entry.Actor, entry.Action));

        var phone = await SignedInPageAsync(rig, Browser.Phone);
        await phone.GotoAsync(rig.Url($"/nurse/label/{candidate}"));
        await Browser.ScreenshotForDocsAsync(phone, "nurse-label-phone");
        var other = rig.Hub.NearbyTrackers[1].Candidate;
        await phone.GotoAsync(rig.Url($"/nurse/bind/{other}"));
        await Assertions.Expect(phone.Locator("#scan-note")).ToContainTextAsync("card. (");
        await Browser.ScreenshotForDocsAsync(phone, "nurse-bind-phone");
        await page.GotoAsync(rig.Url($"/nurse/bind/{other}"));
        await Browser.ScreenshotForDocsAsync(page, "nurse-bind-tablet");
    }

    [Fact]
    public async Task PreflightAuditAndUnenroll_TabletAndPhone()
    {
        await using var rig = await NurseRig.StartAsync("browser-preflight");
        FillRoom(rig);
        rig.Hub.Ingest = rig.Hub.Ingest with { Destination = "mqtts://broker.trial.example:8883", DestinationState = "connected", Backlog = 2 };
        var tablet = await SignedInPageAsync(rig, Browser.Tablet);
        var phone = await SignedInPageAsync(rig, Browser.Phone);

        foreach (var (page, size) in new[] { (tablet, "tablet"), (phone, "phone") })
        {
            await page.GotoAsync(rig.Url("/nurse/preflight"));
            Assert.Equal(6, await page.Locator("[data-testid=preflight-check]").CountAsync());
            await Assertions.Expect(page.Locator("[data-testid=preflight-check][data-check=broker]")).ToHaveAttributeAsync("data-ok", "true");
            await Browser.ScreenshotForDocsAsync(page, "nurse-preflight-" + size);
        }

        var device = rig.Registry.ActiveEnrollments().Single().Device;
        await tablet.GotoAsync(rig.Url("/nurse"));
        await tablet.Locator($"[data-testid=enrolled-row][data-device={device}] [data-testid=unenroll-link]").ClickAsync();
        await tablet.FillAsync("#reason", "participant withdrew");
        await Browser.ScreenshotForDocsAsync(tablet, "nurse-unenroll-tablet");
        await tablet.ClickAsync("#unenroll-submit");
        await Assertions.Expect(tablet.Locator("#page-message")).ToContainTextAsync("Unenrolled tracker " + device);
        Assert.Empty(rig.Registry.ActiveEnrollments());

        foreach (var (page, size) in new[] { (tablet, "tablet"), (phone, "phone") })
        {
            await page.GotoAsync(rig.Url("/nurse/audit"));
            await Assertions.Expect(page.Locator("#audit-chain")).ToHaveAttributeAsync("data-intact", "true");
            await Assertions.Expect(page.Locator("[data-testid=audit-row]").First).ToContainTextAsync(NurseRig.Staff);
            await Assertions.Expect(page.Locator("[data-testid=audit-row]").First).ToContainTextAsync("participant withdrew");
            await Browser.ScreenshotForDocsAsync(page, "nurse-audit-" + size);
        }
    }
}
