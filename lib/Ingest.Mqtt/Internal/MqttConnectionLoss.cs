using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt.Internal;

/// <summary>Why a connection ended.</summary>
internal sealed record MqttConnectionLoss(MqttReasonCode ReasonCode, Exception? Error);
