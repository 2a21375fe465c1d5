namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>An MQTT setting is wrong; the message names it and says what to change. Thrown before anything touches the network.</summary>
internal sealed class MqttOptionsException : Exception
{
    /// <summary>A problem with the setting named <paramref name="setting"/>: the message is the setting, a space and the problem.</summary>
    /// <param name="setting">The command-line option that carries the setting (<c>--ca-file</c>); configuration maps it to its key.</param>
    /// <param name="problem">What is wrong and what to change, starting with the quoted value when there is one.</param>
    public MqttOptionsException(string setting, string problem)
        : base(setting + " " + problem)
    {
        Setting = setting;
        Problem = problem;
    }

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

    /// <summary>The option the problem is about (<c>--ca-file</c>, <c>--username</c> …), or null when the message names it itself.</summary>
    public string? Setting { get; }

    /// <summary>The message without the setting's name (for configuration, which names the key instead), or null.</summary>
    public string? Problem { get; }
}
