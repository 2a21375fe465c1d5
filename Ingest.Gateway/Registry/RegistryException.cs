namespace Ingest.Gateway.Registry;

/// <summary>
/// The registry refused a request or cannot use its database file. The message is one line for a person: what is
/// wrong and what to change. It never contains a radio address.
/// </summary>
internal sealed class RegistryException : Exception
{
    public RegistryException(string message)
        : base(message)
    {
    }

    public RegistryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
