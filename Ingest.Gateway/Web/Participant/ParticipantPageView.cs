using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ingest.Pipeline.Profiles;

namespace Ingest.Gateway.Web.Participant;

/// <summary>
/// What the participant page and <c>/api/participant-state</c> show, in words of one language: built from the hub's
/// <see cref="ParticipantState"/> with no pseudonym, hub id or address left in it (trackers are named by their profile's
/// model name, numbered when two share one).
/// </summary>
/// <param name="Language">The language of the words.</param>
/// <param name="State">The state shown.</param>
/// <param name="Since">When it began.</param>
/// <param name="Title">The big line.</param>
/// <param name="Action">The one thing to do.</param>
/// <param name="Trackers">Each tracker: its name, state and a short label.</param>
/// <param name="Also">Other states that hold: title and action each.</param>
/// <param name="CheckedAt">Now, as a clock time in the hub's time zone (the page says when it last asked).</param>
/// <param name="Key">Changes when what the page shows changes (not with the language): the page's script reloads on it.</param>
internal sealed record ParticipantPageView(
    string Language,
    ParticipantStateCode State,
    DateTimeOffset Since,
    string Title,
    string Action,
    IReadOnlyList<ParticipantPageView.TrackerLine> Trackers,
    IReadOnlyList<ParticipantPageView.AlsoLine> Also,
    string CheckedAt,
    string Key)
{
    /// <summary>The colour of <see cref="State"/>.</summary>
    public ParticipantStateColour Colour => ParticipantStates.ColourOf(State);

    /// <summary>The words of <paramref name="state"/> (the hub's view: every tracker) in <paramref name="language"/>.</summary>
    /// <param name="state">The hub's state (<see cref="ParticipantStateSnapshot.Hub"/>).</param>
    /// <param name="profiles">The hub's profiles, for the trackers' model names.</param>
    /// <param name="language">One of <see cref="ParticipantOptions.Languages"/>.</param>
    /// <param name="now">Now (a time today shows without its date).</param>
    /// <param name="zone">The hub's time zone (the participant's).</param>
    public static ParticipantPageView Build(ParticipantState state, IReadOnlyList<FirmwareProfile> profiles, string language, DateTimeOffset now, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(profiles);
        var texts = ParticipantTexts.For(language);
        var names = Names(state.Trackers, profiles, texts);
        var several = state.Trackers.Count > 1;

        string Line(ParticipantCondition condition, DateTimeOffset since)
        {
            var words = texts.States[condition.State];
            var template = several && condition.Subject is not null && words.TitleNamed is not null ? words.TitleNamed : words.Title;
            return ParticipantTexts.Fill(template, ParticipantTexts.Time(texts, since, now, zone), condition.Subject is null ? null : names[condition.Subject]);
        }

        var trackers = new List<TrackerLine>(state.Trackers.Count);
        foreach (var tracker in state.Trackers)
        {
            var label = ParticipantTexts.Fill(texts.States[tracker.State].TrackerLabel, ParticipantTexts.Time(texts, tracker.Since, now, zone), null);
            trackers.Add(new TrackerLine(names[tracker.Device], tracker.State, label));
        }

        var also = new List<AlsoLine>(state.Also.Count);
        foreach (var condition in state.Also)
        {
            also.Add(new AlsoLine(condition.State, Line(condition, condition.Since ?? state.Since), texts.States[condition.State].Action));
        }

        var title = Line(new ParticipantCondition(state.State, state.Since, state.Subject), state.Since);
        return new ParticipantPageView(language, state.State, state.Since, title, texts.States[state.State].Action, trackers, also,
            ParticipantTexts.Time(texts, now, now, zone), KeyOf(state));
    }

    /// <summary>
    /// Trackers by device pseudonym → the name the participant knows: the profile's name without its parenthesis
    /// ("Polar H10"; "Generic heart rate strap (Bluetooth SIG …)" → "Generic heart rate strap"), numbered in the radio's
    /// order when two share it.
    /// </summary>
    private static Dictionary<string, string> Names(IReadOnlyList<ParticipantTrackerState> trackers, IReadOnlyList<FirmwareProfile> profiles, LanguageTexts texts)
    {
        var models = new List<string>(trackers.Count);
        foreach (var tracker in trackers)
        {
            var profile = profiles.FirstOrDefault(p => string.Equals(p.Id, tracker.ProfileId, StringComparison.Ordinal));
            var name = profile?.Name ?? texts.Tracker;
            var parenthesis = name.IndexOf(" (", StringComparison.Ordinal);
            models.Add(parenthesis > 0 ? name[..parenthesis] : name);
        }

        var names = new Dictionary<string, string>(trackers.Count, StringComparer.Ordinal);
        for (var i = 0; i < trackers.Count; i++)
        {
            var model = models[i];
            var same = models.Count(m => string.Equals(m, model, StringComparison.Ordinal));
            var number = models.Take(i + 1).Count(m => string.Equals(m, model, StringComparison.Ordinal));
            names[trackers[i].Device] = same > 1 ? string.Create(CultureInfo.InvariantCulture, $"{model} {number}") : model;
        }

        return names;
    }

    /// <summary>A short hash of the states and their times: equal keys, equal pages (in any one language).</summary>
    private static string KeyOf(ParticipantState state)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{(int)state.State}@{state.Since.ToUnixTimeSeconds()}");
        foreach (var also in state.Also)
        {
            text.Append(CultureInfo.InvariantCulture, $";a{(int)also.State}@{also.Since?.ToUnixTimeSeconds()}");
        }

        foreach (var tracker in state.Trackers)
        {
            text.Append(CultureInfo.InvariantCulture, $";t{tracker.ProfileId}:{(int)tracker.State}@{tracker.Since.ToUnixTimeSeconds()}");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())).AsSpan(0, 8));
    }

    /// <summary>One tracker on the page.</summary>
    /// <param name="Name">Its model name (numbered when two share it); never a pseudonym.</param>
    /// <param name="State">Its state.</param>
    /// <param name="Label">Its state in a few words.</param>
    internal sealed record TrackerLine(string Name, ParticipantStateCode State, string Label);

    /// <summary>Another state that holds.</summary>
    /// <param name="State">The state.</param>
    /// <param name="Title">Its line.</param>
    /// <param name="Action">What to do about it.</param>
    internal sealed record AlsoLine(ParticipantStateCode State, string Title, string Action);
}
