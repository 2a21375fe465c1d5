using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

/// <summary>A connect attempt failed; <see cref="Failure"/> says why in actionable terms.</summary>
public sealed class MqttConnectException : Exception
{
    /// <summary>Creates an exception (for serializers and tests).</summary>
    public MqttConnectException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    public MqttConnectException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    public MqttConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception with every detail.</summary>
    public MqttConnectException(MqttConnectFailure failure, string message, MqttReasonCode reasonCode = MqttReasonCode.Success, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        ReasonCode = reasonCode;
    }

    /// <summary>The category of failure.</summary>
    public MqttConnectFailure Failure { get; }

    /// <summary>The CONNACK reason code for <see cref="MqttConnectFailure.Refused"/>; Success otherwise.</summary>
    public MqttReasonCode ReasonCode { get; }
}
