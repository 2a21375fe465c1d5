using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ingest.Tests.CommandLine.BadInput.Rows;

/// <summary>
/// Bad inputs for the broker options (<c>broker check</c>, <c>receive</c>, and <c>run</c>'s Broker:* keys through
/// <c>--check-config</c>) and for <c>receive compact</c>. Every option is checked before anything connects, so most
/// rows point at a closed port and still end as usage errors.
/// </summary>
[BadInputRows]
public static class BrokerRows
{
    private const string Closed = "mqtt://127.0.0.1:{closed-port}";
    private const string ClosedTls = "mqtts://127.0.0.1:{closed-port}";

    /// <summary>70,000 characters: over MQTT's 65,535-byte string limit.</summary>
    private static readonly string s_huge = new('a', 70_000);

    public static IEnumerable<BadInputCase> Cases()
    {
        foreach (var row in BrokerCheck())
        {
            yield return row;
        }

        foreach (var row in Receive())
        {
            yield return row;
        }

        foreach (var row in Compact())
        {
            yield return row;
        }

        foreach (var row in Run())
        {
            yield return row;
        }
    }

    private static IEnumerable<BadInputCase> BrokerCheck()
    {
        BadInputCase Check(string input, string[] options, string exit, string[] says, string broker = Closed) => new()
        {
            Command = "broker check", Input = input, Args = ["broker", "check", "--broker", broker, .. options], Exit = exit, Says = says,
        };

        yield return Check("status topic with a wildcard", ["--status-topic", "a/#"], "usage", ["--status-topic", "wildcard"]);
        yield return Check("empty status topic", ["--status-topic", ""], "usage", ["--status-topic", "empty"]);
        yield return Check("status topic over 65,535 bytes", ["--status-topic", s_huge], "usage", ["--status-topic", "65,535"]);
        yield return Check("timeout far too long", ["--timeout", "100000000"], "usage", ["--timeout", "1 to 300"]);
        yield return Check("timeout zero", ["--timeout", "0"], "usage", ["--timeout", "1 to 300"]);
        yield return Check("timeout negative", ["--timeout=-5"], "usage", ["--timeout", "1 to 300"]);
        yield return Check("timeout not a number", ["--timeout", "ten"], "usage", ["--timeout", "not a number"]);
        yield return Check("user name over 65,535 bytes", ["--username", s_huge], "usage", ["--username", "65,535"]);
        yield return Check("password over 65,535 bytes", ["--username", "u", "--password", s_huge], "usage", ["--password", "not shown", "65,535"]);
        yield return Check("password without user name", ["--password", "s3cret"], "usage", ["--password", "--username"]);
        yield return Check("hub id over 64 characters", ["--hub-id", s_huge], "usage", ["--hub-id", "1 to 64"]);
        yield return Check("hub id with a slash", ["--hub-id", "a/b"], "usage", ["--hub-id", "1 to 64"]);
        yield return Check("unicode hub id", ["--hub-id", "hüb-7"], "usage", ["--hub-id", "ASCII"]);
        yield return Check("unicode status topic reaches the (closed) broker", ["--status-topic", "wearable-ingest/hubs/hüb/status"], "unreachable", ["port is closed"]);
        yield return Check("study with a topic wildcard", ["--study", "demo/#"], "usage", ["--study", "Hub:Study"]);
        yield return Check("unknown MQTT version", ["--mqtt-version", "4"], "usage", ["--mqtt-version"]);
        yield return Check("key file without certificate", ["--key-file", "client.key"], "usage", ["--key-file", "--cert-file"], ClosedTls);
        yield return new BadInputCase
        {
            Command = "broker check", Input = "certificate without its key",
            Arrange = dir => File.WriteAllText(Path.Combine(dir, "client.pem"), SelfSignedPem()),
            Args = ["broker", "check", "--broker", ClosedTls, "--cert-file", "client.pem"], Exit = "usage", Says = ["--cert-file", "no private key", "--key-file"],
        };
        yield return new BadInputCase
        {
            Command = "broker check", Input = "CA file is text, not PEM",
            Arrange = dir => File.WriteAllText(Path.Combine(dir, "ca.pem"), "this is not a certificate\n"),
            Args = ["broker", "check", "--broker", ClosedTls, "--ca-file", "ca.pem"], Exit = "usage", Says = ["--ca-file", "not a PEM certificate file"],
        };
        yield return new BadInputCase
        {
            Command = "broker check", Input = "CA file in DER form",
            Arrange = dir => File.WriteAllBytes(Path.Combine(dir, "ca.der"), SelfSignedDer()),
            Args = ["broker", "check", "--broker", ClosedTls, "--ca-file", "ca.der"], Exit = "usage", Says = ["--ca-file", "not a PEM certificate file"],
        };
        yield return new BadInputCase
        {
            Command = "broker check", Input = "CA file of 2 MB",
            Arrange = dir => File.WriteAllText(Path.Combine(dir, "ca.pem"), new string('A', 2_000_000)),
            Args = ["broker", "check", "--broker", ClosedTls, "--ca-file", "ca.pem"], Exit = "usage", Says = ["--ca-file", "1 MiB"],
        };
        yield return Check("CA file missing", ["--ca-file", "nope.pem"], "usage", ["--ca-file", "does not exist"], ClosedTls);
        yield return Check("CA file is a folder", ["--ca-file", "{dir}"], "usage", ["--ca-file", "folder"], ClosedTls);
        yield return Check("CA file empty path", ["--ca-file", ""], "usage", ["--ca-file", "empty"], ClosedTls);
        yield return Check("pin that is not a hash", ["--pin-sha256", "zzz"], "usage", ["--pin-sha256", "64 hex digits", "44 base64"], ClosedTls);
        yield return Check("server name that is not a name", ["--tls-server-name", "not a name!"], "usage", ["--tls-server-name"], ClosedTls);
        yield return Check("TLS option on a plain address", ["--ca-file", "ca.pem"], "usage", ["--ca-file", "mqtts://"]);
        yield return Check("credentials in the address", [], "usage", ["--username", "--password"], "mqtt://alice:s3cret@127.0.0.1:{closed-port}");
        yield return Check("path after a plain address", [], "usage", ["--broker", "ws://"], "mqtt://127.0.0.1:{closed-port}/mqtt");
        yield return Check("IPv6 without brackets", [], "usage", ["--broker", "brackets"], "mqtt://::1:1883");
        yield return Check("unknown scheme", [], "usage", ["--broker", "scheme"], "http://127.0.0.1:{closed-port}");
        yield return Check("no host", [], "usage", ["--broker", "no host"], "mqtt://:1883");
        yield return Check("port 0", [], "usage", ["--broker", "1 to 65535"], "mqtt://127.0.0.1:0");
        yield return Check("port above 65535", [], "usage", ["--broker", "1 to 65535"], "mqtt://127.0.0.1:70000");
        yield return Check("garbage address", [], "usage", ["--broker", "not a host name"], "%%%");
        yield return Check("empty address", [], "usage", ["--broker", "empty"], "");
        yield return Check("address of 3,000 characters", [], "usage", ["--broker", "at most 2048"], "mqtt://" + new string('h', 3000));
        yield return Check("closed port", [], "unreachable", ["port is closed"]);
        yield return Check("closed IPv6 port, host in brackets", [], "unreachable", ["[::1]", "port is closed"], "mqtt://[::1]:{closed-port}");
        yield return Check("silent broker times out", ["--timeout", "1"], "unreachable", ["did not answer"], "mqtt://{silent-broker}");
        yield return new BadInputCase
        {
            Command = "broker check", Input = "Ctrl+C while connecting",
            Args = ["broker", "check", "--broker", "mqtt://{silent-broker}", "--timeout", "60"],
            InterruptWhen = "Connecting", Exit = "interrupted", Says = ["interrupted"],
        };
    }

