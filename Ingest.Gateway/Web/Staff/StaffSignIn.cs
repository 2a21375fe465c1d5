using System.Text;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.RateLimiting;

namespace Ingest.Gateway.Web.Staff;

/// <summary>
/// Staff sign-in for the nurse pages: a staff account's name, password and authenticator code (the registry's
/// <see cref="Registry.EnrollmentRegistry.SignIn"/>), then a session in an HttpOnly, SameSite=Strict cookie that ends
/// after <see cref="WebOptions.SessionIdleTimeout"/> without use or <see cref="StaffSignInLimits.MaxSessionLength"/>
/// after sign-in, and at once when the account is disabled or reset. Every form carries an anti-forgery token.
/// <para>
/// What the nurse pages use: <see cref="Policy"/> (<c>.RequireAuthorization(StaffSignIn.Policy)</c>),
/// <see cref="StaffHttpContextExtensions.StaffName"/> (the audit actor), <see cref="NavBar"/>,
/// <see cref="AntiforgeryField"/> in every POST form and <see cref="IsFormGenuineAsync"/> in every POST handler that
/// reads the form itself (handlers with <c>[FromForm]</c> parameters are checked by the framework).
/// </para>
/// </summary>
internal static partial class StaffSignIn
{
    /// <summary>The authorization policy every nurse page requires: a signed-in staff member.</summary>
    public const string Policy = "staff";

    /// <summary>The authentication scheme (cookie) of staff sessions.</summary>
    public const string Scheme = "staff-cookie";

    /// <summary>The session cookie.</summary>
    public const string CookieName = "wi-staff";

    /// <summary>
    /// A cookie that only says a session was started in this browser (and, when one ended early, why), so the sign-in
    /// page tells "your session ended" from a first visit. It holds no identity and no secret.
    /// </summary>
    public const string MarkerCookieName = "wi-staff-was";

    /// <summary>The anti-forgery cookie.</summary>
    public const string AntiforgeryCookieName = "wi-af";

    /// <summary>The anti-forgery token's form field.</summary>
    public const string AntiforgeryFieldName = "__wi_af";

    /// <summary>The anti-forgery token's header, for a script's <c>fetch</c> POST.</summary>
    public const string AntiforgeryHeaderName = "X-WI-AF";

    /// <summary>The sign-in page.</summary>
    public const string SignInPath = "/nurse/sign-in";

    /// <summary>The sign-out endpoint (POST).</summary>
    public const string SignOutPath = "/nurse/sign-out";

    /// <summary>Where a sign-in goes when it was not sent from a nurse page.</summary>
    public const string HomePath = "/nurse";

    /// <summary>The rate limiter policy on sign-in POSTs.</summary>
    public const string SignInRateLimitPolicy = "staff-sign-in";

    /// <summary>The data-protection keys' folder under the data directory's state folder.</summary>
    public const string KeyDirectoryName = "web-keys";

    /// <summary>The claim with the account's session stamp at sign-in (a reset or disable changes it: the session ends).</summary>
    internal const string StampClaim = "wi:session-stamp";

    /// <summary>The claim with the sign-in time (Unix seconds), for <see cref="StaffSignInLimits.MaxSessionLength"/>.</summary>
    internal const string SignedInClaim = "wi:signed-in";

    /// <summary>Registers authentication, authorization, anti-forgery, data-protection keys and the sign-in rate limit.</summary>
    public static void AddServices(IServiceCollection services, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);

        // The keys that protect the cookies live with the hub's state, private to its user, so a restart keeps sessions.
        services.AddDataProtection().SetApplicationName("wearable-ingest-web");
        services.AddOptions<KeyManagementOptions>().Configure<IHubConsole>(static (keys, hub) =>
            keys.XmlRepository = new PrivateXmlRepository(KeyDirectory(hub.DataDirectory)));

        services.AddAuthentication(Scheme).AddCookie(Scheme, cookie =>
        {
            cookie.Cookie.Name = CookieName;
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Strict;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.Cookie.IsEssential = true;
            cookie.Cookie.Path = HomePath;
            cookie.ExpireTimeSpan = options.SessionIdleTimeout;
            cookie.SlidingExpiration = true;
            cookie.LoginPath = SignInPath;
            cookie.ReturnUrlParameter = "return";
            cookie.Events.OnRedirectToLogin = RedirectToSignIn;
            cookie.Events.OnRedirectToAccessDenied = static context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            cookie.Events.OnValidatePrincipal = ValidateSessionAsync;
        });
        // The hub's clock (a test's, when it gives one) decides when a session expires.
        services.AddOptions<CookieAuthenticationOptions>(Scheme).Configure<TimeProvider>(static (cookie, time) => cookie.TimeProvider = time);
        services.AddAuthorizationBuilder().AddPolicy(Policy, static policy => policy
            .AddAuthenticationSchemes(Scheme)
            .RequireAuthenticatedUser()
            .RequireClaim(StampClaim));

