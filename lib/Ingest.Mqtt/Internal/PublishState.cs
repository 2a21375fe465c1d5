namespace Ingest.Mqtt.Internal;

/// <summary>Where one publish is in its QoS flow (MQTT 5 §4.3).</summary>
internal enum PublishState : byte
{
    Free = 0,
    Queued = 1,
    AwaitingWrite = 2,
    AwaitingPubAck = 3,
    AwaitingPubRec = 4,
    AwaitingPubComp = 5,
    Canceled = 6,
}
