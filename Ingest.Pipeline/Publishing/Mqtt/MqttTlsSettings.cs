using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// TLS settings for mqtts:// and wss://. Immutable. Build it with <see cref="FromFiles"/>, which reads and checks the
/// PEM files and pins and explains any problem in words.
/// </summary>
internal sealed class MqttTlsSettings
{
    /// <summary>Bytes in a SHA-256 pin.</summary>
    public const int PinLength = 32;

    /// <summary>More pins than this is a mistake, not a rotation plan (current key, next key, a spare).</summary>
    public const int MaximumPins = 16;

    /// <summary>
    /// Certificate authorities trusted instead of the system store (a trial's private CA); when set, exactly this chain
    /// is trusted and the system roots are not.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificateAuthorities { get; init; }

    /// <summary>Name expected on the broker's certificate (and sent as SNI); null means the URL's host.</summary>
    public string? ServerName { get; init; }

    /// <summary>Client certificate with its private key, for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>SHA-256 hashes of accepted SubjectPublicKeyInfo (32 bytes each); empty means no pinning.</summary>
    public IReadOnlyList<byte[]> PinnedPublicKeySha256 { get; init; } = [];

    /// <summary>Check certificate revocation online (off by default: private trial CAs rarely publish CRLs).</summary>
    public bool CheckRevocation { get; init; }

    /// <summary>
    /// Reads the PEM files and pins. Throws <see cref="MqttOptionsException"/> naming the file or option that is wrong.
    /// </summary>
    /// <param name="caFile">PEM with the CA certificate(s) that signed the broker's certificate, or null for the system store.</param>
    /// <param name="certFile">PEM client certificate, or null.</param>
    /// <param name="keyFile">PEM private key of <paramref name="certFile"/> (null when the key is in the certificate file).</param>
    /// <param name="pins">SHA-256 of the broker's SubjectPublicKeyInfo, each hex (colons allowed) or base64.</param>
    /// <param name="serverName">Name expected on the broker's certificate, or null.</param>
    public static MqttTlsSettings FromFiles(string? caFile, string? certFile, string? keyFile, IReadOnlyList<string>? pins, string? serverName)
    {
        if (keyFile is not null && certFile is null)
        {
            throw new MqttOptionsException("--key-file was given without --cert-file: pass the client certificate with --cert-file as well (mutual TLS needs both)");
        }

        X509Certificate2Collection? roots = null;
        if (caFile is not null)
        {
            roots = new X509Certificate2Collection();
            try
            {
                roots.ImportFromPemFile(caFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException)
            {
                throw new MqttOptionsException($"could not read the CA file {caFile}: {ex.Message.TrimEnd('.')}. Pass a PEM file with the CA certificate (-----BEGIN CERTIFICATE-----).", ex);
            }

            if (roots.Count == 0)
            {
                throw new MqttOptionsException($"the CA file {caFile} holds no certificate. Pass a PEM file with the CA certificate (-----BEGIN CERTIFICATE-----).");
            }
        }

        X509Certificate2? clientCertificate = null;
        if (certFile is not null)
        {
            try
            {
                using var pem = X509Certificate2.CreateFromPemFile(certFile, keyFile);
                // SslStream on Linux needs the key in a persisted (PKCS#12-loaded) form to present it as a client certificate.
                clientCertificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
            {
                throw new MqttOptionsException($"could not read the client certificate {certFile}{(keyFile is null ? string.Empty : " with key " + keyFile)}: {ex.Message.TrimEnd('.')}. " +
                    "Pass a PEM certificate with --cert-file and its PEM private key with --key-file.", ex);
            }
        }

        return new MqttTlsSettings
        {
            TrustedCertificateAuthorities = roots,
            ClientCertificate = clientCertificate,
            PinnedPublicKeySha256 = ParsePins(pins ?? []),
            ServerName = string.IsNullOrWhiteSpace(serverName) ? null : serverName.Trim(),
        };
    }

    /// <summary>Parses pins given as hex (colons allowed) or base64; throws <see cref="MqttOptionsException"/> for anything else.</summary>
    public static IReadOnlyList<byte[]> ParsePins(IReadOnlyList<string> pins)
    {
        if (pins.Count > MaximumPins)
        {
            throw new MqttOptionsException($"{pins.Count} pins given; at most {MaximumPins} (--pin-sha256)");
        }

        var parsed = new List<byte[]>(pins.Count);
        foreach (var pin in pins)
        {
            var text = pin.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
            byte[]? bytes = null;
            if (text.Length == PinLength * 2)
            {
                try
                {
                    bytes = Convert.FromHexString(text);
                }
                catch (FormatException)
                {
                }
            }

            if (bytes is null)
            {
                var buffer = new byte[PinLength + 3];
                if (Convert.TryFromBase64String(text, buffer, out var written) && written == PinLength)
                {
                    bytes = buffer.AsSpan(0, PinLength).ToArray();
                }
            }

            parsed.Add(bytes ?? throw new MqttOptionsException(
                $"--pin-sha256 '{pin}' is not a SHA-256 hash: give 64 hex digits or 44 base64 characters, e.g. from " +
                "openssl x509 -in broker.pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256"));
        }

        return parsed;
    }
}
