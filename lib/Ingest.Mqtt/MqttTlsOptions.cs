using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Ingest.Mqtt;

/// <summary>TLS settings for an <c>mqtts://</c> connection (SslStream). Immutable once built.</summary>
public sealed class MqttTlsOptions
{
    /// <summary>Host name checked against the server certificate (defaults to the broker host).</summary>
    public string? TargetHost { get; init; }

    /// <summary>
    /// Certificate authorities to trust instead of the system store (a trial's private CA). When set, only these roots
    /// are trusted.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificateAuthorities { get; init; }

    /// <summary>Client certificate with its private key, for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>
    /// Optional pins: SHA-256 of the server certificate's SubjectPublicKeyInfo, as hex or base64. When set, the chain
    /// must validate and the leaf key must match one pin (survives re-issue with the same key).
    /// </summary>
    public IReadOnlyList<string>? PinnedPublicKeySha256 { get; init; }

    /// <summary>TLS versions allowed; None lets the operating system choose (TLS 1.2 and 1.3 here).</summary>
    public SslProtocols EnabledProtocols { get; init; } = SslProtocols.None;

    /// <summary>Whether to check certificate revocation (off by default: private trial CAs rarely publish CRLs).</summary>
    public bool CheckCertificateRevocation { get; init; }
}
