using System.Collections.Frozen;
using System.Reflection;
using Ingest.Gateway.Web.Nurse;
using Ingest.Gateway.Web.Participant;
using Ingest.Gateway.Web.Staff;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Ingest.Gateway.Web;

/// <summary>
/// The hub's web pages, served by the running hub with ASP.NET Core's own server (Kestrel): the participant page at
/// <c>/</c> (no sign-in, no data, no identifiers), the nurse pages under <c>/nurse</c> (staff sign-in with a password
/// and a one-time code), and the page assets under <c>/assets</c>. The pages read the hub through
/// <see cref="IHubConsole"/>; a failure to listen (port taken) is reported and the hub runs on without them, because
/// the data path never depends on the web.
/// </summary>
internal sealed class HubWebServer : IAsyncDisposable
{
    /// <summary>Content types of the files under <c>Web/Assets</c>, by extension.</summary>
    private static readonly FrozenDictionary<string, string> s_assetTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".css"] = "text/css; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private readonly WebApplication _app;

    private HubWebServer(WebApplication app, IReadOnlyList<string> addresses)
    {
        _app = app;
        Addresses = addresses;
    }

    /// <summary>The addresses it listens on (with the real port when port 0 was asked for).</summary>
    public IReadOnlyList<string> Addresses { get; }

    /// <summary>Starts serving; returns null (after saying why through <paramref name="log"/>) when it cannot listen.</summary>
    public static async Task<HubWebServer?> StartAsync(WebOptions options, ParticipantOptions participant, IHubConsole hub, Action<string> log, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.Enabled)
        {
            return null;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(HubWebServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls([.. options.Urls]);
        builder.WebHost.ConfigureKestrel(static kestrel =>
        {
            // Forms and pages are small; nothing a nurse sends needs more.
            kestrel.Limits.MaxRequestBodySize = WebLimits.MaxRequestBodyBytes;
            kestrel.Limits.MaxRequestHeadersTotalSize = WebLimits.MaxRequestHeaderBytes;
            kestrel.AddServerHeader = false;
        });
        builder.Services.AddSingleton(hub);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(participant);
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        StaffSignIn.AddServices(builder.Services, options);

        var app = builder.Build();
        app.Use(static (context, next) =>
        {
            // No framing, no sniffing, nothing from elsewhere: the pages load only their own assets.
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";
            headers.CacheControl = "no-store";
            return next(context);
        });
        StaffSignIn.UseMiddleware(app);
        app.MapGet("/assets/{name}", static (string name) => Asset(name));
        ParticipantPages.Map(app);
        StaffSignIn.Map(app);
        NursePages.Map(app);

        try
        {
            await app.StartAsync().ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            log($"web: cannot listen on {string.Join(", ", options.Urls)} ({ex.Message.TrimEnd('.')}); the participant and nurse pages are off; " +
                "set Web:Urls (--web) to a free address, or off");
            await app.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        return new HubWebServer(app, addresses);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>A file under <c>Web/Assets</c> (embedded in the executable), or 404.</summary>
    private static IResult Asset(string name)
    {
        var extension = Path.GetExtension(name);
        if (name.Length > WebLimits.MaxAssetNameLength || !s_assetTypes.TryGetValue(extension, out var type))
        {
            return Results.NotFound();
        }

        var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Ingest.Gateway.Web.Assets." + name);
        return stream is null ? Results.NotFound() : Results.Stream(stream, type);
    }
}

/// <summary>Named limits of what the web pages accept.</summary>
internal static class WebLimits
{
    /// <summary>Largest request body: a form of a few fields (64 KiB).</summary>
    public const long MaxRequestBodyBytes = 64 * 1024;

    /// <summary>Largest request headers in total (32 KiB, Kestrel's default).</summary>
    public const int MaxRequestHeaderBytes = 32 * 1024;

    /// <summary>Longest asset file name.</summary>
    public const int MaxAssetNameLength = 64;

    /// <summary>Longest form field a person types (pseudonym, reason, name).</summary>
    public const int MaxFieldLength = 256;
}
