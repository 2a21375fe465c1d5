namespace Ingest.Mqtt;

/// <summary>Kinds of <see cref="MqttConnectionEvent"/>.</summary>
public enum MqttConnectionEventKind
{
    /// <summary>A connection was established (first connect or reconnect).</summary>
    Connected = 1,

    /// <summary>The connection was lost or closed.</summary>
    Disconnected = 2,

    /// <summary>A reconnect attempt failed; another follows after a backoff.</summary>
    ReconnectFailed = 3,
}
