using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

/// <summary>The answer to SUBSCRIBE or UNSUBSCRIBE: one reason code per topic filter, in request order.</summary>
public sealed record MqttSubscribeResult
{
    /// <summary>Granted QoS (0x00–0x02) or failure (≥ 0x80) per filter; for 3.1.1 UNSUBACK, Success for each.</summary>
    public required IReadOnlyList<MqttReasonCode> ReasonCodes { get; init; }

    /// <summary>Reason String, if the server sent one.</summary>
    public string? ReasonString { get; init; }

    /// <summary>True when every filter succeeded.</summary>
    public bool IsSuccess
    {
        get
        {
            foreach (var code in ReasonCodes)
            {
                if ((byte)code >= 0x80)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
