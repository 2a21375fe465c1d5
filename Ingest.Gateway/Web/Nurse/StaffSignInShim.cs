using Ingest.Gateway.Web.Staff;
using Microsoft.AspNetCore.Antiforgery;

namespace Ingest.Gateway.Web.Nurse;

/// <summary>TEMPORARY: stands in for the staff sign-in members until the auth branch lands; deleted at the merge.</summary>
internal static class StaffSignInShim
{
    extension(StaffSignIn)
    {
        public static string AntiforgeryField(HttpContext context)
        {
            var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
            return $"<input type=\"hidden\" name=\"{Html.Encode(tokens.FormFieldName)}\" value=\"{Html.Encode(tokens.RequestToken)}\">";
        }

        public static string NavBar(HttpContext context, string current) =>
            $"<a href=\"/nurse\" class=\"{(current == "/nurse" ? "current" : "")}\">Find trackers</a><a href=\"/nurse/preflight\">Pre-flight</a><a href=\"/nurse/audit\">Audit</a><span class=\"who\">{Html.Encode(context.StaffName())}</span>";
    }

    extension(HttpContext context)
    {
        public string StaffName() => context.User.Identity?.Name ?? "shim-nurse";
    }
}
