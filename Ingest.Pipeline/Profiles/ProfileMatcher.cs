namespace Ingest.Pipeline.Profiles;

/// <summary>
/// Recognises a tracker model from what it advertises, then confirms it from its Device Information strings
/// (<see cref="ProfileMatch"/>: every rule a profile gives must hold). When several profiles match, the most specific
/// one wins: each advertised service that held counts 1, a local-name pattern or manufacturer id 2 (they name a model
/// or a maker; a standard service only a kind of device). A Polar H10 also satisfies the generic heart-rate strap's
/// single "advertises 180d" rule, and an InfiniTime watch advertises 180d too; both go to their own profile. Ties go to
/// the lower profile id, so the choice never depends on load order.
/// Pure and thread-safe.
/// </summary>
public sealed class ProfileMatcher
{
    /// <summary>Weight of a name or manufacturer rule against one advertised service.</summary>
    private const int ModelRuleWeight = 2;

    private readonly FirmwareProfile[] _profiles;

    /// <summary>Matches against <paramref name="profiles"/>.</summary>
    public ProfileMatcher(IEnumerable<FirmwareProfile> profiles)
    {
        ArgumentNullException.ThrowIfNull(profiles);
        _profiles = [.. profiles];
        Array.Sort(_profiles, static (a, b) => string.CompareOrdinal(a.Id, b.Id));
    }

    /// <summary>The profiles matched against, by id.</summary>
    public IReadOnlyList<FirmwareProfile> Profiles => _profiles;

    /// <summary>
    /// The profile whose advertisement rules (services, local name, manufacturer id) all hold for what a tracker
    /// advertises, or null. A profile with no advertisement rule at all never matches an advertisement: it could only
    /// be chosen by hand. Device Information rules are checked after connecting (<see cref="CheckDeviceInformation"/>).
    /// </summary>
    /// <param name="localName">Advertised local name, or null.</param>
    /// <param name="serviceUuids">Advertised service UUIDs.</param>
    /// <param name="manufacturerIds">Company identifiers present in the manufacturer data.</param>
    public FirmwareProfile? MatchAdvertisement(string? localName, IReadOnlyList<Guid> serviceUuids, IEnumerable<ushort> manufacturerIds)
    {
        ArgumentNullException.ThrowIfNull(serviceUuids);
        ArgumentNullException.ThrowIfNull(manufacturerIds);
        var companies = new HashSet<ushort>(manufacturerIds);
        FirmwareProfile? best = null;
        var bestRules = 0;
        foreach (var profile in _profiles)
        {
            var rules = AdvertisementRulesHeld(profile.Match, localName, serviceUuids, companies);
            if (rules > bestRules)
            {
                best = profile;
                bestRules = rules;
            }
        }

        return best;
    }

    /// <summary>
    /// Checks a connected tracker's Device Information model number (0x2A24) and firmware revision (0x2A26) against
    /// <paramref name="profile"/>'s patterns. A pattern whose string the tracker does not provide fails: a profile that
    /// names the firmware versions it covers must not decode a tracker that will not say which it runs.
    /// </summary>
    /// <returns>Null when the rules hold; otherwise one line saying which string did not match and what it was.</returns>
    public static string? CheckDeviceInformation(FirmwareProfile profile, string? modelNumber, string? firmwareRevision)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var match = profile.Match;
        if (match.ModelNumberPattern is { } model && (modelNumber is null || !model.IsMatch(modelNumber)))
        {
            return modelNumber is null
                ? $"profile {profile.Id} needs the Device Information model number, which the tracker does not provide"
                : $"model number '{modelNumber}' is not one profile {profile.Id} covers (pattern {model})";
        }

        if (match.FirmwareRevisionPattern is { } firmware && (firmwareRevision is null || !firmware.IsMatch(firmwareRevision)))
        {
            return firmwareRevision is null
                ? $"profile {profile.Id} needs the Device Information firmware revision, which the tracker does not provide"
                : $"firmware revision '{firmwareRevision}' is not one profile {profile.Id} covers (pattern {firmware}); add a profile version for it";
        }

        return null;
    }

    private static int AdvertisementRulesHeld(ProfileMatch match, string? localName, IReadOnlyList<Guid> serviceUuids, HashSet<ushort> companies)
    {
        var rules = 0;
        if (match.AdvertisedServices.Count > 0)
        {
            foreach (var required in match.AdvertisedServices)
            {
                if (!Advertises(serviceUuids, required))
                {
                    return 0;
                }
            }

            rules += match.AdvertisedServices.Count;
        }

        if (match.LocalNamePattern is { } pattern)
        {
            if (localName is null || !pattern.IsMatch(localName))
            {
                return 0;
            }

            rules += ModelRuleWeight;
        }

        if (match.ManufacturerId is { } company)
        {
            if (company is < 0 or > ushort.MaxValue || !companies.Contains((ushort)company))
            {
                return 0;
            }

            rules += ModelRuleWeight;
        }

        return rules;
    }

    private static bool Advertises(IReadOnlyList<Guid> serviceUuids, string canonical)
    {
        foreach (var uuid in serviceUuids)
        {
            if (string.Equals(uuid.ToString("D"), canonical, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
