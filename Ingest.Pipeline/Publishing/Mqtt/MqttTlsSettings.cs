using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// TLS settings for mqtts:// and wss://. Immutable. Build it with <see cref="FromFiles"/>, which reads and checks the
/// PEM files and pins and explains any problem in words.
/// </summary>
internal sealed class MqttTlsSettings
{
    /// <summary>Bytes in a SHA-256 pin.</summary>
    public const int PinLength = 32;

    /// <summary>Characters of a base64 SHA-256 pin: 32 bytes → 44 characters with one '=' of padding.</summary>
    public const int Base64PinLength = 44;

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
    /// Largest PEM file read: 1 MiB. A CA bundle with every public root is about 220 kB; anything larger is the wrong
    /// file, and it is refused before it is read into memory.
    /// </summary>
    public const int MaximumPemFileBytes = 1 << 20;

    /// <summary>Longest name for <see cref="ServerName"/>: a DNS name has at most 253 characters (RFC 1035 §2.3.4).</summary>
    public const int MaximumServerNameLength = 253;

    private const string CertificateBegin = "-----BEGIN CERTIFICATE-----";

    /// <summary>
    /// Reads the PEM files and pins. Throws <see cref="MqttOptionsException"/> naming the option (<c>--ca-file</c> …)
    /// that is wrong and what to change; nothing is connected to.
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
            throw new MqttOptionsException("--key-file", "was given without --cert-file: pass the client certificate with --cert-file as well (mutual TLS needs both)");
        }

        X509Certificate2Collection? roots = null;
        if (caFile is not null)
        {
            var text = ReadPem("--ca-file", caFile);
            if (!text.Contains(CertificateBegin, StringComparison.Ordinal))
            {
                throw new MqttOptionsException("--ca-file", $"{MqttOptionText.Quote(caFile)} is not a PEM certificate file (no {CertificateBegin} line); " +
                    "pass the CA certificate in PEM form, e.g. convert it with openssl x509 -in CA -out ca.pem");
            }

            roots = new X509Certificate2Collection();
            try
            {
                roots.ImportFromPem(text);
            }
            catch (CryptographicException ex)
            {
                throw new MqttOptionsException("--ca-file", $"{MqttOptionText.Quote(caFile)} holds a certificate that cannot be read ({Sentence(ex)}); pass the CA certificate in PEM form");
            }

            if (roots.Count == 0)
            {
                throw new MqttOptionsException("--ca-file", $"{MqttOptionText.Quote(caFile)} holds no readable certificate; pass the CA certificate in PEM form ({CertificateBegin})");
            }
        }

        X509Certificate2? clientCertificate = null;
        if (certFile is not null)
        {
            var certificateText = ReadPem("--cert-file", certFile);
            if (!certificateText.Contains(CertificateBegin, StringComparison.Ordinal))
            {
                throw new MqttOptionsException("--cert-file", $"{MqttOptionText.Quote(certFile)} is not a PEM certificate file (no {CertificateBegin} line); pass the client certificate in PEM form");
            }

            string keyText;
            if (keyFile is null)
            {
                if (!IsPrivateKeyPem(certificateText))
                {
                    throw new MqttOptionsException("--cert-file", $"{MqttOptionText.Quote(certFile)} holds no private key; pass the client certificate's key with --key-file (mutual TLS needs both)");
                }

                keyText = certificateText;
            }
            else
            {
                keyText = ReadPem("--key-file", keyFile);
                if (keyText.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
                {
                    throw new MqttOptionsException("--key-file", $"{MqttOptionText.Quote(keyFile)} is encrypted with a pass phrase, which a hub cannot type; " +
                        "store it decrypted (openssl pkey -in KEY -out key.pem) and readable only by the service");
                }

                if (!IsPrivateKeyPem(keyText))
                {
                    throw new MqttOptionsException("--key-file", $"{MqttOptionText.Quote(keyFile)} is not a PEM private key (no -----BEGIN … PRIVATE KEY----- line); pass the client certificate's key in PEM form");
                }
            }

            try
            {
                using var pem = X509Certificate2.CreateFromPem(certificateText, keyText);
                // SslStream on Linux needs the key in a persisted (PKCS#12-loaded) form to present it as a client certificate.
                clientCertificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
            }
            catch (Exception ex) when (ex is CryptographicException or ArgumentException)
            {
                throw new MqttOptionsException(keyFile is null ? "--cert-file" : "--key-file",
                    $"{MqttOptionText.Quote(keyFile ?? certFile)} cannot be used with the client certificate {MqttOptionText.Quote(certFile)} ({Sentence(ex)}); " +
                    "pass the certificate with --cert-file and its own private key with --key-file");
            }
        }

        return new MqttTlsSettings
        {
            TrustedCertificateAuthorities = roots,
            ClientCertificate = clientCertificate,
            PinnedPublicKeySha256 = ParsePins(pins ?? []),
            ServerName = ParseServerName(serverName),
        };
    }

    /// <summary>Checks a name for the broker's certificate: a DNS name or an address, or null/blank for "the URL's host".</summary>
    public static string? ParseServerName(string? serverName)
    {
        if (string.IsNullOrWhiteSpace(serverName))
        {
            return null;
        }

        var name = serverName.Trim();
        if (name.Length > MaximumServerNameLength || Uri.CheckHostName(name) == UriHostNameType.Unknown)
        {
            throw new MqttOptionsException("--tls-server-name", $"{MqttOptionText.Quote(name)} is not a host name; give the name written on the broker's certificate " +
                $"(at most {MaximumServerNameLength} characters), e.g. broker.example.org");
        }

        return name;
    }

    /// <summary>Parses pins given as hex (colons allowed) or base64; throws <see cref="MqttOptionsException"/> for anything else.</summary>
    public static IReadOnlyList<byte[]> ParsePins(IReadOnlyList<string> pins)
    {
        ArgumentNullException.ThrowIfNull(pins);
        if (pins.Count > MaximumPins)
        {
            throw new MqttOptionsException("--pin-sha256", $"was given {pins.Count} times; at most {MaximumPins} pins (the current key, the next one and a spare are enough)");
        }

        var parsed = new List<byte[]>(pins.Count);
        foreach (var pin in pins)
        {
            var text = pin.Replace(":", string.Empty, StringComparison.Ordinal).Trim();
            byte[]? bytes = null;
            if (text.Length == PinLength * 2 && text.All(char.IsAsciiHexDigit))
            {
                bytes = Convert.FromHexString(text);
            }
            else if (text.Length == Base64PinLength)
            {
                var buffer = new byte[PinLength + 3];
                if (Convert.TryFromBase64String(text, buffer, out var written) && written == PinLength)
                {
                    bytes = buffer.AsSpan(0, PinLength).ToArray();
                }
            }

            parsed.Add(bytes ?? throw new MqttOptionsException("--pin-sha256",
                $"{MqttOptionText.Quote(pin)} is not a SHA-256 hash: give the 32 bytes as 64 hex digits (colons between pairs allowed) or as 44 base64 characters, e.g. from " +
                "openssl x509 -in broker.pem -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256"));
        }

        return parsed;
    }

    /// <summary>Reads a PEM file named with <paramref name="option"/>, refusing folders, missing, oversized and binary files in words.</summary>
    private static string ReadPem(string option, string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new MqttOptionsException(option, "is empty; give the path of a PEM file");
        }

        if (Directory.Exists(path))
        {
            throw new MqttOptionsException(option, $"{MqttOptionText.Quote(path)} is a folder; give the PEM file inside it");
        }

        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
            if (stream.CanSeek && stream.Length > MaximumPemFileBytes)
            {
                throw new MqttOptionsException(option, string.Create(CultureInfo.InvariantCulture,
                    $"{MqttOptionText.Quote(path)} is {stream.Length:N0} bytes; a PEM file is at most {MaximumPemFileBytes:N0} (1 MiB): check it is the right file"));
            }

            // Bounded even when the length is unknown (a pipe): one byte more than the limit tells "too large".
            bytes = new byte[MaximumPemFileBytes + 1];
            var length = 0;
            int read;
            while (length < bytes.Length && (read = stream.Read(bytes, length, bytes.Length - length)) > 0)
            {
                length += read;
            }

            if (length > MaximumPemFileBytes)
            {
                throw new MqttOptionsException(option, $"{MqttOptionText.Quote(path)} is larger than {MaximumPemFileBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes (1 MiB): check it is the right file");
            }

            Array.Resize(ref bytes, length);
        }
        catch (FileNotFoundException)
        {
            throw new MqttOptionsException(option, $"{MqttOptionText.Quote(path)} does not exist; check the path (relative paths start at {Environment.CurrentDirectory})");
        }
        catch (DirectoryNotFoundException)
        {
            throw new MqttOptionsException(option, $"{MqttOptionText.Quote(path)} does not exist; check the path (relative paths start at {Environment.CurrentDirectory})");
        }
        catch (UnauthorizedAccessException)
        {
            throw new MqttOptionsException(option, $"{MqttOptionText.Quote(path)} cannot be read by this user; check its permissions");
        }
        catch (IOException ex)
        {
            throw new MqttOptionsException(option, $"{MqttOptionText.Quote(path)} cannot be read ({Sentence(ex)})");
        }

        // DER starts with an ASN.1 SEQUENCE (0x30); any NUL byte means binary, not the text of a PEM file.
        if ((bytes.Length > 0 && bytes[0] == 0x30 && bytes.Length > 1 && bytes[1] >= 0x80) || bytes.AsSpan().Contains((byte)0))
        {
            throw new MqttOptionsException(option, $"{MqttOptionText.Quote(path)} is not a PEM certificate file: it is binary (DER or PKCS#12?); " +
                "convert it to PEM, e.g. openssl x509 -inform der -in FILE -out file.pem");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    private static bool IsPrivateKeyPem(string text)
    {
        var begin = text.IndexOf("-----BEGIN ", StringComparison.Ordinal);
        while (begin >= 0)
        {
            var end = text.IndexOf("-----", begin + 11, StringComparison.Ordinal);
            if (end < 0)
            {
                return false;
            }

            if (text.AsSpan(begin, end - begin).EndsWith("PRIVATE KEY", StringComparison.Ordinal))
            {
                return true;
            }

            begin = text.IndexOf("-----BEGIN ", end + 5, StringComparison.Ordinal);
        }

        return false;
    }

    private static string Sentence(Exception ex)
    {
        var message = ex.Message;
        var newline = message.IndexOfAny(['\r', '\n']);
        return (newline < 0 ? message : message[..newline]).TrimEnd('.', ' ');
    }
}
