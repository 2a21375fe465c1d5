using System.Security.Cryptography.X509Certificates;
using Ingest.Tests.Support;

namespace Ingest.Tests.Mqtt.Support;

/// <summary>
/// A throwaway PKI generated with openssl at test time (test-peers.md §1a): a test CA, a server certificate for
/// localhost/127.0.0.1, a client certificate (CN edge-client) and a second, unrelated CA. Generated once per test run.
/// </summary>
internal sealed class TestPki
{
    private static readonly SemaphoreSlim s_gate = new(1, 1);
    private static TestPki? s_instance;

    private TestPki(string directory)
    {
        Directory = directory;
    }

    public string Directory { get; }

    public string CaCertificate => Path.Combine(Directory, "ca.crt");

    public string ServerCertificate => Path.Combine(Directory, "server.crt");

    public string ServerKey => Path.Combine(Directory, "server.key");

    public string ClientCertificate => Path.Combine(Directory, "client.crt");

    public string ClientKey => Path.Combine(Directory, "client.key");

    public string OtherCaCertificate => Path.Combine(Directory, "other-ca.crt");

    public X509Certificate2Collection TrustedCa() => [X509CertificateLoader.LoadCertificateFromFile(CaCertificate)];

    public X509Certificate2Collection OtherCa() => [X509CertificateLoader.LoadCertificateFromFile(OtherCaCertificate)];

    public X509Certificate2 LoadClientCertificate()
    {
        using var pem = X509Certificate2.CreateFromPemFile(ClientCertificate, ClientKey);
        // Round-trip through PKCS#12 so the private key is usable by SslStream on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
    }

    public static async Task<TestPki> GetAsync()
    {
        await s_gate.WaitAsync();
        try
        {
            return s_instance ??= await CreateAsync();
        }
        finally
        {
            s_gate.Release();
        }
    }

    private static async Task<TestPki> CreateAsync()
    {
        var openssl = Peers.Require("openssl", "apt-get install openssl");
        var directory = Peers.NewScratchDirectory("pki");
        async Task Run(params string[] arguments)
        {
            var (exit, output) = await PeerProcess.RunAsync(openssl, arguments, TimeSpan.FromSeconds(60), directory);
            Assert.True(exit == 0, $"openssl {string.Join(' ', arguments)} failed: {output}");
        }

        File.WriteAllText(Path.Combine(directory, "server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n");
        File.WriteAllText(Path.Combine(directory, "client.ext"), "extendedKeyUsage=clientAuth\n");
        await Run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=wearable-test-CA", "-keyout", "ca.key", "-out", "ca.crt");
        await Run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30", "-subj", "/CN=unrelated-CA", "-keyout", "other-ca.key", "-out", "other-ca.crt");
        await Run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr");
        await Run("x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30", "-extfile", "server.ext", "-out", "server.crt");
        await Run("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=edge-client", "-keyout", "client.key", "-out", "client.csr");
        await Run("x509", "-req", "-in", "client.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-days", "30", "-extfile", "client.ext", "-out", "client.crt");
        return new TestPki(directory);
    }
}
