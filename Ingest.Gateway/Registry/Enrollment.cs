using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Gateway.Registry;

/// <summary>One enrollment row: a tracker bound to a participant for one profile, from <see cref="EnrolledAt"/> until <see cref="EndedAt"/>.</summary>
/// <param name="Id">Row id (never reused).</param>
/// <param name="Study">Study id.</param>
/// <param name="Site">Site id.</param>
/// <param name="Participant">Participant pseudonym.</param>
/// <param name="Device">Keyed device pseudonym (<see cref="DevicePseudonym"/>).</param>
/// <param name="ProfileId">Firmware profile id.</param>
/// <param name="Address">Identity address, upper case. Stays on the hub: never printed, logged or audited.</param>
/// <param name="AddressType">Public or (static) random identity address.</param>
/// <param name="Irk">Identity resolving key (16 bytes, most significant first) for trackers that use private addresses, else null.</param>
/// <param name="EnrolledAt">When it was enrolled (UTC).</param>
/// <param name="EndedAt">When it was unenrolled or swapped out (UTC), or null while active.</param>
/// <param name="EndReason">Why it ended.</param>
/// <param name="Actor">Who enrolled it.</param>
internal sealed record Enrollment(
    long Id,
    string Study,
    string Site,
    string Participant,
    string Device,
    string ProfileId,
    string Address,
    BleAddressType AddressType,
    byte[]? Irk,
    DateTimeOffset EnrolledAt,
    DateTimeOffset? EndedAt,
    string? EndReason,
    string Actor)
{
    /// <summary>Whether it is still active.</summary>
    public bool IsActive => EndedAt is null;
}
