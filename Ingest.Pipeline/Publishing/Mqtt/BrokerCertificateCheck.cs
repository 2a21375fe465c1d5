using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// Checks the broker's certificate during the TLS handshake. MQTTnet's validation handler REPLACES its own check
/// (a handler that returns true accepts anything), so this does the whole check: host name from
/// <see cref="SslPolicyErrors"/>, chain against exactly the configured CA (or the system store), then the SPKI pin.
/// It remembers why it refused, so the connect error can say it in plain words.
/// </summary>
/// <remarks>Thread-safety: one instance per publisher; the publisher connects once at a time, and <see cref="Reset"/> runs before each attempt.</remarks>
internal sealed class BrokerCertificateCheck
{
    private readonly MqttTlsSettings _settings;

    public BrokerCertificateCheck(MqttTlsSettings settings)
    {
        _settings = settings;
    }

    /// <summary>Why the last handshake's certificate was refused, or null.</summary>
    public MqttConnectFailure? Failure { get; private set; }

    /// <summary>Details of the refusal for the error message.</summary>
    public string? Detail { get; private set; }

    public void Reset()
    {
        Failure = null;
        Detail = null;
    }

    public bool Validate(MqttClientCertificateValidationEventArgs args)
    {
        ArgumentNullException.ThrowIfNull(args);
        return Validate(args.Certificate, args.Chain, args.SslPolicyErrors);
    }

    public bool Validate(X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNotAvailable) != 0)
        {
            return Refuse(MqttConnectFailure.TlsHandshakeFailed, "the broker sent no certificate");
        }

        // The name check does not depend on who signed the certificate: SslStream has compared it with the target host.
        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return Refuse(MqttConnectFailure.TlsNameMismatch, $"the certificate ('{certificate.Subject}') is not valid for the host name we connected to");
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (_settings.TrustedCertificateAuthorities is { Count: > 0 } roots)
        {
            // Trust exactly this CA: a custom root store, so a certificate signed by a system root is refused too.
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            custom.ChainPolicy.RevocationMode = _settings.CheckRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
            if (chain is not null)
            {
                foreach (var element in chain.ChainElements)
                {
                    custom.ChainPolicy.ExtraStore.Add(element.Certificate);
                }
            }

            if (!custom.Build(leaf))
            {
                var status = custom.ChainStatus.Length > 0 ? custom.ChainStatus[0].StatusInformation.Trim() : "chain did not build";
                return Refuse(MqttConnectFailure.TlsUntrustedCertificate, $"certificate '{leaf.Subject}' issued by '{leaf.Issuer}' is not signed by the configured CA ({status})");
            }
        }
        else if (errors != SslPolicyErrors.None)
        {
            return Refuse(MqttConnectFailure.TlsUntrustedCertificate, $"certificate '{leaf.Subject}' issued by '{leaf.Issuer}' is not trusted by this system ({errors})");
        }

        if (_settings.PinnedPublicKeySha256.Count > 0)
        {
            Span<byte> hash = stackalloc byte[MqttTlsSettings.PinLength];
            SHA256.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo(), hash);
            foreach (var pin in _settings.PinnedPublicKeySha256)
            {
                if (CryptographicOperations.FixedTimeEquals(hash, pin))
                {
                    return true;
                }
            }

            return Refuse(MqttConnectFailure.TlsPinMismatch,
                $"the broker's public key (SHA-256 {Convert.ToHexString(hash)}, base64 {Convert.ToBase64String(hash)}) is not one of the pinned keys");
        }

        return true;
    }

    private bool Refuse(MqttConnectFailure failure, string detail)
    {
        Failure = failure;
        Detail = detail;
        return false;
    }
}
