using System.Buffers;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Ingest.Mqtt.Internal;
using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

public sealed partial class MqttClient
{
    /// <summary>
    /// Connects (TCP, TLS if configured, CONNECT/CONNACK), falling back to MQTT 3.1.1 if allowed and needed.
    /// Throws <see cref="MqttConnectException"/> with an actionable <see cref="MqttConnectFailure"/>; does not retry.
    /// After success the client reconnects by itself whenever the connection is lost.
    /// </summary>
    public async Task<MqttConnectResult> ConnectAsync(CancellationToken cancellationToken = default)
    {
        lock (_sync)
        {
            if (_state != ClientState.Created)
            {
                throw new InvalidOperationException("ConnectAsync may be called once per client");
            }

            _state = ClientState.Connecting;
        }

        MqttConnection connection;
        MqttConnectResult result;
        try
        {
            (connection, result) = await ConnectCoreAsync(reconnect: false, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (_sync)
            {
                _state = ClientState.Closed;
            }

            _received.Writer.TryComplete();
            throw;
        }

        lock (_sync)
        {
            if (_state == ClientState.Connecting)
            {
                _state = ClientState.Running;
            }
        }

        _supervisor = SuperviseAsync(connection);
        return result;
    }

    /// <summary>
    /// Sends DISCONNECT with <paramref name="reasonCode"/> (0x00 discards the Will; 0x04 asks the server to publish it),
    /// closes the connection and stops reconnecting. Publishes still unresolved complete as <see cref="MqttPublishOutcome.Aborted"/>.
    /// </summary>
    public async Task DisconnectAsync(MqttReasonCode reasonCode = MqttReasonCode.NormalDisconnection, MqttProperties? properties = null,
        CancellationToken cancellationToken = default)
    {
        MqttConnection? connection;
        lock (_sync)
        {
            if (_state is ClientState.Closing or ClientState.Closed)
            {
                return;
            }

            _state = ClientState.Closing;
            connection = _connection;
            if (connection is { Closing: false })
            {
                MqttPacketEncoder.WriteDisconnect(connection.Pending, reasonCode, properties, connection.Version);
                connection.RequestCloseAfterWriteLocked(reasonCode, null);
                connection.ScheduleFlushLocked();
            }
        }

        await _lifetime.CancelAsync().ConfigureAwait(false);
        if (connection is not null)
        {
            try
            {
                // Give the writer a moment to put DISCONNECT on the wire; a dead connection must not hold us up.
                await connection.Closed.Task.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Fall through to abort.
            }

            connection.Abort(null, reasonCode);
            await connection.WhenStoppedAsync().ConfigureAwait(false);
        }

        try
        {
            await _supervisor.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped while reconnecting.
        }

        lock (_sync)
        {
            _state = ClientState.Closed;
            _connection = null;
            AbortAllLocked();
        }

        _received.Writer.TryComplete();
        _events.Writer.TryComplete();
    }

    private async Task SuperviseAsync(MqttConnection connection)
    {
        while (true)
        {
            var loss = await connection.Closed.Task.ConfigureAwait(false);
            await connection.WhenStoppedAsync().ConfigureAwait(false);
            OnConnectionLost(connection);
            Emit(new MqttConnectionEvent(MqttConnectionEventKind.Disconnected, false, loss.ReasonCode, loss.Error, 0, 0));
            if (_lifetime.IsCancellationRequested || !_options.AutoReconnect)
            {
                break;
            }

            var attempt = 0;
            while (true)
            {
                var delay = MqttReconnectBackoff.GetDelay(attempt++, _options.ReconnectMinimumDelay, _options.ReconnectMaximumDelay, Random.Shared.NextDouble());
                try
                {
                    await Task.Delay(delay, _lifetime.Token).ConfigureAwait(false);
                    (connection, _) = await ConnectCoreAsync(reconnect: true, _lifetime.Token).ConfigureAwait(false);
                    break;
                }
                catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
                {
                    FinishSupervision();
                    return;
                }
                catch (MqttConnectException ex)
                {
                    Emit(new MqttConnectionEvent(MqttConnectionEventKind.ReconnectFailed, false, ex.ReasonCode, ex, 0, 0));
                }
            }
        }

        FinishSupervision();
    }

    private void FinishSupervision()
    {
        lock (_sync)
        {
            if (_state == ClientState.Running)
            {
                // Connection lost without auto-reconnect: nothing can complete the outstanding publishes any more.
                _state = ClientState.Closed;
                AbortAllLocked();
                _received.Writer.TryComplete();
            }
        }
    }

    private async Task<(MqttConnection Connection, MqttConnectResult Result)> ConnectCoreAsync(bool reconnect, CancellationToken cancellationToken)
    {
        var version = _version != MqttProtocolVersion.Unknown ? _version : _options.ProtocolVersion;
        try
        {
            return await ConnectWithVersionAsync(version, reconnect, cancellationToken).ConfigureAwait(false);
        }
        catch (MqttConnectException ex) when (version == MqttProtocolVersion.V500 && _options.AllowFallbackToV311 &&
            _version == MqttProtocolVersion.Unknown &&
            (ex.Failure == MqttConnectFailure.ConnectionClosed || ex.ReasonCode == MqttReasonCode.UnsupportedProtocolVersion))
        {
            // RabbitMQ 3.10 closes on an MQTT 5 CONNECT; aedes answers 3.1.1 return code 1 (protocols.md §2.18).
            return await ConnectWithVersionAsync(MqttProtocolVersion.V311, reconnect, cancellationToken).ConfigureAwait(false);
        }
    }

    // CA2000: the socket and streams are disposed in the finally block on failure and owned by MqttConnection on success.
#pragma warning disable CA2000
    private async Task<(MqttConnection Connection, MqttConnectResult Result)> ConnectWithVersionAsync(MqttProtocolVersion version, bool reconnect,
        CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.ConnectTimeout);
        var host = _options.Host;
        var port = _options.EffectivePort;
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        byte[]? receiveBuffer = null;
        TlsCertificateValidator? validator = null;
        var stage = "connecting";
        var success = false;
        try
        {
            await socket.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: false);
            if (_options.Tls is { } tls)
            {
                stage = "TLS handshake";
                validator = new TlsCertificateValidator(tls);
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                var authentication = new SslClientAuthenticationOptions
                {
                    TargetHost = tls.TargetHost ?? host,
                    EnabledSslProtocols = tls.EnabledProtocols,
                    CertificateRevocationCheckMode = tls.CheckCertificateRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
                    RemoteCertificateValidationCallback = validator.Validate,
                };
                if (tls.ClientCertificate is { } clientCertificate)
                {
                    authentication.ClientCertificates = new X509CertificateCollection { clientCertificate };
                }

                await ssl.AuthenticateAsClientAsync(authentication, timeout.Token).ConfigureAwait(false);
            }

            stage = "CONNECT";
            var cleanStart = reconnect
                ? (version == MqttProtocolVersion.V500 ? _options.SessionExpiryInterval == 0 : _options.CleanStart)
                : _options.CleanStart;
            var connect = BuildConnect(version, cleanStart);
            var output = new ArrayBufferWriter<byte>(256);
            MqttPacketEncoder.WriteConnect(output, connect);
            await stream.WriteAsync(output.WrittenMemory, timeout.Token).ConfigureAwait(false);

            stage = "CONNACK";
            receiveBuffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
            var end = 0;
            MqttFixedHeader header;
            while (MqttPacketDecoder.TryReadFixedHeader(receiveBuffer.AsSpan(0, end), _options.MaximumIncomingPacketSize, out header) != OperationStatus.Done)
            {
                if (end == receiveBuffer.Length)
                {
                    throw new MqttConnectException(MqttConnectFailure.ProtocolError, "the broker's first packet is larger than 16 KiB; that is not a CONNACK");
                }

                var read = await stream.ReadAsync(receiveBuffer.AsMemory(end), timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    throw new MqttConnectException(MqttConnectFailure.ConnectionClosed,
                        $"the broker closed the connection before answering CONNECT (MQTT {(version == MqttProtocolVersion.V500 ? "5" : "3.1.1")})" +
                        (_options.Tls is not null ? "; with TLS this often means it rejected our client certificate" : string.Empty));
                }

                end += read;
            }

            if (header.PacketType != MqttPacketType.ConnAck)
            {
                throw new MqttConnectException(MqttConnectFailure.ProtocolError, $"the broker answered CONNECT with {header.PacketType} instead of CONNACK");
            }

            var connAck = MqttPacketDecoder.DecodeConnAck(receiveBuffer.AsSpan(header.HeaderLength, header.RemainingLength), version);
            if (connAck.ReasonCode != MqttReasonCode.Success)
            {
                throw new MqttConnectException(MqttConnectFailure.Refused,
                    $"the broker refused the connection: {Describe(connAck.ReasonCode)}" +
                    (connAck.Properties?.ReasonString is { } why ? $" ({why})" : string.Empty),
                    connAck.ReasonCode);
            }

            var limits = BuildLimits(version, connAck);
            var quota = Math.Min(limits.ReceiveMaximum, _options.MaximumInFlight);
            var connection = new MqttConnection(this, socket, stream, version, limits, quota, _options.MaximumIncomingPacketSize,
                receiveBuffer, header.PacketLength, end);
            receiveBuffer = null;
            var result = new MqttConnectResult
            {
                ProtocolVersion = version,
                SessionPresent = connAck.SessionPresent,
                ClientId = connAck.Properties?.AssignedClientIdentifier ?? _clientId,
                Limits = limits,
                ReasonString = connAck.Properties?.ReasonString,
                UserProperties = connAck.Properties?.UserPropertyList?.ToArray() ?? [],
            };
            int resent, lost;
            lock (_sync)
            {
                if (_state is ClientState.Closing or ClientState.Closed)
                {
                    throw new OperationCanceledException("the client is closing");
                }

                _version = version;
                _clientId = result.ClientId;
                _connection = connection;
                (resent, lost) = ResumeSessionLocked(connection, connAck.SessionPresent);
            }

            Volatile.Write(ref _lastConnect, result);
            connection.Start();
            Emit(new MqttConnectionEvent(MqttConnectionEventKind.Connected, connAck.SessionPresent, MqttReasonCode.Success, null, resent, lost));
            success = true;
            return (connection, result);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new MqttConnectException(MqttConnectFailure.Timeout,
                $"no answer from {host}:{port} within {_options.ConnectTimeout.TotalSeconds:0.#} s while {stage}");
        }
        catch (SocketException ex)
        {
            var failure = ex.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => MqttConnectFailure.ConnectionRefused,
                SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData => MqttConnectFailure.HostNotFound,
                SocketError.TimedOut => MqttConnectFailure.Timeout,
                SocketError.ConnectionReset or SocketError.ConnectionAborted when stage == "CONNACK" => MqttConnectFailure.ConnectionClosed,
                _ => MqttConnectFailure.NetworkUnreachable,
            };
            throw new MqttConnectException(failure, $"{stage} to {host}:{port} failed: {ex.Message}", MqttReasonCode.Success, ex);
        }
        catch (AuthenticationException ex)
        {
            throw new MqttConnectException(validator?.Failure ?? MqttConnectFailure.TlsHandshakeFailed,
                $"TLS with {host}:{port} failed: {validator?.Detail ?? ex.Message}", MqttReasonCode.Success, ex);
        }
        catch (IOException ex) when (stage == "TLS handshake")
        {
            throw new MqttConnectException(validator?.Failure ?? MqttConnectFailure.TlsHandshakeFailed,
                $"TLS with {host}:{port} failed: {validator?.Detail ?? ex.Message}", MqttReasonCode.Success, ex);
        }
        catch (IOException ex)
        {
            throw new MqttConnectException(MqttConnectFailure.ConnectionClosed,
                $"the connection to {host}:{port} broke during {stage}: {ex.Message}" +
                (_options.Tls is not null ? "; with TLS this often means the broker rejected our client certificate" : string.Empty),
                MqttReasonCode.Success, ex);
        }
        catch (MqttProtocolException ex)
        {
            throw new MqttConnectException(MqttConnectFailure.ProtocolError, $"the broker's CONNACK is invalid: {ex.Message}", ex.ReasonCode, ex);
        }
        finally
        {
            if (!success)
            {
                if (stream is not null)
                {
                    await stream.DisposeAsync().ConfigureAwait(false);
                }

                socket.Dispose();
            }

            if (receiveBuffer is not null)
            {
                ArrayPool<byte>.Shared.Return(receiveBuffer);
            }
        }
    }

