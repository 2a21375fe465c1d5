using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Gateway.Registry;

/// <summary>
/// What <c>enroll</c> asks for, as typed: <see cref="EnrollmentRegistry.Enroll"/> checks every value against
/// <see cref="RegistryLimits"/> and the registry's rules.
/// </summary>
internal sealed record EnrollmentRequest
{
    /// <summary>Study id.</summary>
    public required string Study { get; init; }

    /// <summary>Site id.</summary>
    public required string Site { get; init; }

    /// <summary>Participant pseudonym.</summary>
    public required string Participant { get; init; }

    /// <summary>Firmware profile id (already checked to exist by the caller, which knows where profiles are).</summary>
    public required string ProfileId { get; init; }

    /// <summary>The tracker's identity address.</summary>
    public required string Address { get; init; }

    /// <summary>Public or random; null: random when the address is static random (top bits 0b11), else public.</summary>
    public BleAddressType? AddressType { get; init; }

    /// <summary>Identity resolving key, 32 hex digits, for trackers that use resolvable private addresses.</summary>
    public string? Irk { get; init; }

    /// <summary>Why (required).</summary>
    public required string Reason { get; init; }

    /// <summary>Who.</summary>
    public required string Actor { get; init; }

    /// <summary>Replace the participant's active tracker of this profile in the same transaction.</summary>
    public bool Swap { get; init; }
}
