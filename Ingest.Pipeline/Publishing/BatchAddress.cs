using System.Text;

namespace Ingest.Pipeline.Publishing;

/// <summary>
/// Where a stream's batches go on the platform's broker: the topic levels of
/// <c>wearables/{study}/{site}/{participant}/{stream}</c> (docs/wire/mqtt-contract.md). Every level comes from
/// configuration or enrollment, never from a radio, and is checked here before it reaches a topic.
/// </summary>
public sealed record BatchAddress
{
    /// <summary>First topic level of every data topic.</summary>
    public const string TopicRoot = "wearables";

    /// <summary>
    /// Longest topic level in UTF-8 bytes: far longer than any study code, site id, pseudonym or stream id, short
    /// enough that a topic stays readable in broker ACLs and logs.
    /// </summary>
    public const int MaximumLevelBytes = 64;

    /// <summary>Creates an address; throws <see cref="ArgumentException"/> naming the level and what to change.</summary>
    public BatchAddress(string study, string site, string participant, string stream)
    {
        Study = CheckLevel(study, nameof(study));
        Site = CheckLevel(site, nameof(site));
        Participant = CheckLevel(participant, nameof(participant));
        Stream = CheckLevel(stream, nameof(stream));
        Topic = $"{TopicRoot}/{Study}/{Site}/{Participant}/{Stream}";
    }

    /// <summary>Study code.</summary>
    public string Study { get; }

    /// <summary>Site (clinic) id within the study.</summary>
    public string Site { get; }

    /// <summary>Participant pseudonym, as the study nurse entered it.</summary>
    public string Participant { get; }

    /// <summary>Stream id from the firmware profile (e.g. <c>ecg</c>).</summary>
    public string Stream { get; }

    /// <summary>The data topic.</summary>
    public string Topic { get; }

    /// <summary>Returns null when <paramref name="value"/> can be a topic level, else what is wrong with it.</summary>
    public static string? ProblemWithLevel(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "is empty";
        }

        foreach (var c in value)
        {
            // '/' would add a level; '+' and '#' are wildcards [MQTT-4.7.1]; U+0000 is forbidden in topics [MQTT-4.7.3-2].
            // Control characters and spaces are allowed by MQTT but break ACL files, shell commands and partition paths.
            if (c is '/' or '+' or '#' || char.IsControl(c) || char.IsWhiteSpace(c))
            {
                return $"contains '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString())}'; use letters, digits, '-', '_' or '.'";
            }
        }

        var bytes = Encoding.UTF8.GetByteCount(value);
        return bytes > MaximumLevelBytes ? $"is {bytes} UTF-8 bytes long; at most {MaximumLevelBytes}" : null;
    }

    private static string CheckLevel(string value, string name) =>
        ProblemWithLevel(value) is { } problem
            ? throw new ArgumentException($"{name} '{value}' cannot be a topic level: it {problem}", name)
            : value;
}
