using System.Globalization;
using System.Security.Claims;
using Ingest.Gateway.Registry;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Ingest.Gateway.Web.Staff;

internal static partial class StaffSignIn
{
    /// <summary>Marker value: a session was started here (when it is gone, it ran out without use).</summary>
    private const string MarkerSignedIn = "1";

    /// <summary>Marker value: the session reached <see cref="StaffSignInLimits.MaxSessionLength"/>.</summary>
    private const string MarkerMaxLength = "max";

    /// <summary>Marker value: the account was disabled, reset or removed while signed in.</summary>
    private const string MarkerRevoked = "revoked";

    /// <summary>The principal of a session for <paramref name="account"/>, signed in at <paramref name="now"/>.</summary>
    private static ClaimsPrincipal Principal(StaffAccount account, DateTimeOffset now)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, account.Name),
                new Claim(ClaimTypes.NameIdentifier, account.Name),
                new Claim(StampClaim, account.SessionStamp),
                new Claim(SignedInClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
            ],
            Scheme, ClaimTypes.Name, ClaimTypes.Role);
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// On every request with a session: it ends when it is older than <see cref="StaffSignInLimits.MaxSessionLength"/>, or
    /// the account is gone, disabled or reset since (its session stamp changed), or the hub has no registry.
    /// </summary>
    private static async Task ValidateSessionAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var name = principal?.Identity?.Name;
        var stamp = principal?.FindFirst(StampClaim)?.Value;
        var signedIn = long.TryParse(principal?.FindFirst(SignedInClaim)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
        string? ended;
        if (name is null || stamp is null || now - signedIn >= StaffSignInLimits.MaxSessionLength)
        {
            ended = MarkerMaxLength;
        }
        else
        {
            StaffAccount? account;
            try
            {
                account = context.HttpContext.RequestServices.GetRequiredService<IHubConsole>().Registry?.FindStaff(name);
            }
            catch (RegistryException)
            {
                // The registry is busy or failing: refuse this request (fail closed) but keep the session for the next.
                context.RejectPrincipal();
                return;
            }

            ended = account is null || account.Disabled || !string.Equals(account.SessionStamp, stamp, StringComparison.Ordinal) ? MarkerRevoked : null;
        }

        if (ended is not null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme).ConfigureAwait(false);
            SetMarker(context.HttpContext, ended);
        }
    }

    /// <summary>
    /// A request without a session: a page (GET) goes to the sign-in page and comes back after it; a form POST goes to
    /// the sign-in page; a script's request gets 401.
    /// </summary>
    private static Task RedirectToSignIn(RedirectContext<CookieAuthenticationOptions> context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
        {
            var back = SafeReturnPath(request.Path.Value + request.QueryString.Value);
            context.Response.Redirect(string.Equals(back, HomePath, StringComparison.Ordinal) ? SignInPath : SignInPath + "?return=" + Uri.EscapeDataString(back));
        }
        else if (request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status303SeeOther;
            context.Response.Headers.Location = SignInPath;
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// <paramref name="requested"/> when it is a nurse page's path on this hub, else <see cref="HomePath"/>: never another
    /// site (<c>//evil.example</c>, <c>https://…</c>, <c>/\evil</c>), never the sign-in or sign-out itself, nothing with
    /// control characters or longer than <see cref="StaffSignInLimits.MaxReturnPathLength"/>.
    /// </summary>
    internal static string SafeReturnPath(string? requested)
    {
        if (requested is null || requested.Length is 0 or > StaffSignInLimits.MaxReturnPathLength
            || !requested.StartsWith(HomePath, StringComparison.Ordinal)
            || (requested.Length > HomePath.Length && requested[HomePath.Length] is not ('/' or '?'))
            || requested.StartsWith(SignInPath, StringComparison.Ordinal) || requested.StartsWith(SignOutPath, StringComparison.Ordinal))
        {
            return HomePath;
        }

        foreach (var c in requested)
        {
            if (char.IsControl(c) || c == '\\')
            {
                return HomePath;
            }
        }

        return requested;
    }

    private static CookieOptions MarkerOptions(HttpContext context) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = context.Request.IsHttps,
        Path = HomePath,
        IsEssential = true,
    };

    private static void SetMarker(HttpContext context, string value) =>
        context.Response.Cookies.Append(MarkerCookieName, value, MarkerOptions(context));

    private static void ClearMarker(HttpContext context) =>
        context.Response.Cookies.Delete(MarkerCookieName, MarkerOptions(context));
}
