namespace Ingest.Mqtt.Protocol;

/// <summary>Subscription option bits 5–4: when retained messages are sent (MQTT 5 §3.8.3.1).</summary>
public enum MqttRetainHandling : byte
{
    /// <summary>Send retained messages at the time of the subscribe.</summary>
    SendAtSubscribe = 0,

    /// <summary>Send retained messages only if the subscription did not exist.</summary>
    SendIfNewSubscription = 1,

    /// <summary>Do not send retained messages.</summary>
    DoNotSend = 2,
}
