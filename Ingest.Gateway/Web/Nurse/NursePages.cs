namespace Ingest.Gateway.Web.Nurse;

/// <summary>The nurse pages under <c>/nurse</c>: find, live check, bind, label, pre-flight. Signed-in staff only.</summary>
internal static class NursePages
{
    /// <summary>Maps the nurse pages' endpoints.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
    }
}
