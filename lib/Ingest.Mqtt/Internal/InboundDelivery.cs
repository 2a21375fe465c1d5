namespace Ingest.Mqtt.Internal;

/// <summary>A received PUBLISH to hand to the application, then acknowledge (PUBACK/PUBREC) once it is queued.</summary>
internal sealed record InboundDelivery(MqttReceivedMessage Message, ushort PacketId);
