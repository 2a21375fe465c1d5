using Ingest.Gateway.Web;
using Ingest.Gateway.Web.Participant;

namespace Ingest.Tests.Web;

/// <summary>The hub's web server on a free loopback port over a <see cref="FakeHubConsole"/>, for page tests.</summary>
internal sealed class WebRig : IAsyncDisposable
{
    private readonly HubWebServer _server;

    private WebRig(HubWebServer server, FakeHubConsole hub)
    {
        _server = server;
        Hub = hub;
        BaseAddress = new Uri(server.Addresses[0].Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    public FakeHubConsole Hub { get; }

    /// <summary>http://127.0.0.1:PORT</summary>
    public Uri BaseAddress { get; }

    /// <summary>Lines the server logged.</summary>
    public List<string> Log { get; } = [];

    public static async Task<WebRig> StartAsync(FakeHubConsole hub, WebOptions? options = null, ParticipantOptions? participant = null, TimeProvider? time = null)
    {
        var log = new List<string>();
        var server = await HubWebServer.StartAsync(options ?? new WebOptions { Urls = ["http://127.0.0.1:0"] }, participant ?? new ParticipantOptions(), hub,
            line => { lock (log) { log.Add(line); } }, time);
        Assert.True(server is not null, "the web server did not start: " + string.Join(Environment.NewLine, log));
        var rig = new WebRig(server!, hub);
        rig.Log.AddRange(log);
        return rig;
    }

    /// <summary>A client with its own cookie jar that does not follow redirects (tests look at them).</summary>
    public HttpClient Client(bool followRedirects = false) =>
        new(new HttpClientHandler { AllowAutoRedirect = followRedirects, UseCookies = true, CookieContainer = new System.Net.CookieContainer() })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