    private static IEnumerable<BadInputCase> Receive()
    {
        BadInputCase Receive(string input, string[] options, string exit, string[] says, string broker = Closed, string[]? mayCreate = null) => new()
        {
            Command = "receive", Input = input, Args = ["receive", "--broker", broker, "--out", "out", .. options], Exit = exit, Says = says,
            MayCreate = mayCreate ?? [],
        };

        yield return new BadInputCase
        {
            Command = "receive", Input = "--out is a file",
            Arrange = dir => File.WriteAllText(Path.Combine(dir, "out.txt"), "keep me\n"),
            Args = ["receive", "--broker", Closed, "--out", "out.txt"], Exit = "usage", Says = ["--out", "is a file"],
        };
        yield return new BadInputCase
        {
            Command = "receive", Input = "--out cannot be created (/proc)",
            Args = ["receive", "--broker", Closed, "--out", "/proc/wi-out"], Exit = "output-refused", Says = ["--out", "cannot be written"],
        };
        yield return new BadInputCase
        {
            Command = "receive", Input = "--out empty",
            Args = ["receive", "--broker", Closed, "--out", ""], Exit = "usage", Says = ["--out", "empty"],
        };
        yield return Receive("duration zero", ["--duration", "0"], "usage", ["--duration", "more than 0"]);
        yield return Receive("duration negative", ["--duration=-5"], "usage", ["--duration", "more than 0"]);
        yield return Receive("duration beyond a timer", ["--duration", "1e300"], "usage", ["--duration", "2,073,600"]);
        yield return Receive("until-idle not a number", ["--until-idle", "soon"], "usage", ["--until-idle", "not a number"]);
        yield return Receive("receive maximum zero", ["--receive-maximum", "0"], "usage", ["--receive-maximum", "1 to 65535"]);
        yield return Receive("receive maximum too large", ["--receive-maximum", "70000"], "usage", ["--receive-maximum", "1 to 65535"]);
        yield return Receive("session expiry negative", ["--session-expiry=-1"], "usage", ["--session-expiry", "0 to 4294967295"]);
        yield return Receive("client id with a space", ["--client-id", "a b"], "usage", ["--client-id", "letters"]);
        yield return Receive("client id of 70,000 characters", ["--client-id", s_huge], "usage", ["--client-id", "128"]);
        yield return Receive("group with a slash", ["--group", "a/b"], "usage", ["--group", "'/'"]);
        yield return Receive("user name over 65,535 bytes", ["--username", s_huge], "usage", ["--username", "65,535"]);
        yield return Receive("TLS option on a plain address", ["--ca-file", "ca.pem"], "usage", ["--ca-file", "mqtts://"]);
        yield return Receive("pin that is not a hash", ["--pin-sha256", "zzz"], "usage", ["--pin-sha256", "64 hex digits"], ClosedTls);
        yield return Receive("credentials in the address", [], "usage", ["--username", "--password"], "mqtt://alice:s3cret@127.0.0.1:{closed-port}");
        yield return Receive("closed port", [], "unreachable", ["cannot connect", "port is closed"], mayCreate: ["out"]);
        yield return Receive("silent broker times out", [], "unreachable", ["cannot connect", "did not answer"], "mqtt://{silent-broker}", ["out"]);
        yield return Receive("unknown report format", ["--format", "xml"], "usage", ["--format", "text or json"]);
        yield return new BadInputCase
        {
            Command = "receive", Input = "Ctrl+C while connecting",
            Args = ["receive", "--broker", "mqtt://{silent-broker}", "--out", "out"],
            InterruptWhen = "Connecting", Exit = "interrupted", Says = ["interrupted", "nothing was received"], MayCreate = ["out"],
        };
    }

