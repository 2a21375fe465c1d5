using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ingest.Pipeline.Publishing.Mqtt;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest broker check</c>: what a nurse or IT person runs at install time. Connects, reports the protocol
/// version and the broker's limits, publishes a test message on the hub's status topic and receives it back, and
/// explains any failure in plain words.
/// </summary>
internal static class BrokerCheckCommand
{
    /// <summary>Exit code: everything worked.</summary>
    public const int Success = 0;

    /// <summary>Exit code: the command line was wrong (the same for every command).</summary>
    public const int UsageError = ExitCodes.UsageError;

    /// <summary>Exit code: could not connect (network, TLS, credentials). Commands number their own failures from 3.</summary>
    public const int ConnectFailed = 3;

    /// <summary>Exit code: connected, but publishing or receiving the test message failed.</summary>
    public const int RoundTripFailed = 4;

    public static Command Create()
    {
        var brokerOption = new Option<string>("--broker") { Description = "Broker address, e.g. mqtts://broker.example.org:8883 (mqtt:// for plain TCP; wss://host/mqtt or ws:// when only web ports are open)", Required = true };
        var userOption = new Option<string?>("--username") { Description = "User name for the broker" };
        var passwordOption = new Option<string?>("--password") { Description = "Password for the broker (or set WEARABLE_MQTT_PASSWORD)" };
        var caOption = new Option<FileInfo?>("--ca-file") { Description = "PEM file with the certificate authority that signed the broker's certificate" };
        var certOption = new Option<FileInfo?>("--cert-file") { Description = "PEM client certificate, for brokers that require one (mutual TLS)" };
        var keyOption = new Option<FileInfo?>("--key-file") { Description = "PEM private key of the client certificate" };
        var pinOption = new Option<string[]>("--pin-sha256") { Description = "Expected SHA-256 of the broker's public key (hex or base64); may be repeated", AllowMultipleArgumentsPerToken = true };
        var serverNameOption = new Option<string?>("--tls-server-name") { Description = "Name expected on the broker's certificate, if different from the host" };
        var hubOption = new Option<string>("--hub-id") { Description = "This hub's id (used for the client id and the status topic)", DefaultValueFactory = _ => Environment.MachineName.ToLowerInvariant() };
        var topicOption = new Option<string?>("--status-topic") { Description = "Status topic to test (default wearable-ingest/hubs/<hub-id>/status)" };
        var versionOption = new Option<string>("--mqtt-version") { Description = "5 (falls back to 3.1.1 when the broker needs it) or 3.1.1", DefaultValueFactory = _ => "5" };
        versionOption.AcceptOnlyFromAmong("5", "3.1.1");
        var timeoutOption = new Option<int>("--timeout") { Description = "Seconds to wait for each step", DefaultValueFactory = _ => 10 };

        var check = new Command("check", "Connect to the MQTT broker, show its limits and send a test message to this hub's status topic and back.")
        {
            brokerOption, userOption, passwordOption, caOption, certOption, keyOption, pinOption, serverNameOption, hubOption, topicOption, versionOption, timeoutOption,
        };
        check.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var request = new Request(
                parseResult.GetRequiredValue(brokerOption),
                parseResult.GetValue(userOption),
                parseResult.GetValue(passwordOption) ?? Environment.GetEnvironmentVariable("WEARABLE_MQTT_PASSWORD"),
                parseResult.GetValue(caOption),
                parseResult.GetValue(certOption),
                parseResult.GetValue(keyOption),
                parseResult.GetValue(pinOption) ?? [],
                parseResult.GetValue(serverNameOption),
                parseResult.GetRequiredValue(hubOption),
                parseResult.GetValue(topicOption),
                parseResult.GetRequiredValue(versionOption) == "3.1.1" ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500,
                TimeSpan.FromSeconds(Math.Max(1, parseResult.GetValue(timeoutOption))));
            return await RunAsync(request, output, cancellationToken).ConfigureAwait(false);
        });

        return new Command("broker", "Check the connection to the trial's MQTT broker.") { check };
    }

    private sealed record Request(string Broker, string? UserName, string? Password, FileInfo? CaFile, FileInfo? CertFile, FileInfo? KeyFile,
        string[] Pins, string? ServerName, string HubId, string? StatusTopic, MqttProtocolVersion Version, TimeSpan Timeout);

    private static async Task<int> RunAsync(Request request, TextWriter output, CancellationToken cancellationToken)
    {
        if (!MqttBrokerUrl.TryParse(request.Broker, out var broker, out var addressError))
        {
            await output.WriteLineAsync("✗ " + addressError).ConfigureAwait(false);
            return UsageError;
        }

        MqttTlsSettings? tls = null;
        var hasTlsOptions = request.CaFile is not null || request.CertFile is not null || request.KeyFile is not null || request.Pins.Length > 0 || request.ServerName is not null;
        try
        {
            if (broker.UsesTls)
            {
                tls = MqttTlsSettings.FromFiles(request.CaFile?.FullName, request.CertFile?.FullName, request.KeyFile?.FullName, request.Pins, request.ServerName);
            }
            else if (hasTlsOptions)
            {
                await output.WriteLineAsync($"! Certificate, pin and server-name options are ignored for {broker} (not encrypted); use mqtts:// or wss:// for TLS.").ConfigureAwait(false);
            }
        }
        catch (MqttOptionsException ex)
        {
            await output.WriteLineAsync("✗ " + ex.Message).ConfigureAwait(false);
            return UsageError;
        }

        var hubId = Sanitize(request.HubId);
        var topic = request.StatusTopic ?? $"wearable-ingest/hubs/{hubId}/status";
        var options = new MqttPublisherOptions
        {
            Broker = broker,
            ClientId = "wi-check-" + hubId[..Math.Min(hubId.Length, 40)] + "-" + Guid.NewGuid().ToString("N")[..6],
            UserName = request.UserName,
            Password = request.Password,
            Tls = tls,
            ProtocolVersion = request.Version,
            ConnectTimeout = request.Timeout,
            PublishTimeout = request.Timeout,
            AutoReconnect = false,
        };
        try
        {
            options.Validate();
        }
        catch (MqttOptionsException ex)
        {
            await output.WriteLineAsync("✗ " + ex.Message).ConfigureAwait(false);
            return UsageError;
        }

        var publisher = new MqttPublisher(options);
        await using var _ = publisher.ConfigureAwait(false);
        await output.WriteLineAsync($"Connecting to {broker} …").ConfigureAwait(false);
        MqttConnectionInfo connected;
        try
        {
            connected = await publisher.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MqttConnectException ex)
        {
            await output.WriteLineAsync("✗ " + Explain(ex, broker, request)).ConfigureAwait(false);
            await output.WriteLineAsync("  Details: " + ex.Message).ConfigureAwait(false);
            return ConnectFailed;
        }

        var limits = connected.Limits;
        await output.WriteLineAsync(
            $"✓ Connected with MQTT {(connected.ProtocolVersion == MqttProtocolVersion.V500 ? "5.0" : "3.1.1")}{(tls is null ? " (not encrypted)" : " over TLS")}" +
            (broker.UsesWebSocket ? " through a WebSocket" : string.Empty) +
            (connected.FellBackToV311 ? " — the broker does not speak MQTT 5, so the hub will use 3.1.1 (batch properties travel only in the Arrow metadata)" : string.Empty))
            .ConfigureAwait(false);
        await output.WriteLineAsync("  Broker limits: " + string.Join(", ",
            $"receive maximum {limits.ReceiveMaximum.ToString(CultureInfo.InvariantCulture)}",
            $"maximum packet size {(limits.MaximumPacketSize >= MqttServerLimits.NoPacketSizeLimit ? "no limit" : limits.MaximumPacketSize.ToString("N0", CultureInfo.InvariantCulture) + " bytes")}",
            $"topic aliases {limits.TopicAliasMaximum.ToString(CultureInfo.InvariantCulture)}",
            $"maximum QoS {((int)limits.MaximumQoS).ToString(CultureInfo.InvariantCulture)}",
            $"retained messages {(limits.RetainAvailable ? "yes" : "no")}",
            $"shared subscriptions {(limits.SharedSubscriptionAvailable ? "yes" : "no")}",
            $"keep-alive {limits.KeepAliveSeconds.ToString(CultureInfo.InvariantCulture)} s")).ConfigureAwait(false);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        try
        {
            var subscribed = await publisher.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce, timeout.Token).ConfigureAwait(false);
            if (subscribed > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                await output.WriteLineAsync($"✗ The broker does not let this user read {topic} ({subscribed}). Ask the broker administrator to allow it.").ConfigureAwait(false);
                return RoundTripFailed;
            }

            var marker = "broker-check " + Guid.NewGuid().ToString("N");
            var properties = new MqttPublishProperties { ContentType = "text/plain", MessageExpirySeconds = 60, UserProperties = [KeyValuePair.Create("check", "true")] };
            var stopwatch = Stopwatch.StartNew();
            var published = await publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(marker), properties, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (!published.IsSuccess)
            {
                await output.WriteLineAsync($"✗ The broker did not accept the test message on {topic}: {published}. " +
                    "Ask the broker administrator whether this user may publish there.").ConfigureAwait(false);
                return RoundTripFailed;
            }

            await output.WriteLineAsync($"✓ Published a test message to {topic} (QoS 1, acknowledged)").ConfigureAwait(false);
            while (true)
            {
                var message = await publisher.ReceivedMessages.ReadAsync(timeout.Token).ConfigureAwait(false);
                if (message.Topic == topic && Encoding.UTF8.GetString(message.Payload.Span) == marker)
                {
                    break;
                }
            }

            await output.WriteLineAsync($"✓ Received it back after {stopwatch.ElapsedMilliseconds.ToString(CultureInfo.InvariantCulture)} ms").ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await output.WriteLineAsync($"✗ The test message did not come back within {request.Timeout.TotalSeconds:0} s. The broker may not deliver {topic} to this user.").ConfigureAwait(false);
            return RoundTripFailed;
        }
        catch (Exception ex) when (ex is MqttCommunicationException or IOException or InvalidOperationException or ObjectDisposedException or System.Threading.Channels.ChannelClosedException)
        {
            await output.WriteLineAsync("✗ The connection broke during the test: " + ex.Message).ConfigureAwait(false);
            return RoundTripFailed;
        }

        await publisher.DisconnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync("All checks passed: this hub can send data to the broker.").ConfigureAwait(false);
        return Success;
    }

    private static string Explain(MqttConnectException error, MqttBrokerUrl broker, Request request) => error.Failure switch
    {
        MqttConnectFailure.ConnectionRefused =>
            $"Nothing is listening on {broker.Host} port {broker.Port}: the port is closed. Check the port number and that the broker is running and reachable from this hub.",
        MqttConnectFailure.HostNotFound =>
            $"The name '{broker.Host}' could not be found. Check the spelling of the broker address and this hub's network (DNS) settings.",
        MqttConnectFailure.NetworkUnreachable =>
            $"{broker.Host} cannot be reached from this hub. Check the network cable or Wi-Fi and any firewall between the hub and the broker.",
        MqttConnectFailure.Timeout =>
            $"{broker.Host} did not answer in time. A firewall may be dropping the connection, or the broker is overloaded.",
        MqttConnectFailure.TlsUntrustedCertificate =>
            "The broker's certificate is not signed by a certificate authority this hub trusts (unknown CA). " +
            (request.CaFile is null ? "Ask the trial's IT contact for the CA certificate and pass it with --ca-file." : $"Check that {request.CaFile.Name} is the CA that signed the broker's certificate."),
        MqttConnectFailure.TlsNameMismatch =>
            $"The broker's certificate is not valid for the name '{request.ServerName ?? broker.Host}' (wrong host name). Use the exact host name written on the certificate.",
        MqttConnectFailure.TlsPinMismatch =>
            "The broker's key does not match the pinned key (--pin-sha256). The broker's certificate was replaced, or this is not the right broker: contact the trial's IT contact.",
        MqttConnectFailure.TlsHandshakeFailed =>
            "The secure (TLS) connection could not be set up. If the broker requires a client certificate, pass --cert-file and --key-file; check the broker uses TLS on this port.",
        MqttConnectFailure.ConnectionClosed =>
            "The broker closed the connection without accepting it. " + broker.Transport switch
            {
                MqttTransport.Tls => "It may require a client certificate (--cert-file/--key-file), or this port does not speak TLS (then use mqtt://).",
                MqttTransport.WebSocket or MqttTransport.SecureWebSocket => $"Check that port {broker.Port} serves MQTT over WebSocket at {broker.Path} (not plain MQTT, which needs mqtt:// or mqtts://).",
                _ => "If the broker expects TLS on this port, use mqtts:// instead of mqtt://.",
            },
        MqttConnectFailure.CredentialsRefused =>
            "The broker refused the credentials: the user name or password is wrong, or this user may not connect. Check --username and --password.",
        MqttConnectFailure.WebSocketFailed =>
            $"The WebSocket connection to {broker} failed. Check the path after the port (often /mqtt) and that the broker offers MQTT over WebSocket there.",
        MqttConnectFailure.Refused =>
            $"The broker refused the connection: {error.ReasonCode} (0x{(int)(error.ReasonCode ?? 0):X2}).",
        _ => "The connection failed for a reason this hub cannot tell apart; see the details below.",
    };

    private static string Sanitize(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }

        return builder.Length == 0 ? "hub" : builder.ToString();
    }
}
