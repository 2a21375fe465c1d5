namespace Ingest.Gateway.Web.Participant;

/// <summary>The participant page at <c>/</c>: one big state in plain words, in the participant's language.</summary>
internal static class ParticipantPages
{
    /// <summary>Maps the participant page's endpoints.</summary>
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
    }
}
