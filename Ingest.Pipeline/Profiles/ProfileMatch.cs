using System.Text.RegularExpressions;

namespace Ingest.Pipeline.Profiles;

/// <summary>How the hub recognises a tracker model: every rule given must hold.</summary>
public sealed class ProfileMatch
{
    /// <summary>Service UUIDs (canonical) the tracker advertises.</summary>
    public IReadOnlyList<string> AdvertisedServices { get; init; } = [];

    /// <summary>Pattern the advertised local name must match.</summary>
    public Regex? LocalNamePattern { get; init; }

    /// <summary>Company identifier in the advertisement's manufacturer data.</summary>
    public int? ManufacturerId { get; init; }

    /// <summary>Pattern the Device Information model number (0x2A24) must match.</summary>
    public Regex? ModelNumberPattern { get; init; }

    /// <summary>Pattern the Device Information firmware revision (0x2A26) must match: the firmware versions covered.</summary>
    public Regex? FirmwareRevisionPattern { get; init; }
}
