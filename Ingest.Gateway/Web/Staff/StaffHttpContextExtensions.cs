namespace Ingest.Gateway.Web.Staff;

/// <summary>What a nurse page asks of the request about who is signed in.</summary>
internal static class StaffHttpContextExtensions
{
    /// <summary>
    /// The signed-in staff member's name: the actor for the audit trail. Only on pages mapped with
    /// <c>.RequireAuthorization(StaffSignIn.Policy)</c>.
    /// </summary>
    /// <exception cref="InvalidOperationException">No staff member is signed in (the page is not guarded).</exception>
    public static string StaffName(this HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.User.Identity is { IsAuthenticated: true, AuthenticationType: StaffSignIn.Scheme, Name: { Length: > 0 } name }
            ? name
            : throw new InvalidOperationException("no staff member is signed in: map this page with .RequireAuthorization(StaffSignIn.Policy)");
    }
}
