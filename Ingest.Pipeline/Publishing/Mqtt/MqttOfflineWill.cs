namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// The Will: a retained QoS 1 message the broker publishes on the hub's status topic when the hub vanishes without a
/// normal DISCONNECT (power cut, network gone), so dashboards show the hub offline [MQTT-3.1.2-8, 3.1.3.2].
/// </summary>
/// <param name="Topic">The hub's status topic.</param>
/// <param name="Payload">What the status says, e.g. "offline".</param>
internal sealed record MqttOfflineWill(string Topic, ReadOnlyMemory<byte> Payload)
{
    /// <summary>Payload used when none is given.</summary>
    public static ReadOnlyMemory<byte> DefaultPayload { get; } = "offline"u8.ToArray();

    /// <summary>The default Will for a status topic: payload "offline".</summary>
    public static MqttOfflineWill For(string statusTopic) => new(statusTopic, DefaultPayload);
}
