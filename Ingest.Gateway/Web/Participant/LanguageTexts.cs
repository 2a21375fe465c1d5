using System.Collections.Frozen;

namespace Ingest.Gateway.Web.Participant;

/// <summary>One language's words for the participant page (a row of <see cref="ParticipantTexts"/>).</summary>
internal sealed record LanguageTexts
{
    /// <summary>The language's own name, for the switcher.</summary>
    public required string Name { get; init; }

    /// <summary>The page title.</summary>
    public required string PageTitle { get; init; }

    /// <summary>Label of the language switcher (for screen readers).</summary>
    public required string LanguageLabel { get; init; }

    /// <summary>Heading of the tracker list.</summary>
    public required string YourTrackers { get; init; }

    /// <summary>Heading of the other states that hold.</summary>
    public required string Also { get; init; }

    /// <summary>Before the time the page last asked the hub.</summary>
    public required string LastChecked { get; init; }

    /// <summary>Shown when the hub stops answering the page's check.</summary>
    public required string NoAnswer { get; init; }

    /// <summary>A tracker whose profile the hub does not have.</summary>
    public required string Tracker { get; init; }

    /// <summary>Short month names, January first.</summary>
    public required IReadOnlyList<string> Months { get; init; }

    /// <summary>A date with a time: <c>{day}</c>, <c>{month}</c>, <c>{time}</c>.</summary>
    public required string DateFormat { get; init; }

    /// <summary>The words of each state.</summary>
    public required FrozenDictionary<ParticipantStateCode, StateTexts> States { get; init; }
}