        services.AddAntiforgery(static antiforgery =>
        {
            antiforgery.Cookie.Name = AntiforgeryCookieName;
            antiforgery.Cookie.HttpOnly = true;
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            antiforgery.Cookie.Path = HomePath;
            antiforgery.FormFieldName = AntiforgeryFieldName;
            antiforgery.HeaderName = AntiforgeryHeaderName;
            // The web server sends X-Frame-Options: DENY itself; the anti-forgery default (SAMEORIGIN) would weaken it.
            antiforgery.SuppressXFrameOptionsHeader = true;
        });

        services.AddRateLimiter(static limiter =>
        {
            limiter.AddFixedWindowLimiter(SignInRateLimitPolicy, static window =>
            {
                window.PermitLimit = StaffSignInLimits.SignInAttemptsPerMinute;
                window.Window = StaffSignInLimits.SignInRateWindow;
                window.QueueLimit = 0;
                window.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
            });
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = static (context, _) => new ValueTask(Html.Page("Too many sign-ins",
                "<h1>Staff sign-in</h1>" + Message("error",
                    $"This hub has had more than {StaffSignInLimits.SignInAttemptsPerMinute} sign-in attempts in the last minute, so it refuses more for now. " +
                    "Wait a minute, then sign in again.") + "<p><a class=\"button\" href=\"" + SignInPath + "\">Back to sign-in</a></p>",
                statusCode: StatusCodes.Status429TooManyRequests).ExecuteAsync(context.HttpContext));
        });
    }

    /// <summary>Adds authentication, authorization, anti-forgery and the rate limiter to the request pipeline (after routing).</summary>
    public static void UseMiddleware(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.UseRateLimiter();
    }

    /// <summary>Maps the sign-in page, sign-out and <c>/nurse/whoami</c> (the signed-in name as text; for tests and scripts).</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet(SignInPath, SignInPageAsync).AllowAnonymous();
        app.MapPost(SignInPath, SignInAsync).AllowAnonymous().RequireRateLimiting(SignInRateLimitPolicy);
        app.MapPost(SignOutPath, SignOutAsync).AllowAnonymous();
        app.MapGet("/nurse/whoami", static (HttpContext context) => Results.Text(context.StaffName() + "\n")).RequireAuthorization(Policy);
    }

    /// <summary>The hidden input with the request's anti-forgery token: put it in every POST form of the nurse pages.</summary>
    public static string AntiforgeryField(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<input type=\"hidden\" name=\"{Html.Encode(tokens.FormFieldName)}\" value=\"{Html.Encode(tokens.RequestToken)}\">";
    }

    /// <summary>
    /// Whether a POST carries a valid anti-forgery token (form field or <see cref="AntiforgeryHeaderName"/> header). A
    /// handler that reads the form itself calls this first and refuses the request when it is false.
    /// </summary>
    public static Task<bool> IsFormGenuineAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(context);
    }

    /// <summary>
    /// The nurse pages' navigation bar (for <c>Html.Page(…, nav: …)</c>): Find trackers, Pre-flight, Audit, then who is
    /// signed in and a sign-out button. <paramref name="current"/> is the path of the page showing it (e.g. <c>/nurse</c>).
    /// </summary>
    public static string NavBar(HttpContext context, string current)
    {
        ArgumentNullException.ThrowIfNull(context);
        var html = new StringBuilder(512);
        foreach (var (path, label) in (ReadOnlySpan<(string, string)>)[(HomePath, "Find trackers"), ("/nurse/preflight", "Pre-flight"), ("/nurse/audit", "Audit")])
        {
            var here = string.Equals(path, current, StringComparison.Ordinal);
            html.Append("<a href=\"").Append(path).Append('"').Append(here ? " class=\"current\" aria-current=\"page\"" : "").Append('>')
                .Append(label).Append("</a>");
        }

        html.Append("<form class=\"who\" method=\"post\" action=\"").Append(SignOutPath).Append("\">")
            .Append("Signed in as <strong>").Append(Html.Encode(context.StaffName())).Append("</strong> ")
            .Append(AntiforgeryField(context))
            .Append("<button type=\"submit\" class=\"secondary\">Sign out</button></form>");
        return html.ToString();
    }

    /// <summary>The data-protection keys' folder: <c>DATA_DIR/state/web-keys</c>.</summary>
    public static string KeyDirectory(string dataDirectory) =>
        Path.Combine(dataDirectory, Registry.EnrollmentRegistry.StateDirectoryName, KeyDirectoryName);

    /// <summary>A message box (role=alert for errors, so a screen reader says it).</summary>
    private static string Message(string kind, string text) =>
        $"<div class=\"message {kind}\"{(kind == "error" ? " role=\"alert\"" : "")}>{text}</div>";
}
