namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>What became of one QoS 1 publish. Only <see cref="Accepted"/> means the broker has it; the spool republishes every other outcome.</summary>
internal enum PublishOutcome : byte
{
    /// <summary>PUBACK with a reason below 0x80 (0x10 No matching subscribers included) [MQTT-3.4.2.1].</summary>
    Accepted = 0,

    /// <summary>PUBACK with a reason of 0x80 or above: the broker refused it (e.g. 0x87 Not authorized, 0x97 Quota exceeded).</summary>
    Rejected = 1,

    /// <summary>Refused by us before sending because the server said it could not take it (Maximum Packet Size, Maximum QoS, Retain Available).</summary>
    RefusedByServerLimits = 2,

    /// <summary>No connection at the time of the publish; nothing was sent.</summary>
    NotConnected = 3,

    /// <summary>The connection was lost while waiting for the PUBACK; the message may or may not have arrived.</summary>
    ConnectionLost = 4,

    /// <summary>No PUBACK within the publish timeout; the message may or may not have arrived.</summary>
    TimedOut = 5,

    /// <summary>The caller's cancellation token fired; the message may or may not have arrived.</summary>
    Canceled = 6,
}
