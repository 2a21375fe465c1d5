namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>Why a connect failed, in categories a person can act on.</summary>
internal enum MqttConnectFailure
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

    /// <summary>The broker refused the credentials (0x86 / 0x87, or 3.1.1 return codes 4 and 5).</summary>
    CredentialsRefused = 10,

    /// <summary>The broker answered CONNACK with another failure reason (see <see cref="MqttConnectException.ReasonCode"/>).</summary>
    Refused = 11,

    /// <summary>The WebSocket upgrade failed (wrong path, or not a WebSocket endpoint).</summary>
    WebSocketFailed = 12,

    /// <summary>Something else broke (see the inner exception).</summary>
    Other = 13,
}
