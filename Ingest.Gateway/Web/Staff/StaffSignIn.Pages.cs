using System.Globalization;
using System.Text;
using Ingest.Gateway.Registry;
using Microsoft.AspNetCore.Authentication;

namespace Ingest.Gateway.Web.Staff;

internal static partial class StaffSignIn
{
    /// <summary>GET /nurse/sign-in: the form, with why the last session ended when it did.</summary>
    private static async Task<IResult> SignInPageAsync(HttpContext context, IHubConsole hub, WebOptions options)
    {
        var returnPath = SafeReturnPath(context.Request.Query["return"].Count == 1 ? context.Request.Query["return"][0] : null);
        if (hub.Registry is null)
        {
            return SimulatedHubPage();
        }

        if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: Scheme })
        {
            return Results.Redirect(returnPath);
        }

        var message = "";
        if (context.Request.Query.ContainsKey("signed-out"))
        {
            message = Message("info", "You signed out.");
        }
        else if (context.Request.Cookies.TryGetValue(MarkerCookieName, out var marker))
        {
            message = Message("warning", marker switch
            {
                MarkerMaxLength => $"Your session ended after {StaffSignInLimits.MaxSessionLength.TotalHours:0} hours (the longest a session lasts); sign in again.",
                MarkerRevoked => "Your session ended because your account was changed (disabled, or given a new password or code); sign in again.",
                _ => $"Your session ended after {Minutes(options.SessionIdleTimeout)} without use; sign in again.",
            });
            ClearMarker(context);
            // The expired session cookie goes too, so the next request carries nothing stale.
            await context.SignOutAsync(Scheme).ConfigureAwait(false);
        }

        return SignInForm(context, null, returnPath, message, StatusCodes.Status200OK);
    }

    /// <summary>POST /nurse/sign-in: checks name, password and code (the registry's order), then starts the session.</summary>
    private static async Task<IResult> SignInAsync(HttpContext context, IHubConsole hub, TimeProvider time)
    {
        if (context.Request.ContentLength > WebLimits.MaxRequestBodyBytes)
        {
            // Refused before reading: a sign-in form is a few hundred bytes.
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        if (hub.Registry is not { } registry)
        {
            return SimulatedHubPage();
        }

        if (!context.Request.HasFormContentType)
        {
            return SignInForm(context, null, HomePath, Message("error", "That was not the sign-in form; sign in with this one."), StatusCodes.Status400BadRequest);
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex)
        {
            return Results.StatusCode(ex.StatusCode);
        }
        catch (InvalidDataException)
        {
            return SignInForm(context, null, HomePath, Message("error", "The sign-in form arrived damaged; sign in again."), StatusCodes.Status400BadRequest);
        }

        var name = Field(form, "name");
        var returnPath = SafeReturnPath(Field(form, "return"));
        if (!await IsFormGenuineAsync(context).ConfigureAwait(false))
        {
            return SignInForm(context, name, returnPath,
                Message("error", "This sign-in form had expired (it was open a long time, or the hub restarted) or did not come from this hub; sign in again with this one."),
                StatusCodes.Status400BadRequest);
        }

        StaffSignInResult result;
        try
        {
            result = registry.SignIn(name, Field(form, "password"), Field(form, "code"));
        }
        catch (RegistryException ex)
        {
            return SignInForm(context, name, returnPath, Message("error", "The hub could not check the sign-in: " + Html.Encode(ex.Message)), StatusCodes.Status503ServiceUnavailable);
        }

        var account = result.Account;
        switch (result.Outcome)
        {
            case StaffSignInOutcome.SignedIn when account is not null:
                await context.SignInAsync(Scheme, Principal(account, time.GetUtcNow()), new AuthenticationProperties { IsPersistent = false, AllowRefresh = true })
                    .ConfigureAwait(false);
                SetMarker(context, MarkerSignedIn);
                context.Response.Headers.Location = returnPath;
                return Results.StatusCode(StatusCodes.Status303SeeOther);
            case StaffSignInOutcome.WrongCode:
                var left = StaffLimits.MaxFailedSignIns - (account?.FailedSignIns ?? 0);
                return SignInForm(context, name, returnPath, Message("error",
                    "The code is not right, has expired, or was already used: use the current code from the authenticator app (a new one comes every " +
                    $"{StaffLimits.TotpStepSeconds} seconds, and each works once). If it keeps failing, check the tablet's clock and the phone's. " +
                    $"{left} more {(left == 1 ? "try" : "tries")} before the account locks for {Minutes(StaffLimits.LockoutDuration)}."),
                    StatusCodes.Status401Unauthorized);
            case StaffSignInOutcome.Locked:
                var until = (result.LockedUntil ?? time.GetUtcNow()).UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);
                return SignInForm(context, name, returnPath, Message("error",
                    $"This account is locked after {StaffLimits.MaxFailedSignIns} failed sign-ins until {until} UTC. " +
                    $"A coordinator can unlock it now on the hub: <code>wearable-ingest staff unlock --name {Html.Encode(account?.Name ?? name)}</code>"),
                    StatusCodes.Status401Unauthorized);
            case StaffSignInOutcome.Disabled:
                return SignInForm(context, name, returnPath, Message("error",
                    "This account is disabled, so it cannot sign in. A coordinator can enable it again on the hub: " +
                    $"<code>wearable-ingest staff enable --name {Html.Encode(account?.Name ?? name)}</code>"),
                    StatusCodes.Status401Unauthorized);
            default:
                return SignInForm(context, name, returnPath, Message("error",
                    "The name or password is not right. Check both (the password is case-sensitive) and try again."),
                    StatusCodes.Status401Unauthorized);
        }
    }

    /// <summary>POST /nurse/sign-out: ends the session (audited) and shows the sign-in page.</summary>
    private static async Task<IResult> SignOutAsync(HttpContext context, IHubConsole hub)
    {
        if (context.Request.ContentLength > WebLimits.MaxRequestBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }

        var signedIn = context.User.Identity is { IsAuthenticated: true, AuthenticationType: Scheme };
        if (signedIn && !await IsFormGenuineAsync(context).ConfigureAwait(false))
        {
            // A sign-out from another site (or a page open from before a restart): ask again on a page of our own.
            return Html.Page("Sign out", "<h1>Sign out</h1>" +
                Message("warning", "That sign-out did not come from a current page of this hub; press the button to sign out.") +
                $"<form method=\"post\" action=\"{SignOutPath}\">{AntiforgeryField(context)}<button type=\"submit\">Sign out</button></form>",
                statusCode: StatusCodes.Status400BadRequest);
        }

        if (signedIn && hub.Registry is { } registry)
        {
            try
            {
                registry.SignOut(context.StaffName());
            }
            catch (RegistryException)
            {
                // Signing out must work even when the audit cannot be written now; the session ends regardless.
            }
        }

        await context.SignOutAsync(Scheme).ConfigureAwait(false);
        ClearMarker(context);
        context.Response.Headers.Location = SignInPath + "?signed-out";
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>The sign-in page with <paramref name="message"/> (HTML) above the form.</summary>
    private static IResult SignInForm(HttpContext context, string? name, string returnPath, string message, int statusCode)
    {
        var shownName = name is { Length: <= StaffLimits.MaxNameLength } ? name : "";
        var html = new StringBuilder(2048);
        html.Append("<h1>Staff sign-in</h1>")
            .Append("<p>Sign in with your name, your password and the 6-digit code from the authenticator app on your phone.</p>")
            .Append(message)
            .Append("<form class=\"card\" method=\"post\" action=\"").Append(SignInPath).Append("\">")
            .Append(AntiforgeryField(context))
            .Append("<input type=\"hidden\" name=\"return\" value=\"").Append(Html.Encode(returnPath)).Append("\">")
            .Append("<label for=\"name\">Name</label>")
            .Append("<input id=\"name\" name=\"name\" type=\"text\" autocomplete=\"username\" autocapitalize=\"none\" autocorrect=\"off\" spellcheck=\"false\" required ")
            .Append("maxlength=\"").Append(StaffLimits.MaxNameLength).Append("\" value=\"").Append(Html.Encode(shownName)).Append('"')
            .Append(shownName.Length == 0 ? " autofocus" : "").Append('>')
            .Append("<label for=\"password\">Password</label>")
            .Append("<input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required maxlength=\"")
            .Append(StaffLimits.MaxPasswordLength).Append('"').Append(shownName.Length > 0 ? " autofocus" : "").Append('>')
            .Append("<label for=\"code\">Code from the authenticator app</label>")
            .Append("<input id=\"code\" name=\"code\" type=\"text\" inputmode=\"numeric\" autocomplete=\"one-time-code\" pattern=\"[0-9 ]{6,7}\" ")
            .Append("maxlength=\"7\" required placeholder=\"123456\">")
            .Append("<button type=\"submit\">Sign in</button>")
            .Append("</form>")
            .Append("<p class=\"muted\">No account yet, a new phone, or a forgotten password? A study coordinator manages accounts on the hub with ")
            .Append("<code>wearable-ingest staff</code>.</p>");
        return Html.Page("Staff sign-in", html.ToString(), statusCode: statusCode);
    }

    /// <summary>The sign-in page of a hub that runs simulated trackers: nothing to sign in to.</summary>
    private static IResult SimulatedHubPage() => Html.Page("Staff sign-in",
        "<h1>Staff sign-in</h1>" + Message("warning",
            "This hub runs simulated trackers (<code>wearable-ingest run --simulate</code>), enrolled in memory only: it has no registry of staff " +
            "or participants, so there is nothing to sign in to. Onboarding needs the hub on its real radio: <code>wearable-ingest run</code>.") ,
        statusCode: StatusCodes.Status503ServiceUnavailable);

    /// <summary>A form field's single value, or null when absent or sent more than once.</summary>
    private static string? Field(IFormCollection form, string key) =>
        form.TryGetValue(key, out var values) && values.Count == 1 ? values[0] : null;

    private static string Minutes(TimeSpan span) =>
        span.TotalMinutes == 1 ? "1 minute" : string.Create(CultureInfo.InvariantCulture, $"{span.TotalMinutes:0} minutes");
}
