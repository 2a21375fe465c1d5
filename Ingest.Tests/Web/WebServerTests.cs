using System.Net;
using System.Net.Sockets;
using Ingest.Gateway.Web;
using Ingest.Gateway.Web.Participant;

namespace Ingest.Tests.Web;

/// <summary>The web server itself: assets, security headers, limits, and a taken port that leaves the hub running.</summary>
public sealed class WebServerTests(Browser browser) : IClassFixture<Browser>
{
    [Fact]
    public async Task Assets_ServedWithTypeAndSecurityHeaders_UnknownOnes404()
    {
        await using var rig = await WebRig.StartAsync(new FakeHubConsole(Support.Peers.NewScratchDirectory("web-assets")));
        using var client = rig.Client();

        using var css = await client.GetAsync("/assets/site.css");
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
        Assert.Contains("--ok", await css.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("nosniff", css.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", css.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", css.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.False(css.Headers.Contains("Server"), "the server header names the software; it is off");

        foreach (var path in new[] { "/assets/nothing.css", "/assets/site.exe", "/assets/" + new string('a', WebLimits.MaxAssetNameLength + 1) + ".css", "/assets/..%2Fwearable-ingest.dll" })
        {
            using var missing = await client.GetAsync(path);
            Assert.True(missing.StatusCode == HttpStatusCode.NotFound, path + " → " + missing.StatusCode);
        }
    }

    [Fact]
    public async Task TakenPort_SaysSoAndHowToChangeIt_ReturnsNull()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var log = new List<string>();

        var server = await HubWebServer.StartAsync(new WebOptions { Urls = [$"http://127.0.0.1:{port}"] }, new ParticipantOptions(),
            new FakeHubConsole(Support.Peers.NewScratchDirectory("web-taken")), log.Add);

        Assert.Null(server);
        var line = Assert.Single(log);
        Assert.Contains($"127.0.0.1:{port}", line, StringComparison.Ordinal);
        Assert.Contains("Web:Urls", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Off_StartsNothing()
    {
        var log = new List<string>();
        var server = await HubWebServer.StartAsync(new WebOptions { Urls = [] }, new ParticipantOptions(),
            new FakeHubConsole(Support.Peers.NewScratchDirectory("web-off")), log.Add);
        Assert.Null(server);
        Assert.Empty(log);
    }

    [Fact]
    public async Task OversizedBody_Refused()
    {
        await using var rig = await WebRig.StartAsync(new FakeHubConsole(Support.Peers.NewScratchDirectory("web-body")));
        using var client = rig.Client();
        using var body = new ByteArrayContent(new byte[WebLimits.MaxRequestBodyBytes + 1]);
        using var response = await client.PostAsync("/nurse/sign-in", body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Chromium_LoadsTheStylesheet()
    {
        await using var rig = await WebRig.StartAsync(new FakeHubConsole(Support.Peers.NewScratchDirectory("web-chromium")));
        var page = await browser.NewPageAsync();
        var response = await page.GotoAsync(new Uri(rig.BaseAddress, "/assets/site.css").ToString());
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        Assert.Contains("--ok", await response.TextAsync(), StringComparison.Ordinal);
    }
}
