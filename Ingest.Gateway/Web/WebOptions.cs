namespace Ingest.Gateway.Web;

/// <summary>
/// The hub's web pages (<c>Web:*</c>): the participant page at <c>/</c> and the nurse pages under <c>/nurse</c>, served by
/// the running hub on the home or clinic network. Off when <see cref="Urls"/> is empty (<c>Web:Urls=off</c>).
/// </summary>
internal sealed record WebOptions
{
    /// <summary>Default: every interface, port 8080, so a phone or tablet on the hub's network reaches it.</summary>
    public const string DefaultUrl = "http://0.0.0.0:8080";

    /// <summary>Shortest idle time before a signed-in nurse must sign in again.</summary>
    public static readonly TimeSpan MinSessionIdleTimeout = TimeSpan.FromMinutes(1);

    /// <summary>Longest idle time: a tablet left in a clinic must not stay signed in for a day.</summary>
    public static readonly TimeSpan MaxSessionIdleTimeout = TimeSpan.FromHours(8);

    /// <summary>Where to listen (<c>http://ADDRESS:PORT</c>, port 0 picks a free one); empty: the web pages are off.</summary>
    public IReadOnlyList<string> Urls { get; init; } = [DefaultUrl];

    /// <summary>A signed-in session ends after this long without a request (<c>Web:SessionIdleTimeout</c>, default 15 min).</summary>
    public TimeSpan SessionIdleTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The pages are served.</summary>
    public bool Enabled => Urls.Count > 0;
}
