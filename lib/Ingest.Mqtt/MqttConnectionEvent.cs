using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

/// <summary>A change of connection state, delivered on <see cref="MqttClient.ConnectionEvents"/>.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="SessionPresent">For Connected: whether the session was resumed.</param>
/// <param name="ReasonCode">For Disconnected: the server's DISCONNECT reason or the reason we closed with.</param>
/// <param name="Error">The error behind a disconnect or failed reconnect, if any.</param>
/// <param name="ResentCount">For Connected: how many PUBLISH/PUBREL packets were resent from the resumed session.</param>
/// <param name="LostCount">For Connected: how many in-flight publishes completed as <see cref="MqttPublishOutcome.SessionLost"/>.</param>
public readonly record struct MqttConnectionEvent(MqttConnectionEventKind Kind, bool SessionPresent, MqttReasonCode ReasonCode, Exception? Error,
    int ResentCount, int LostCount);
