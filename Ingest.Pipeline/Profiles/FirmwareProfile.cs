namespace Ingest.Pipeline.Profiles;

/// <summary>A tracker model described as data (firmware-profiles/README.md), loaded and checked by <see cref="ProfileLoader"/>.</summary>
public sealed class FirmwareProfile
{
    /// <summary>Lower kebab-case id; equals the folder name.</summary>
    public required string Id { get; init; }

    /// <summary>The profile's own version, recorded with every batch.</summary>
    public required string Version { get; init; }

    /// <summary>Model name for people.</summary>
    public required string Name { get; init; }

    /// <summary>Maker.</summary>
    public string Vendor { get; init; } = "";

    /// <summary>One paragraph for people.</summary>
    public string Description { get; init; } = "";

    /// <summary>
    /// The tracker must be paired (bonded) and trusted before its characteristics work: some firmware refuses reads,
    /// writes or notifications on an unencrypted link. The radio supervisor pairs such a tracker on its first connect.
    /// </summary>
    public bool RequiresBonding { get; init; }

    /// <summary>Recognition rules.</summary>
    public required ProfileMatch Match { get; init; }

    /// <summary>The streams, in file order.</summary>
    public required IReadOnlyList<StreamDefinition> Streams { get; init; }

    /// <summary>Full path of profile.json.</summary>
    public required string FilePath { get; init; }

    /// <summary>The stream with <paramref name="id"/>, or null.</summary>
    public StreamDefinition? FindStream(string id)
    {
        foreach (var stream in Streams)
        {
            if (string.Equals(stream.Id, id, StringComparison.Ordinal))
            {
                return stream;
            }
        }

        return null;
    }
}
