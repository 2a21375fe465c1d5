using System.Globalization;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>The typed result of one QoS 1 publish; never success without a PUBACK.</summary>
/// <param name="Outcome">What became of the publish.</param>
/// <param name="ReasonCode">The PUBACK's reason code, or the local reason for <see cref="PublishOutcome.RefusedByServerLimits"/>; Success otherwise.</param>
/// <param name="ReasonString">The server's Reason String, or our explanation; null when none.</param>
internal readonly record struct PublishResult(PublishOutcome Outcome, PublishReasonCode ReasonCode, string? ReasonString)
{
    /// <summary>True only when the broker acknowledged the message.</summary>
    public bool IsSuccess => Outcome == PublishOutcome.Accepted;

    /// <summary>Whether sending the same message again later may succeed (connection problems and quota); false for refusals that will repeat.</summary>
    public bool IsTransient => Outcome is PublishOutcome.NotConnected or PublishOutcome.ConnectionLost or PublishOutcome.TimedOut or PublishOutcome.Canceled
        || ReasonCode is PublishReasonCode.QuotaExceeded or PublishReasonCode.UnspecifiedError;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Outcome} 0x{(byte)ReasonCode:X2} {ReasonCode}{(ReasonString is null ? string.Empty : ": " + ReasonString)}");
}
