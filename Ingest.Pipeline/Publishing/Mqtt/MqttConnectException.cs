using MQTTnet;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>A connect failed; <see cref="Failure"/> says why in a category a person can act on, the message gives details.</summary>
internal sealed class MqttConnectException : Exception
{
    public MqttConnectException(MqttConnectFailure failure, string message, MqttClientConnectResultCode? reasonCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Failure = failure;
        ReasonCode = reasonCode;
    }

    public MqttConnectException()
    {
    }

    public MqttConnectException(string message)
        : base(message)
    {
    }

    public MqttConnectException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Why the connect failed.</summary>
    public MqttConnectFailure Failure { get; } = MqttConnectFailure.Other;

    /// <summary>The CONNACK reason code when the broker answered with one.</summary>
    public MqttClientConnectResultCode? ReasonCode { get; }
}
