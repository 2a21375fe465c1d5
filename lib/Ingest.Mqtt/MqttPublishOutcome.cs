namespace Ingest.Mqtt;

/// <summary>What became of one publish. Only <see cref="Accepted"/> is success.</summary>
public enum MqttPublishOutcome : byte
{
    /// <summary>
    /// QoS 1/2: acknowledged with a reason below 0x80 (0x10 No matching subscribers included).
    /// QoS 0: written to the network.
    /// </summary>
    Accepted = 0,

    /// <summary>The server answered PUBACK/PUBREC with a reason ≥ 0x80; it must not be retried unchanged.</summary>
    Rejected = 1,

    /// <summary>
    /// Refused by this client before anything was sent because the server could not accept it: larger than the
    /// server's Maximum Packet Size (0x95), QoS above Maximum QoS (0x9B), or retain not available (0x9A).
    /// </summary>
    Refused = 2,

    /// <summary>
    /// Sent, but the server's session was gone at reconnect (Session Present 0) before it was acknowledged.
    /// The protocol-level state is lost [MQTT-3.2.2-5]: publish it again as a new message.
    /// </summary>
    SessionLost = 3,

    /// <summary>The client was disconnected or disposed before the outcome was known; it may or may not have arrived.</summary>
    Aborted = 4,
}
