using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Authentication;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Ingest.Pipeline.Publishing.Mqtt;

internal sealed partial class MqttPublisher
{
    /// <summary>MQTT 3.1.1 CONNACK return code 1, "unacceptable protocol version" [MQTT-3.2.2.3], as MQTTnet's MQTT 5 decoder reports it.</summary>
    private const MqttClientConnectResultCode V311UnacceptableProtocolVersion = (MqttClientConnectResultCode)1;

    /// <summary>
    /// Connects, MQTT 5 first and 3.1.1 when the broker refuses 5 (and fallback is allowed). Throws
    /// <see cref="MqttConnectException"/> when the broker cannot be reached or refuses us; after success, a lost
    /// connection is re-established in the background (when <see cref="MqttPublisherOptions.AutoReconnect"/>).
    /// </summary>
    public async Task<MqttConnectionInfo> ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            if (_started || _stopping)
            {
                throw new InvalidOperationException("ConnectAsync may be called once; the publisher reconnects by itself after that");
            }

            _started = true;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        await _connectGate.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            return await ConnectWithFallbackAsync(linked.Token).ConfigureAwait(false);
        }
        catch
        {
            lock (_sync)
            {
                // A first connect that failed may be tried again by the caller.
                _started = false;
            }

            throw;
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private async Task<MqttConnectionInfo> ConnectWithFallbackAsync(CancellationToken cancellationToken)
    {
        var version = _version;
        try
        {
            return await ConnectOnceAsync(version, fellBack: false, cancellationToken).ConfigureAwait(false);
        }
        catch (MqttConnectException refused) when (version == MqttProtocolVersion.V500 && _options.AllowFallbackToV311 && IsVersionRefusal(refused))
        {
            // The broker speaks 3.1.1 only (CONNACK 0x84 or return code 1), or closed the connection on seeing MQTT 5 (aedes, old
            // RabbitMQ). The version that works sticks for reconnects.
            var connected = await ConnectOnceAsync(MqttProtocolVersion.V311, fellBack: true, cancellationToken).ConfigureAwait(false);
            _version = MqttProtocolVersion.V311;
            return connected;
        }
    }

    private static bool IsVersionRefusal(MqttConnectException error) =>
        error.ReasonCode is MqttClientConnectResultCode.UnsupportedProtocolVersion or V311UnacceptableProtocolVersion
        || error.Failure == MqttConnectFailure.ConnectionClosed;

    private async Task<MqttConnectionInfo> ConnectOnceAsync(MqttProtocolVersion version, bool fellBack, CancellationToken cancellationToken)
    {
        var clientOptions = BuildClientOptions(version);
        _certificateCheck?.Reset();
        _failedConnectResult = null;
        MqttClientConnectResult result;
        // MQTTnet applies its own Timeout only when given a token that cannot be canceled: with ours, a listener that
        // accepts and never answers would be waited for forever (issue 12), so the connect timeout is applied here.
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_options.ConnectTimeout);
        try
        {
            result = await _client.ConnectAsync(clientOptions, attempt.Token).ConfigureAwait(false);
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
            throw Classify(ex, _failedConnectResult);
        }

        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw Refusal(result);
        }

        var limits = ReadLimits(result, version);
        var window = (int)Math.Min(_options.MaximumInFlight, limits.ReceiveMaximum);
        _window.SetLimit(window);
        var info = new MqttConnectionInfo(version, fellBack, result.IsSessionPresent, limits, window);
        Volatile.Write(ref _connection, info);
        lock (_sync)
        {
            _connectedSignal.TrySetResult();
        }

        if (!result.IsSessionPresent)
        {
            await RestoreSubscriptionsAsync(cancellationToken).ConfigureAwait(false);
        }

        return info;
    }

    private MqttClientOptions BuildClientOptions(MqttProtocolVersion version)
    {
        var broker = _options.Broker;
        var builder = new MqttClientOptionsBuilder()
            .WithClientId(_options.ClientId)
            .WithProtocolVersion(version)
            .WithTimeout(_options.ConnectTimeout)
            .WithCleanStart(_options.SessionExpirySeconds == 0);
        builder = _options.KeepAliveSeconds == 0 ? builder.WithNoKeepAlive() : builder.WithKeepAlivePeriod(TimeSpan.FromSeconds(_options.KeepAliveSeconds));
        if (version == MqttProtocolVersion.V500 && _options.SessionExpirySeconds > 0)
        {
            builder = builder.WithSessionExpiryInterval(_options.SessionExpirySeconds);
        }

        if (_options.UserName is not null)
        {
            builder = builder.WithCredentials(_options.UserName, _options.Password);
        }

        if (_options.Will is { } will)
        {
            builder = builder.WithWillTopic(will.Topic)
                .WithWillPayload(will.Payload.ToArray())
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithWillRetain(true);
        }

        builder = broker.UsesWebSocket
            ? builder.WithWebSocketServer(o => o.WithUri(broker.ToString()))
            : builder.WithTcpServer(broker.Host, broker.Port);
        if (_certificateCheck is { } check)
        {
            var tls = _options.Tls;
            builder = builder.WithTlsOptions(o =>
            {
                o.UseTls()
                    .WithTargetHost(tls?.ServerName ?? broker.Host)
                    // REPLACES MQTTnet's own check (libraries.md): ours checks SslPolicyErrors, the chain and the pin.
                    .WithCertificateValidationHandler(check.Validate)
                    .WithRevocationMode(tls is { CheckRevocation: true } ? System.Security.Cryptography.X509Certificates.X509RevocationMode.Online
                        : System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck);
                if (tls?.ClientCertificate is { } certificate)
                {
                    o.WithClientCertificates([certificate]);
                }
            });
        }

        var built = builder.Build();

        // The buffer size must be set on the BUILT options: MQTTnet's 8 KiB default pins the socket buffers (libraries.md).
        if (built.ChannelOptions is MqttClientTcpOptions tcp)
        {
            tcp.BufferSize = _options.SocketBufferBytes;
            tcp.NoDelay = true;
        }

        return built;
    }

    /// <summary>Reads the CONNACK's limits, each checked against its protocol range; MQTT 3.1.1 has none, so the defaults apply.</summary>
    private MqttServerLimits ReadLimits(MqttClientConnectResult result, MqttProtocolVersion version)
    {
        var keepAlive = result.ServerKeepAlive > 0 ? result.ServerKeepAlive : _options.KeepAliveSeconds;
        if (version != MqttProtocolVersion.V500)
        {
            return new MqttServerLimits(MqttServerLimits.DefaultReceiveMaximum, MqttServerLimits.NoPacketSizeLimit, MqttQualityOfServiceLevel.ExactlyOnce,
                RetainAvailable: true, TopicAliasMaximum: 0, SharedSubscriptionAvailable: false, keepAlive);
        }

        // Receive Maximum 0 and Maximum Packet Size 0 are protocol errors [MQTT-3.2.2.3.3, 3.2.2.3.6]: use the defaults rather than a window of 0.
        int receiveMaximum = result.ReceiveMaximum is { } receive and > 0 ? receive : MqttServerLimits.DefaultReceiveMaximum;
        long maximumPacketSize = result.MaximumPacketSize is { } size and > 0 ? Math.Min(size, MqttServerLimits.NoPacketSizeLimit) : MqttServerLimits.NoPacketSizeLimit;
        var maximumQoS = result.MaximumQoS is >= MqttQualityOfServiceLevel.AtMostOnce and <= MqttQualityOfServiceLevel.ExactlyOnce
            ? result.MaximumQoS
            : MqttQualityOfServiceLevel.AtMostOnce;
        return new MqttServerLimits(receiveMaximum, maximumPacketSize, maximumQoS, result.RetainAvailable, result.TopicAliasMaximum,
            result.SharedSubscriptionAvailable, keepAlive);
    }

    private static MqttConnectException Refusal(MqttClientConnectResult result)
    {
        var code = result.ResultCode;
        var reason = string.IsNullOrEmpty(result.ReasonString) ? string.Empty : ": " + result.ReasonString;
        var failure = code is MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized
            ? MqttConnectFailure.CredentialsRefused
            : MqttConnectFailure.Refused;
        return new MqttConnectException(failure, $"the broker refused the connection with CONNACK {code} (0x{(int)code:X2}){reason}", code);
    }

    /// <summary>Turns whatever MQTTnet, the socket or TLS threw into a category a person can act on.</summary>
    private MqttConnectException Classify(Exception error, MqttClientConnectResult? connectResult)
    {
        if (connectResult is { ResultCode: not MqttClientConnectResultCode.Success })
        {
            return Refusal(connectResult);
        }

        if (_certificateCheck is { Failure: { } tlsFailure } check)
        {
            return new MqttConnectException(tlsFailure, check.Detail ?? error.Message, innerException: error);
        }

        for (var inner = error; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException socket:
                    var failure = socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => MqttConnectFailure.ConnectionRefused,
                        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => MqttConnectFailure.HostNotFound,
                        SocketError.NetworkUnreachable or SocketError.HostUnreachable or SocketError.NetworkDown => MqttConnectFailure.NetworkUnreachable,
                        SocketError.TimedOut => MqttConnectFailure.Timeout,
                        _ => MqttConnectFailure.ConnectionClosed,
                    };
                    return new MqttConnectException(failure, $"{socket.SocketErrorCode}: {socket.Message}", innerException: error);
                case AuthenticationException authentication:
                    return new MqttConnectException(MqttConnectFailure.TlsHandshakeFailed, authentication.Message, innerException: error);
                case MqttCommunicationTimedOutException or TimeoutException or OperationCanceledException:
                    return new MqttConnectException(MqttConnectFailure.Timeout, $"no answer within {_options.ConnectTimeout.TotalSeconds:0} s", innerException: error);
                case WebSocketException webSocket when webSocket.InnerException is null:
                    return new MqttConnectException(MqttConnectFailure.WebSocketFailed, webSocket.Message, innerException: error);
                default:
                    break;
            }
        }

        return error is MqttCommunicationException or IOException
            ? new MqttConnectException(MqttConnectFailure.ConnectionClosed, "the broker closed the connection before accepting it: " + error.Message, innerException: error)
            : new MqttConnectException(MqttConnectFailure.Other, error.Message, innerException: error);
    }

    private Task OnDisconnectedAsync(MqttClientDisconnectedEventArgs args)
    {
        if (!args.ClientWasConnected)
        {
            // A connect attempt failed; MQTTnet reports the CONNACK here even when the exception does not carry it.
            _failedConnectResult = args.ConnectResult;
            return Task.CompletedTask;
        }

        Volatile.Write(ref _connection, null);
        lock (_sync)
        {
            if (_connectedSignal.Task.IsCompleted)
            {
                _connectedSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            // Never from MQTTnet's own handler: the reconnect loop runs on its own. A drop while the loop is still finishing
            // is seen by the loop (_reconnectPending), so no loss goes without a reconnect.
            _reconnectPending = true;
            if (!_stopping && _options.AutoReconnect && !_reconnecting)
            {
                _reconnecting = true;
                _reconnectLoop = Task.Run(ReconnectLoopAsync);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Exponential backoff with full jitter until a connect succeeds or the publisher is stopped; runs again at once when
    /// the connection dropped while it was finishing. Any failure of an attempt is recorded and the loop goes on: only
    /// stopping the publisher ends it.
    /// </summary>
    private async Task ReconnectLoopAsync()
    {
        var cancellationToken = _lifetime.Token;
        try
        {
            while (true)
            {
                lock (_sync)
                {
                    if (!_reconnectPending || _stopping)
                    {
                        _reconnecting = false;
                        return;
                    }

                    _reconnectPending = false;
                }

                await ReconnectWithBackoffAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_sync)
            {
                _reconnecting = false;
            }
        }
    }

    private async Task ReconnectWithBackoffAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var delay = MqttReconnectBackoff.GetDelay(attempt, _options.ReconnectMinimumDelay, _options.ReconnectMaximumDelay, Random.Shared.NextDouble());
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!_client.IsConnected)
                {
                    await ConnectWithFallbackAsync(cancellationToken).ConfigureAwait(false);
                    Interlocked.Increment(ref _reconnects);
                }

                Volatile.Write(ref _lastReconnectError, null);
                return;
            }
            catch (MqttConnectException ex)
            {
                Volatile.Write(ref _lastReconnectError, ex);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // E.g. restoring a subscription failed because the new connection dropped at once: try again like any failure.
                Volatile.Write(ref _lastReconnectError, new MqttConnectException(MqttConnectFailure.Other, ex.Message, innerException: ex));
            }
            finally
            {
                _connectGate.Release();
            }
        }
    }
}
