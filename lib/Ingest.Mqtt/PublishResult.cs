using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

/// <summary>The typed result of one publish.</summary>
/// <param name="Outcome">What became of the publish.</param>
/// <param name="ReasonCode">
/// The server's reason code (PUBACK for QoS 1; PUBREC, or PUBCOMP after a successful PUBREC, for QoS 2), or the
/// local reason for <see cref="MqttPublishOutcome.Refused"/>. Success for QoS 0 and for MQTT 3.1.1, which has no reason codes.
/// </param>
/// <param name="PacketId">The Packet Identifier used (0 for QoS 0 or when never sent).</param>
/// <param name="ReasonString">The server's Reason String, or this client's explanation of a refusal; null when none.</param>
public readonly record struct PublishResult(MqttPublishOutcome Outcome, MqttReasonCode ReasonCode, ushort PacketId, string? ReasonString)
{
    /// <summary>True only for <see cref="MqttPublishOutcome.Accepted"/>.</summary>
    public bool IsSuccess => Outcome == MqttPublishOutcome.Accepted;

    /// <summary>True when the message should be published again (session lost or aborted).</summary>
    public bool NeedsRepublish => Outcome is MqttPublishOutcome.SessionLost or MqttPublishOutcome.Aborted;
}
