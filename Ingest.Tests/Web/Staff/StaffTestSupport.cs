using System.Text.RegularExpressions;
using Ingest.Gateway.Registry;
using Ingest.Gateway.Web.Staff;
using OtpNet;

namespace Ingest.Tests.Web.Staff;

/// <summary>
/// A clock that stands still until the test moves it: one-time codes computed by the test match the hub's exactly (no
/// 30 s boundary between computing and checking), and a session expires when the test says. Timers run on real time.
/// </summary>
internal sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now = start;

    /// <summary>A clock at the middle of the current 30 s step, so ±1 step never crosses a boundary by accident.</summary>
    public static TestClock AtStepMiddle()
    {
        var seconds = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new TestClock(DateTimeOffset.FromUnixTimeSeconds(seconds - seconds % StaffLimits.TotpStepSeconds + StaffLimits.TotpStepSeconds / 2));
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_lock)
        {
            _now += by;
        }
    }
}

/// <summary>Staff accounts, codes and forms for the sign-in tests.</summary>
internal static partial class StaffTestSupport
{
    public const string Password = "correct horse battery";

    /// <summary>The code an authenticator app shows for <paramref name="secret"/> at <paramref name="time"/>.</summary>
    public static string Code(byte[] secret, DateTimeOffset time) =>
        new Totp(secret, StaffLimits.TotpStepSeconds, OtpHashMode.Sha1, StaffLimits.TotpDigits).ComputeTotp(time.UtcDateTime);

    /// <summary>A registry in <paramref name="dataDirectory"/> on <paramref name="clock"/> with staff member <paramref name="name"/>; returns the code secret.</summary>
    public static (EnrollmentRegistry Registry, byte[] Secret) RegistryWithStaff(string dataDirectory, TimeProvider clock, string name = "nurse.jones")
    {
        var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(dataDirectory), create: true, clock);
        var added = registry.AddStaff(name, "site-7", Password, "coordinator", "new nurse");
        return (registry, added.TotpSecret!);
    }

    /// <summary>The anti-forgery token in a page's form.</summary>
    public static string FormToken(string html)
    {
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, "no anti-forgery field in: " + html);
        return System.Net.WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>A sign-in form body with the page's token.</summary>
    public static FormUrlEncodedContent SignInForm(string? token, string name, string password, string code, string? returnPath = null)
    {
        var fields = new List<KeyValuePair<string, string>> { new("name", name), new("password", password), new("code", code) };
        if (token is not null)
        {
            fields.Add(new(StaffSignIn.AntiforgeryFieldName, token));
        }

        if (returnPath is not null)
        {
            fields.Add(new("return", returnPath));
        }

        return new FormUrlEncodedContent(fields);
    }

    [GeneratedRegex("name=\"__wi_af\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