    private static IEnumerable<BadInputCase> Compact()
    {
        BadInputCase Compact(string input, string[] args, string[] says, Action<string>? arrange = null) => new()
        {
            Command = "receive compact", Input = input, Args = ["receive", "compact", .. args], Exit = "usage", Says = says, Arrange = arrange,
        };

        yield return Compact("--out missing", ["--out", "nope"], ["--out", "does not exist"]);
        yield return Compact("--out empty", ["--out", ""], ["--out", "empty"]);
        yield return Compact("--out under /proc", ["--out", "/proc/wi-out"], ["--out", "does not exist"]);
        yield return Compact("--out is a file", ["--out", "f.txt"], ["--out", "is a file"], dir => File.WriteAllText(Path.Combine(dir, "f.txt"), "x"));
        yield return Compact("--out is not a receiver's folder", ["--out", "."], ["--out", "no received batches"]);
        yield return Compact("--before not a date", ["--out", ".", "--before", "2024-13-01"], ["--before", "YYYY-MM-DD"]);
        yield return Compact("--before far in the future", ["--out", ".", "--before", "2999-01-01"], ["--before", "future"]);
    }

    private static IEnumerable<BadInputCase> Run()
    {
        BadInputCase Run(string input, string broker, string[] options, string[] says) => new()
        {
            Command = "run", Input = "broker: " + input,
            Args = ["run", "--check-config", "--data-dir", "data", "--broker", broker, .. options], Exit = "usage", Says = says,
            MayCreate = ["data"],
        };

        yield return Run("credentials in the address", "mqtt://alice:s3cret@127.0.0.1:1883", [], ["Broker:Url", "--username"]);
        yield return Run("port 0", "mqtt://127.0.0.1:0", [], ["Broker:Url", "1 to 65535"]);
        yield return Run("IPv6 without brackets", "mqtt://::1:1883", [], ["Broker:Url", "brackets"]);
        yield return Run("pin that is not a hash", "mqtts://127.0.0.1:8883", ["--pin-sha256", "zzz"], ["Broker:PinSha256", "64 hex digits"]);
        yield return Run("key file without certificate", "mqtts://127.0.0.1:8883", ["--key-file", "client.key"], ["Broker:KeyFile", "--cert-file"]);
        yield return Run("CA file missing", "mqtts://127.0.0.1:8883", ["--ca-file", "nope.pem"], ["Broker:CaFile", "does not exist"]);
        yield return Run("TLS option on a plain address", "mqtt://127.0.0.1:1883", ["--ca-file", "nope.pem"], ["Broker:CaFile", "mqtts://"]);
        yield return Run("user name over 65,535 bytes", "mqtt://127.0.0.1:1883", ["--username", s_huge], ["Broker:Username", "65,535"]);
        yield return Run("password over 65,535 bytes", "mqtt://127.0.0.1:1883", ["--username", "u", "--password", s_huge], ["Broker:Password", "65,535"]);
        yield return Run("connect timeout zero", "mqtt://127.0.0.1:1883", ["--set", "Broker:ConnectTimeout=0s"], ["Broker:ConnectTimeout", "1s"]);
    }

    private static string SelfSignedPem()
    {
        using var certificate = SelfSigned();
        return certificate.ExportCertificatePem();
    }

    private static byte[] SelfSignedDer()
    {
        using var certificate = SelfSigned();
        return certificate.Export(X509ContentType.Cert);
    }

    private static X509Certificate2 SelfSigned()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=bad-input-test", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }
}