#pragma warning restore CA2000

    private MqttConnectPacket BuildConnect(MqttProtocolVersion version, bool cleanStart)
    {
        MqttProperties? properties = null;
        if (version == MqttProtocolVersion.V500)
        {
            properties = new MqttProperties
            {
                SessionExpiryInterval = _options.SessionExpiryInterval == 0 ? null : _options.SessionExpiryInterval,
                ReceiveMaximum = _options.ReceiveMaximum == MqttLimits.DefaultReceiveMaximum ? null : (ushort)_options.ReceiveMaximum,
                MaximumPacketSize = (uint)_options.MaximumIncomingPacketSize,
            };
        }

        var will = _options.Will;
        if (will is not null && version != MqttProtocolVersion.V500 && will.Properties is not null)
        {
            will = new MqttWillMessage { Topic = will.Topic, Payload = will.Payload, QualityOfService = will.QualityOfService, Retain = will.Retain };
        }

        return new MqttConnectPacket
        {
            ProtocolVersion = version,
            ClientId = _clientId,
            CleanStart = cleanStart,
            KeepAliveSeconds = (ushort)_options.KeepAliveSeconds,
            UserName = _options.UserName,
            Password = _options.Password,
            Will = will,
            Properties = properties,
        };
    }

    private MqttServerLimits BuildLimits(MqttProtocolVersion version, MqttConnAckPacket connAck)
    {
        if (version != MqttProtocolVersion.V500)
        {
            // MQTT 3.1.1 has no flow control; MaximumInFlight alone bounds the window.
            return new MqttServerLimits
            {
                KeepAliveSeconds = _options.KeepAliveSeconds,
                TopicAliasMaximum = 0,
                SessionExpiryInterval = _options.CleanStart ? 0 : uint.MaxValue,
            };
        }

        var p = connAck.Properties;
        return new MqttServerLimits
        {
            ReceiveMaximum = p?.ReceiveMaximum ?? MqttLimits.DefaultReceiveMaximum,
            MaximumPacketSize = p?.MaximumPacketSize ?? (long)MqttLimits.MaxPacketSize,
            TopicAliasMaximum = p?.TopicAliasMaximum ?? 0,
            MaximumQoS = (MqttQualityOfService)(p?.MaximumQoS ?? 2),
            RetainAvailable = (p?.RetainAvailable ?? 1) == 1,
            WildcardSubscriptionAvailable = (p?.WildcardSubscriptionAvailable ?? 1) == 1,
            SubscriptionIdentifiersAvailable = (p?.SubscriptionIdentifierAvailable ?? 1) == 1,
            SharedSubscriptionAvailable = (p?.SharedSubscriptionAvailable ?? 1) == 1,
            KeepAliveSeconds = p?.ServerKeepAlive ?? _options.KeepAliveSeconds,
            SessionExpiryInterval = p?.SessionExpiryInterval ?? _options.SessionExpiryInterval,
        };
    }

    /// <summary>Plain words for a CONNACK refusal.</summary>
    internal static string Describe(MqttReasonCode reasonCode) => reasonCode switch
    {
        MqttReasonCode.BadUserNameOrPassword => "bad user name or password (0x86)",
        MqttReasonCode.NotAuthorized => "not authorized (0x87): the user name, password or certificate is not accepted",
        MqttReasonCode.UnsupportedProtocolVersion => "unsupported protocol version (0x84)",
        MqttReasonCode.ClientIdentifierNotValid => "client identifier not valid (0x85)",
        MqttReasonCode.ServerUnavailable => "server unavailable (0x88)",
        MqttReasonCode.ServerBusy => "server busy (0x89)",
        MqttReasonCode.Banned => "banned (0x8A)",
        _ => $"{reasonCode} (0x{(byte)reasonCode:X2})",
    };
}
