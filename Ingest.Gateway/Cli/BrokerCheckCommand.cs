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

    /// <summary>Exit code: stopped by Ctrl+C before the check finished.</summary>
    public const int Interrupted = ExitCodes.Interrupted;

    /// <summary>The status topic tested when none is given: the one <c>run</c> publishes on, so the broker's ACL is tested for it.</summary>
    public static string DefaultStatusTopic(string study, string hubId) => Configuration.GatewaySettings.StatusTopicOf(study, hubId);

    public static Command Create()
    {
        var broker = BrokerOptions.Create("Broker address, e.g. mqtts://broker.example.org:8883 (mqtt:// for plain TCP; wss://host/mqtt or ws:// when only web ports are open)");
        var hubOption = new Option<string>("--hub-id")
        {
            Description = "This hub's id, as Hub:Id: 1 to 64 ASCII letters, digits, '-', '_' or '.' (used for the client id and the status topic)",
            DefaultValueFactory = _ => Configuration.GatewayConfiguration.HubIdFromMachineName(Environment.MachineName),
        };
        var studyOption = new Option<string>("--study")
        {
            Description = "The study code, as Hub:Study (part of the status topic)",
            DefaultValueFactory = _ => Configuration.GatewayConfiguration.DefaultStudy,
        };
        var topicOption = new Option<string?>("--status-topic") { Description = "Status topic to test: one exact topic name, no wildcards (default: the hub's, wearables/<study>/hubs/<hub-id>/status)" };
        var timeoutOption = BrokerOptions.Seconds("--timeout", "Seconds to wait for each step", MqttPublisherOptions.MinimumConnectTimeout.TotalSeconds,
            MqttPublisherOptions.MaximumConnectTimeout.TotalSeconds);

        var check = new Command("check", "Connect to the MQTT broker, show its limits and send a test message to this hub's status topic and back.")
        {
            hubOption, studyOption, topicOption, timeoutOption,
        };
        foreach (var option in broker.All)
        {
            check.Add(option);
        }

        check.SetAction(async (parseResult, cancellationToken) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            Request request;
            try
            {
                request = ReadRequest(parseResult, broker, hubOption, studyOption, topicOption, timeoutOption);
            }
            catch (MqttOptionsException ex)
            {
                await error.WriteLineAsync("error: " + ex.Message).ConfigureAwait(false);
                return UsageError;
            }

            try
            {
                return await RunAsync(request, output, error, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (cancellationToken.IsCancellationRequested && ex is not OutOfMemoryException)
            {
                // Whatever the step was doing when Ctrl+C came (connecting, waiting for the message) ends because of it.
                await error.WriteLineAsync($"error: interrupted (Ctrl+C) before the check of {request.Settings.Broker} finished; nothing was changed, run it again to see the result")
                    .ConfigureAwait(false);
                return Interrupted;
            }
        });

        return new Command("broker", "Check the connection to the trial's MQTT broker.") { check };
    }

    /// <summary>Checks every option before anything connects; throws <see cref="MqttOptionsException"/> naming the first bad one.</summary>
    private static Request ReadRequest(ParseResult parseResult, BrokerOptions broker, Option<string> hubOption, Option<string> studyOption,
        Option<string?> topicOption, Option<double?> timeoutOption)
    {
        var settings = broker.Read(parseResult);
        var hubId = parseResult.GetValue(hubOption) ?? string.Empty;
        try
        {
            // The rule run applies to Hub:Id, so the check tests the topic and client id the hub will use.
            Pipeline.Service.IngestOptions.CheckLevel("Hub:Id", hubId);
        }
        catch (ArgumentException)
        {
            throw new MqttOptionsException("--hub-id", $"{MqttOptionText.Quote(hubId)} is not a hub id; use 1 to 64 ASCII letters, digits, '-', '_' or '.' (the rule for Hub:Id)");
        }

        var study = parseResult.GetValue(studyOption) ?? string.Empty;
        try
        {
            Pipeline.Service.IngestOptions.CheckLevel("Hub:Study", study);
        }
        catch (ArgumentException)
        {
            throw new MqttOptionsException("--study", $"{MqttOptionText.Quote(study)} is not a study code; use 1 to 64 ASCII letters, digits, '-', '_' or '.' (the rule for Hub:Study)");
        }

        var topic = parseResult.GetValue(topicOption) ?? DefaultStatusTopic(study, hubId);
        if (MqttPublisherOptions.ProblemWithTopicName(topic) is { } topicProblem)
        {
            throw new MqttOptionsException("--status-topic", topicProblem);
        }

        if (topic.StartsWith('$'))
        {
            // MQTT 5 §4.7.2: topics starting with '$' are the server's ($SYS); brokers refuse client publishes there.
            throw new MqttOptionsException("--status-topic", $"{MqttOptionText.Quote(topic)} starts with '$', which brokers keep for themselves ($SYS); give the hub's own status topic");
        }

        var timeout = TimeSpan.FromSeconds(parseResult.GetValue(timeoutOption) ?? MqttPublisherOptions.DefaultConnectTimeout.TotalSeconds);
        // Client ids allow only ASCII letters, digits, '-' and '_' [MQTT-3.1.3-5]; a hub id may hold '.' or other letters.
        var clientHub = ClientIdPart(hubId);
        var options = new MqttPublisherOptions
        {
            Broker = settings.Broker,
            ClientId = "wi-check-" + clientHub[..Math.Min(clientHub.Length, 40)] + "-" + Guid.NewGuid().ToString("N")[..6],
            UserName = settings.UserName,
            Password = settings.Password,
            Tls = settings.Tls,
            ProtocolVersion = settings.Version,
            ConnectTimeout = timeout,
            PublishTimeout = timeout,
            AutoReconnect = false,
        };
        options.Validate();
        return new Request(settings, options, topic, timeout);
    }

    private sealed record Request(BrokerSettings Settings, MqttPublisherOptions Options, string StatusTopic, TimeSpan Timeout);

    private static async Task<int> RunAsync(Request request, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var broker = request.Settings.Broker;
        var tls = request.Settings.Tls;
        var topic = request.StatusTopic;
        var publisher = new MqttPublisher(request.Options);
        await using var _ = publisher.ConfigureAwait(false);
        await output.WriteLineAsync($"Connecting to {broker} …").ConfigureAwait(false);
        MqttConnectionInfo connected;
        try
        {
            connected = await publisher.ConnectAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MqttConnectException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The report (stdout) says how far it got; the failure is one line on stderr, its details on the next.
            await error.WriteLineAsync("error: " + Explain(ex, broker, tls, request.Options)).ConfigureAwait(false);
            await error.WriteLineAsync("  details: " + ex.Message).ConfigureAwait(false);
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
                await error.WriteLineAsync($"error: the broker does not let this user read {MqttOptionText.Quote(topic)} ({subscribed}); ask the broker administrator to allow it").ConfigureAwait(false);
                return RoundTripFailed;
            }

            var marker = "broker-check " + Guid.NewGuid().ToString("N");
            var properties = new MqttPublishProperties { ContentType = "text/plain", MessageExpirySeconds = 60, UserProperties = [KeyValuePair.Create("check", "true")] };
            var stopwatch = Stopwatch.StartNew();
            var published = await publisher.PublishAsync(topic, Encoding.UTF8.GetBytes(marker), properties, cancellationToken: timeout.Token).ConfigureAwait(false);
            if (!published.IsSuccess)
            {
                await error.WriteLineAsync($"error: the broker did not accept the test message on {MqttOptionText.Quote(topic)}: {published}; " +
                    "ask the broker administrator whether this user may publish there").ConfigureAwait(false);
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
            await error.WriteLineAsync($"error: the test message did not come back within {request.Timeout.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s; the broker may not deliver {MqttOptionText.Quote(topic)} to this user (or give a longer --timeout)").ConfigureAwait(false);
            return RoundTripFailed;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested
            && ex is MqttCommunicationException or IOException or InvalidOperationException or ObjectDisposedException or System.Threading.Channels.ChannelClosedException)
        {
            await error.WriteLineAsync("error: the connection broke during the test: " + ex.Message).ConfigureAwait(false);
            return RoundTripFailed;
        }

        await publisher.DisconnectAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        await output.WriteLineAsync("All checks passed: this hub can send data to the broker.").ConfigureAwait(false);
        return Success;
    }

    /// <summary>A connect failure in plain words: what it means and what to change (also used by <c>receive</c>).</summary>
    internal static string Explain(MqttConnectException error, MqttBrokerUrl broker, MqttTlsSettings? tls) =>
        Explain(error, broker, tls, options: null);

    private static string Explain(MqttConnectException error, MqttBrokerUrl broker, MqttTlsSettings? tls, MqttPublisherOptions? options) => error.Failure switch
    {
        MqttConnectFailure.ConnectionRefused =>
            $"nothing is listening on {broker.HostText} port {broker.Port}: the port is closed; check the port number and that the broker is running and reachable from this hub",
        MqttConnectFailure.HostNotFound =>
            $"the name '{broker.Host}' could not be found; check the spelling of the broker address and this hub's network (DNS) settings",
        MqttConnectFailure.NetworkUnreachable =>
            $"{broker.HostText} cannot be reached from this hub; check the network cable or Wi-Fi and any firewall between the hub and the broker",
        MqttConnectFailure.Timeout =>
            $"{broker.HostText} did not answer within {(options?.ConnectTimeout ?? MqttPublisherOptions.DefaultConnectTimeout).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s; a firewall may be dropping the connection, or the broker is overloaded (or this port does not speak MQTT)",
        MqttConnectFailure.TlsUntrustedCertificate =>
            "the broker's certificate is not signed by a certificate authority this hub trusts (unknown CA); " +
            (tls?.TrustedCertificateAuthorities is null ? "ask the trial's IT contact for the CA certificate and pass it with --ca-file" : "check that --ca-file is the CA that signed the broker's certificate"),
        MqttConnectFailure.TlsNameMismatch =>
            $"the broker's certificate is not valid for the name '{tls?.ServerName ?? broker.Host}' (wrong host name); use the exact host name written on the certificate",
        MqttConnectFailure.TlsPinMismatch =>
            "the broker's key does not match the pinned key (--pin-sha256): the broker's certificate was replaced, or this is not the right broker; contact the trial's IT contact",
        MqttConnectFailure.TlsHandshakeFailed =>
            "the secure (TLS) connection could not be set up; if the broker requires a client certificate, pass --cert-file and --key-file, and check the broker uses TLS on this port",
        MqttConnectFailure.ConnectionClosed =>
            "the broker closed the connection without accepting it; " + broker.Transport switch
            {
                MqttTransport.Tls => "it may require a client certificate (--cert-file/--key-file), or this port does not speak TLS (then use mqtt://)",
                MqttTransport.WebSocket or MqttTransport.SecureWebSocket => $"check that port {broker.Port} serves MQTT over WebSocket at {broker.Path} (not plain MQTT, which needs mqtt:// or mqtts://)",
                _ => "if the broker expects TLS on this port, use mqtts:// instead of mqtt://",
            },
        MqttConnectFailure.CredentialsRefused =>
            "the broker refused the credentials: the user name or password is wrong, or this user may not connect; check --username and --password",
        MqttConnectFailure.WebSocketFailed =>
            $"the WebSocket connection to {broker} failed; check the path after the port (often /mqtt) and that the broker offers MQTT over WebSocket there",
        MqttConnectFailure.Refused =>
            $"the broker refused the connection: {error.ReasonCode} (0x{(int)(error.ReasonCode ?? 0):X2})",
        _ => "the connection failed for a reason this hub cannot tell apart; see the details below",
    };

    private static string ClientIdPart(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-');
        }

        return builder.Length == 0 ? "hub" : builder.ToString();
    }
}
