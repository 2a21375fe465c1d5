using System.Buffers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using System.Text;
using Ingest.Pipeline.Publishing.Mqtt;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Ingest.Gateway.Receiving;

internal sealed partial class BatchReceiver
{
    private async Task ConnectAndSubscribeAsync(MqttProtocolVersion version, CancellationToken cancellationToken)
    {
        var options = BuildClientOptions(version);
        _certificateCheck?.Reset();
        MqttClientConnectResult result;
        // MQTTnet applies its own Timeout only to a token that cannot be canceled; ours can (Ctrl+C), so it is applied here.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_options.ConnectTimeout);
        try
        {
            result = await _client.ConnectAsync(options, attempt.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (attempt.IsCancellationRequested && !cancellationToken.IsCancellationRequested && _certificateCheck?.Failure is null
            && ex is MqttCommunicationException or IOException or OperationCanceledException)
        {
            // Our timeout ended the attempt; MQTTnet reports that as "connection closed".
            throw new MqttConnectException(MqttConnectFailure.Timeout, $"no answer within {_options.ConnectTimeout.TotalSeconds:0} s", innerException: ex);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or SocketException or IOException or AuthenticationException or OperationCanceledException
            or WebSocketException or InvalidOperationException)
        {
            throw Classify(ex);
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            var failure = result.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized
                ? MqttConnectFailure.CredentialsRefused
                : MqttConnectFailure.Refused;
            throw new MqttConnectException(failure, $"the broker refused the connection with CONNACK {result.ResultCode} (0x{(int)result.ResultCode:X2})", result.ResultCode);
        }

        Interlocked.Increment(ref _connectionGeneration);
        if (!result.IsSessionPresent)
        {
            var subscribed = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(_options.TopicFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
            var code = subscribed.Items.Count > 0 ? subscribed.Items.First().ResultCode : MqttClientSubscribeResultCode.UnspecifiedError;
            if (code > MqttClientSubscribeResultCode.GrantedQoS2)
            {
                throw new MqttConnectException(MqttConnectFailure.Refused, $"the broker refused the subscription {_options.TopicFilter}: {code}");
            }
        }

        // The hubs' retained status, outside the shared group: every receiver keeps the whole fleet's view, and a shared
        // subscription gets no retained messages. Subscribed on every connect, so the broker sends each hub's latest again.
        var status = await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(_options.StatusTopicFilter, MqttQualityOfServiceLevel.AtLeastOnce).Build(), cancellationToken).ConfigureAwait(false);
        if ((status.Items.Count > 0 ? status.Items.First().ResultCode : MqttClientSubscribeResultCode.UnspecifiedError) > MqttClientSubscribeResultCode.GrantedQoS2)
        {
            // Not fatal: batches still land; the report says no hub status was heard.
            HubStatus.NoteSubscriptionRefused(_options.StatusTopicFilter);
        }
    }

    private MqttClientOptions BuildClientOptions(MqttProtocolVersion version)
    {
        var broker = _options.Broker;
        var builder = new MqttClientOptionsBuilder()
            .WithClientId(_options.ClientId)
            .WithProtocolVersion(version)
            .WithTimeout(_options.ConnectTimeout)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(MqttPublisherOptions.DefaultKeepAliveSeconds))
            .WithCleanStart(_options.SessionExpirySeconds == 0);
        if (version == MqttProtocolVersion.V500)
        {
            builder = builder.WithReceiveMaximum((ushort)_options.ReceiveMaximum);
            if (_options.SessionExpirySeconds > 0)
            {
                builder = builder.WithSessionExpiryInterval(_options.SessionExpirySeconds);
            }
        }

        if (_options.UserName is not null)
        {
            builder = builder.WithCredentials(_options.UserName, _options.Password);
        }

        builder = broker.UsesWebSocket
            ? builder.WithWebSocketServer(o => o.WithUri(broker.ToString()))
            : builder.WithTcpServer(broker.Host, broker.Port);
        if (_certificateCheck is { } check)
        {
            var tls = _options.Tls;
            builder = builder.WithTlsOptions(o =>
            {
                // Our check replaces MQTTnet's, as in MqttPublisher: trust exactly the configured CA, optionally a pinned key.
                o.UseTls().WithTargetHost(tls?.ServerName ?? broker.Host).WithCertificateValidationHandler(check.Validate);
                if (tls?.ClientCertificate is { } certificate)
                {
                    o.WithClientCertificates([certificate]);
                }
            });
        }

        return builder.Build();
    }

    private MqttConnectException Classify(Exception error)
    {
        if (_certificateCheck is { Failure: { } tlsFailure } check)
        {
            return new MqttConnectException(tlsFailure, check.Detail ?? error.Message, innerException: error);
        }

        for (var inner = error; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused } socket:
                    return new MqttConnectException(MqttConnectFailure.ConnectionRefused, socket.Message, innerException: error);
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain } socket:
                    return new MqttConnectException(MqttConnectFailure.HostNotFound, socket.Message, innerException: error);
                case SocketException socket:
                    return new MqttConnectException(MqttConnectFailure.NetworkUnreachable, $"{socket.SocketErrorCode}: {socket.Message}", innerException: error);
                case AuthenticationException authentication:
                    return new MqttConnectException(MqttConnectFailure.TlsHandshakeFailed, authentication.Message, innerException: error);
                case MqttCommunicationTimedOutException or TimeoutException or OperationCanceledException:
                    return new MqttConnectException(MqttConnectFailure.Timeout, $"no answer within {_options.ConnectTimeout.TotalSeconds:0} s", innerException: error);
                default:
                    break;
            }
        }

        return new MqttConnectException(MqttConnectFailure.ConnectionClosed, "the broker closed the connection before accepting it: " + error.Message, innerException: error);
    }

    private async Task OnMessageAsync(MqttApplicationMessageReceivedEventArgs args)
    {
        if (HubStatusBoard.IsStatusTopic(args.ApplicationMessage.Topic, out _, out _))
        {
            // A hub's status (through the status subscription, and again through the shared one): a snapshot, taken here and
            // acknowledged at once; nothing in it is landed.
            HubStatus.Observe(args.ApplicationMessage.Topic, args.ApplicationMessage.Payload.IsSingleSegment
                ? args.ApplicationMessage.Payload.FirstSpan : args.ApplicationMessage.Payload.ToArray(), args.ApplicationMessage.Retain, DateTimeOffset.UtcNow);
            return;
        }

        // Acknowledged by the landing loop after the batch is durable (and its receipt sent), never here.
        args.AutoAcknowledge = false;
        var message = args.ApplicationMessage;
        IReadOnlyList<KeyValuePair<string, string>> properties = message.UserProperties is { Count: > 0 } list
            ? [.. list.Select(static p => KeyValuePair.Create(p.Name, Encoding.UTF8.GetString(p.ValueBuffer.Span)))]
            : [];
        var delivery = new Delivery(message.Topic, message.Payload.ToArray(), properties, message.ResponseTopic,
            message.CorrelationData is { Length: > 0 } correlation ? correlation : null, args, Interlocked.Read(ref _connectionGeneration));
        try
        {
            await _deliveries.Writer.WriteAsync(delivery, _lifetime.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping: left unacknowledged, the broker delivers it again.
        }
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (args.ClientWasConnected && !_stopping && _reconnectLoop.IsCompleted)
        {
            _reconnectLoop = Task.Run(ReconnectAsync);
        }

        return Task.CompletedTask;
    }

    /// <summary>Exponential backoff with full jitter until connected again or stopped (as <see cref="MqttPublisher"/> does).</summary>
    private async Task ReconnectAsync()
    {
        var cancellationToken = _lifetime.Token;
        for (var attempt = 0; !cancellationToken.IsCancellationRequested; attempt++)
        {
            var delay = MqttReconnectBackoff.GetDelay(attempt, MqttPublisherOptions.DefaultReconnectMinimumDelay, MqttPublisherOptions.DefaultReconnectMaximumDelay,
                Random.Shared.NextDouble());
            try
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                await ConnectAndSubscribeAsync(_version, cancellationToken).ConfigureAwait(false);
                Interlocked.Increment(ref _reconnects);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is MqttConnectException or MqttCommunicationException or InvalidOperationException)
            {
                await Console.Error.WriteLineAsync($"receive: reconnect to {_options.Broker} failed: {ex.Message}").ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// PUBACK for a delivery, on the connection it came in on only: a packet id belongs to its connection, and a message not
    /// acknowledged before a reconnect is delivered again (and then found to be a duplicate).
    /// </summary>
    private async Task AcknowledgeAsync(Delivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.Generation != Interlocked.Read(ref _connectionGeneration) || !_client.IsConnected)
        {
            return;
        }

        try
        {
            await delivery.Handle.AcknowledgeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is MqttCommunicationException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection went away: the broker delivers the message again.
        }
    }

    /// <summary>
    /// The receipt of docs/wire/mqtt-contract.md: QoS 1 to the Response Topic, the Correlation Data echoed, empty payload,
    /// <c>wearable.receipt</c> = stored or rejected (+ reason). True when the broker accepted it.
    /// </summary>
    private async Task<bool> SendReceiptAsync(Delivery delivery, bool stored, string? reason, CancellationToken cancellationToken)
    {
        if (delivery.ResponseTopic is not { Length: > 0 } responseTopic || _version != MqttProtocolVersion.V500)
        {
            return true;
        }

        var builder = new MqttApplicationMessageBuilder()
            .WithTopic(responseTopic)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithUserProperty(ReceiptProperty, Encoding.UTF8.GetBytes(stored ? ReceiptStored : ReceiptRejected).AsMemory());
        if (delivery.CorrelationData is { } correlation)
        {
            builder = builder.WithCorrelationData(correlation);
        }

        if (!stored && reason is not null)
        {
            builder = builder.WithUserProperty(ReceiptReasonProperty, Encoding.UTF8.GetBytes(BatchInspector.Excerpt(reason)).AsMemory());
        }

        try
        {
            var result = await _client.PublishAsync(builder.Build(), cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                Interlocked.Increment(ref _receiptsSent);
                return true;
            }

            await Console.Error.WriteLineAsync($"receive: the broker refused a receipt on {BatchInspector.Excerpt(responseTopic)}: {result.ReasonCode}").ConfigureAwait(false);
            return false;
        }
        catch (Exception ex) when (ex is MqttCommunicationException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }
}
