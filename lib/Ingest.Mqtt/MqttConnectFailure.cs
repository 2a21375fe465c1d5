namespace Ingest.Mqtt;

/// <summary>Why a connect failed, in categories a person can act on.</summary>
public enum MqttConnectFailure
{
    /// <summary>The host name could not be resolved.</summary>
    HostNotFound = 1,

    /// <summary>Nothing listens on the port (TCP connection refused).</summary>
    ConnectionRefused = 2,

    /// <summary>The network or host is unreachable.</summary>
    NetworkUnreachable = 3,

    /// <summary>No answer within the connect timeout.</summary>
    Timeout = 4,

    /// <summary>The broker's certificate is not signed by a trusted certificate authority.</summary>
    TlsUntrustedCertificate = 5,

    /// <summary>The broker's certificate is not valid for the host name we connected to.</summary>
    TlsNameMismatch = 6,

    /// <summary>The broker's public key is not one of the pinned keys.</summary>
    TlsPinMismatch = 7,

    /// <summary>The TLS handshake failed for another reason (protocol versions, client certificate rejected …).</summary>
    TlsHandshakeFailed = 8,

    /// <summary>The broker closed the connection before answering CONNECT.</summary>
    ConnectionClosed = 9,

    /// <summary>The broker answered CONNACK with a failure reason (see <see cref="MqttConnectException.ReasonCode"/>).</summary>
    Refused = 10,

    /// <summary>The broker broke the protocol.</summary>
    ProtocolError = 11,
}
