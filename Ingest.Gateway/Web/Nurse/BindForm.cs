using Ingest.Gateway.Registry;

namespace Ingest.Gateway.Web.Nurse;

/// <summary>
/// The bind form as typed: participant pseudonym, profile, reason, swap. <see cref="Validate"/> checks every field against
/// named limits before anything else sees it, and says per field what is wrong and what to type instead; the registry
/// checks its own rules again (already enrolled, swap needed).
/// </summary>
internal sealed record BindForm(string Participant, string ProfileId, string Reason, bool Swap)
{
    /// <summary>Form field names (also the elements' ids).</summary>
    public const string ParticipantField = "participant", ProfileField = "profile", ReasonField = "reason", SwapField = "swap";

    /// <summary>The form's fields from a POST (missing ones empty; only the first value of a repeated field counts).</summary>
    public static BindForm From(IFormCollection form) => new(
        First(form, ParticipantField).Trim(),
        First(form, ProfileField).Trim(),
        First(form, ReasonField).Trim(),
        string.Equals(First(form, SwapField), "on", StringComparison.Ordinal));

    /// <summary>The first value of <paramref name="name"/>, or "".</summary>
    public static string First(IFormCollection form, string name) => form.TryGetValue(name, out var values) && values.Count > 0 ? values[0] ?? "" : "";

    /// <summary>What is wrong, by field name; empty when every field is fine.</summary>
    public IReadOnlyDictionary<string, string> Validate(IReadOnlyCollection<string> profileIds)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Participant.Length == 0)
        {
            errors[ParticipantField] = "Type or scan the participant pseudonym (as printed on the study's card).";
        }
        else if (Participant.Length > WebLimits.MaxFieldLength || !RegistryLimits.IsValidId(Participant))
        {
            errors[ParticipantField] = $"'{Shown(Participant)}' is not a participant pseudonym: it has {RegistryLimits.IdRule}.";
        }

        if (!profileIds.Contains(ProfileId, StringComparer.Ordinal))
        {
            errors[ProfileField] = "Choose the tracker's profile from the list.";
        }

        if (ReasonProblem(Reason) is { } reasonProblem)
        {
            errors[ReasonField] = reasonProblem;
        }

        return errors;
    }

    /// <summary>What is wrong with a reason (bind and unenroll), or null when it is fine.</summary>
    public static string? ReasonProblem(string reason)
    {
        if (reason.Length == 0)
        {
            return "Say why, e.g. \"baseline visit\" or \"strap broke, replaced\": the audit trail keeps it.";
        }

        if (reason.Length > MaxReasonLength || !RegistryLimits.IsPrintable(reason, MaxReasonLength))
        {
            return $"The reason is at most {MaxReasonLength} characters on one line (it has {reason.Length}); shorten it.";
        }

        return TrackerAddress.ContainsAddress(reason)
            ? "The reason holds a radio address, which must not go into the audit trail; leave it out (the tracker's pseudonym is recorded)."
            : null;
    }

    /// <summary>Longest reason the form takes: the web's field limit, and never more than the registry keeps.</summary>
    public static int MaxReasonLength => Math.Min(WebLimits.MaxFieldLength, RegistryLimits.MaxReasonLength);

    /// <summary>A rejected value as the page may echo it: never an address, never a screenful.</summary>
    public static string Shown(string value) => TrackerAddress.Redact(value.Length > 40 ? value[..40] + "…" : value);

    /// <summary>
    /// A registry message in the form's words: the registry speaks to the command line (<c>--swap</c>), the nurse sees
    /// a checkbox and fields.
    /// </summary>
    public static string InFormWords(string registryMessage) => registryMessage
        .Replace("use --swap", "tick \u201CReplace the participant's current tracker\u201D", StringComparison.Ordinal)
        .Replace("replace it with --swap", "replace it by ticking \u201CReplace the participant's current tracker\u201D", StringComparison.Ordinal)
        .Replace("enroll without --swap", "untick \u201CReplace the participant's current tracker\u201D", StringComparison.Ordinal)
        .Replace("(wearable-ingest unenroll --device ", "(Unenroll on Find trackers, device ", StringComparison.Ordinal)
        .Replace(" --reason …)", ")", StringComparison.Ordinal)
        .Replace("--participant", "Participant", StringComparison.Ordinal)
        .Replace("--reason", "Reason", StringComparison.Ordinal)
        .Replace("--profile", "Profile", StringComparison.Ordinal);
}
