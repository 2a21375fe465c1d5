using System.Runtime.Versioning;
using System.Text.RegularExpressions;
using Ingest.Gateway.Registry;
using Ingest.Gateway.Web.Nurse;
using Ingest.Tests.Radio.Mock;
using Ingest.Tests.Support;
using Ingest.Tests.Web;
using Ingest.Tests.Web.Nurse;
using Ingest.Tests.Web.Staff;
using Microsoft.Playwright;
using GatewayProcess = Ingest.Tests.Gateway.Gateway;

namespace Ingest.Tests.EndToEnd;

/// <summary>
/// The whole onboarding flow in a real browser against the real hub: `wearable-ingest run` on its BlueZ radio
/// (python-dbusmock on a private bus), a Polar H10 near it that nobody enrolled, and Debian's chromium. A nurse signs in
/// with her password and one-time code, finds the strap, checks its live signal (the hub connects it for the check,
/// its heart rates appear, nothing of it is kept), binds it to a typed participant pseudonym, and gets a label whose QR
/// code reads back as the hub and the pseudonyms; the hub then connects the strap as enrolled and its data land in the
/// outbox; the audit trail names the nurse; no radio address appears on any page.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class NurseOnboardingFlowTests(Browser browser) : IClassFixture<Browser>
{
    private const string Address = "A0:9E:1A:0A:1B:2C";
    private const string Nurse = "nurse.anna";

    [Fact]
    public async Task Nurse_SignsIn_FindsChecksAndBindsTheStrap_LabelReadsBack_HubStreamsIt_AuditNamesHer()
    {
        await using var mock = await BlueZMock.StartAsync();
        var adapter = await mock.AddAdapterAsync();
        var strap = await mock.AddPolarH10Async(adapter, Address);
        using var data = new TemporaryDirectory("nurse-e2e");
        byte[] secret;
        using (var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(data.Path), create: true))
        {
            secret = registry.AddStaff(Nurse, "site-1", StaffTestSupport.Password, "coordinator", "new study nurse").TotpSecret!;
        }

        var environment = new Dictionary<string, string> { ["DBUS_SYSTEM_BUS_ADDRESS"] = mock.Address };
        using var hub = GatewayProcess.Start(["run", "--data-dir", data.Path, "--hub-id", "hub-e2e", "--web", "http://127.0.0.1:0", "--batch-age", "200ms"], environment);
        await hub.WaitForOutputAsync("web: participant page ", TimeSpan.FromSeconds(60));
        var web = WebAddress().Match(hub.Output);
        Assert.True(web.Success, hub.Output);
        var root = web.Groups[1].Value;

        // The strap sends heart rates whenever something listens (the hub subscribes for the check, then as enrolled).
        using var stopPumping = new CancellationTokenSource();
        var pumping = PumpHeartRatesAsync(mock, strap, stopPumping.Token);
        try
        {
            var page = await browser.NewPageAsync(Browser.Tablet);

            // Signing in: the nurse pages redirect to the sign-in form; password and the authenticator's current code.
            await page.GotoAsync(root + "/nurse");
            await page.WaitForURLAsync(new Regex("/nurse/sign-in"));
            await page.FillAsync("#name", Nurse);
            await page.FillAsync("#password", StaffTestSupport.Password);
            await page.FillAsync("#code", StaffTestSupport.Code(secret, DateTimeOffset.UtcNow));
            await page.ClickAsync("button[type=submit]:has-text('Sign in')");
            await page.WaitForURLAsync(root + "/nurse");

            // Find: the strap is listed by pseudonym and profile, not enrolled.
            var row = page.Locator("[data-testid=nearby-row]").First;
            await Assertions.Expect(row).ToBeVisibleAsync(new() { Timeout = 30_000 });
            var candidate = await row.GetAttributeAsync("data-candidate");
            Assert.StartsWith("dev-", candidate, StringComparison.Ordinal);
            await AssertNoAddressAsync(page);

            // Live check: the hub connects the strap for the check; its heart rates arrive.
            await row.Locator("[data-testid=check-button]").ClickAsync();
            await page.WaitForURLAsync(root + $"/nurse/check/{candidate}");
            await Assertions.Expect(page.Locator("#check-state")).ToHaveTextAsync("streaming", new() { Timeout = 30_000 });
            var hr = page.Locator("[data-testid=stream-row][data-stream=hr] [data-testid=stream-samples]");
            await Assertions.Expect(hr).Not.ToHaveTextAsync(new Regex("^0$"), new() { Timeout = 30_000 });
            await hub.WaitForOutputAsync($"radio: live check of {candidate} connected", TimeSpan.FromSeconds(10));
            await AssertNoAddressAsync(page);

            // Bind to a typed pseudonym with a reason.
            await page.Locator("[data-testid=bind-link]").First.ClickAsync();
            await page.WaitForURLAsync(root + $"/nurse/bind/{candidate}");
            await page.FillAsync("#participant", "P-0042");
            await page.FillAsync("#reason", "baseline visit, strap fitted");
            await page.ClickAsync("#bind-submit");
            await page.WaitForURLAsync(new Regex($"/nurse/label/{candidate}"));

            // The label's QR code, read off the screen, is the hub and the pseudonyms.
            var qr = await Browser.ScreenshotOfLoadedImageAsync(page, "#label-qr");
            var label = TrackerLabel.Parse(PngLuminance.DecodeQr(qr));
            Assert.Equal(new TrackerLabel("hub-e2e", "demo", "P-0042", candidate!), label);
            await AssertNoAddressAsync(page);

            // The hub takes the strap over as enrolled: its heart rates land under the participant's pseudonym.
            await hub.WaitForOutputAsync($"radio: tracker {candidate} connected", TimeSpan.FromSeconds(30));
            var outbox = Path.Combine(data.Path, "outbox", "P-0042", candidate + ".hr");
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!(Directory.Exists(outbox) && Directory.GetFiles(outbox, "*.arrows").Length > 0))
            {
                Assert.True(DateTime.UtcNow < deadline, "no heart-rate batch in " + outbox + "\n" + hub.Output);
                await Task.Delay(200);
            }

            // The participant page (no sign-in) shows a state and nothing that identifies anyone.
            var participant = await browser.NewPageAsync(Browser.Phone);
            await participant.GotoAsync(root + "/");
            var text = await participant.Locator("body").InnerTextAsync();
            Assert.DoesNotContain("P-0042", text, StringComparison.Ordinal);
            Assert.DoesNotContain(candidate!, text, StringComparison.Ordinal);
            await AssertNoAddressAsync(participant);
        }
        finally
        {
            await stopPumping.CancelAsync();
            await pumping;
            await hub.SignalAsync(15);
            await hub.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // The audit trail verifies and names the nurse for the check and the binding.
        var (listed, trail) = await GatewayProcess.RunAsync(["audit", "list", "--data-dir", data.Path]);
        Assert.True(listed == 0, trail);
        Assert.Matches(new Regex($"{Regex.Escape(Nurse)}.*sign-in"), trail);
        Assert.Matches(new Regex($"{Regex.Escape(Nurse)}.*live-check"), trail);
        Assert.Matches(new Regex($"{Regex.Escape(Nurse)}.*enroll"), trail);
        var (verified, verifyOutput) = await GatewayProcess.RunAsync(["audit", "verify", "--data-dir", data.Path]);
        Assert.True(verified == 0, verifyOutput);
        Assert.DoesNotContain(Address, hub.Output, StringComparison.OrdinalIgnoreCase);
    }

    private static async Task PumpHeartRatesAsync(BlueZMock mock, string strap, CancellationToken stop)
    {
        byte bpm = 60;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await mock.NotifyAsync(strap, BlueZMock.HeartRateMeasurement, [0x00, bpm]);
                bpm = (byte)(bpm >= 90 ? 60 : bpm + 1);
                await Task.Delay(250, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Nobody subscribed yet, or the mock is between states: try again shortly.
                await Task.Delay(250, CancellationToken.None);
            }
        }
    }

    private static async Task AssertNoAddressAsync(IPage page)
    {
        var html = await page.ContentAsync();
        Assert.DoesNotContain(Address, html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Address.Replace(":", "", StringComparison.Ordinal), html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Address.Replace(':', '_'), html, StringComparison.OrdinalIgnoreCase);
    }

    [GeneratedRegex(@"web: participant page (http://\S+)/ ")]
    private static partial Regex WebAddress();
}
