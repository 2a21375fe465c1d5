using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ingest.Mqtt.Internal;

/// <summary>
/// Validates the broker certificate for one TLS handshake: custom CA trust, host name, optional key pinning.
/// Remembers why it refused so the connect error can say it in plain words.
/// </summary>
internal sealed class TlsCertificateValidator
{
    private readonly MqttTlsOptions _options;

    public TlsCertificateValidator(MqttTlsOptions options)
    {
        _options = options;
    }

    public MqttConnectFailure? Failure { get; private set; }

    public string? Detail { get; private set; }

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return Refuse(MqttConnectFailure.TlsHandshakeFailed, "the broker sent no certificate");
        }

        if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return Refuse(MqttConnectFailure.TlsNameMismatch, $"the certificate is for '{certificate.Subject}', not for the host name we connected to");
        }

        using var leaf = new X509Certificate2(certificate);
        if (_options.TrustedCertificateAuthorities is { Count: > 0 } roots)
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(roots);
            custom.ChainPolicy.RevocationMode = _options.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck;
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

        if (_options.PinnedPublicKeySha256 is { Count: > 0 } pins)
        {
            var hash = SHA256.HashData(leaf.PublicKey.ExportSubjectPublicKeyInfo());
            var hex = Convert.ToHexString(hash);
            var base64 = Convert.ToBase64String(hash);
            var matched = false;
            foreach (var pin in pins)
            {
                var normalized = pin.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
                if (string.Equals(normalized, hex, StringComparison.OrdinalIgnoreCase) || string.Equals(normalized, base64, StringComparison.Ordinal))
                {
                    matched = true;
                    break;
                }
            }

            if (!matched)
            {
                return Refuse(MqttConnectFailure.TlsPinMismatch, $"the broker's public key (SHA-256 {hex}) is not one of the pinned keys");
            }
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
