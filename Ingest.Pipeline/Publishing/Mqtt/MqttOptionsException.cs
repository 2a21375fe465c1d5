namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>An MQTT setting is wrong; the message names it and says what to change. Thrown before anything touches the network.</summary>
internal sealed class MqttOptionsException : Exception
{
    public MqttOptionsException(string message)
        : base(message)
    {
    }

    public MqttOptionsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MqttOptionsException()
    {
    }
}
