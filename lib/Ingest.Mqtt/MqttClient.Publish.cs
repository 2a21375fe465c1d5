using Ingest.Mqtt.Internal;
using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt;

public sealed partial class MqttClient
{
    private const int TlsRecordSize = 16 * 1024;

    /// <summary>Publishes <paramref name="message"/>; see <see cref="PublishAsync(string, ReadOnlyMemory{byte}, MqttQualityOfService, bool, MqttProperties?, CancellationToken)"/>.</summary>
    public ValueTask<PublishResult> PublishAsync(MqttApplicationMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return PublishAsync(message.Topic, message.Payload, message.QualityOfService, message.Retain, message.Properties, cancellationToken);
    }

    /// <summary>
    /// Publishes one message and completes when its flow ends: PUBACK (QoS 1), PUBCOMP (QoS 2), or written to the
    /// network (QoS 0). Many publishes may be outstanding at once; the client keeps at most the server's Receive Maximum
    /// in flight and queues the rest in call order. Never throws for a server-side failure: the result says what happened.
    /// </summary>
    /// <param name="topic">Topic Name (no wildcards).</param>
    /// <param name="payload">Payload; must not change until the result is available.</param>
    /// <param name="qualityOfService">QoS 0, 1 or 2.</param>
    /// <param name="retain">RETAIN flag.</param>
    /// <param name="properties">PUBLISH properties (content type, user properties, …); ignored in MQTT 3.1.1. Must not change until the result is available. Topic Alias is managed by the client.</param>
    /// <param name="cancellationToken">Cancels only while the publish is still queued (not yet sent).</param>
    public ValueTask<PublishResult> PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttQualityOfService qualityOfService = MqttQualityOfService.AtLeastOnce,
        bool retain = false, MqttProperties? properties = null, CancellationToken cancellationToken = default)
    {
        ValidateTopic(topic);
        if (qualityOfService > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(qualityOfService), qualityOfService, "QoS must be 0, 1 or 2");
        }

        if (properties?.TopicAlias is not null)
        {
            throw new ArgumentException("Topic Alias is assigned by the client per connection; leave it unset", nameof(properties));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<PublishResult>(cancellationToken);
        }

        var op = RentOperation();
        op.Topic = topic;
        op.Payload = payload;
        op.QualityOfService = qualityOfService;
        op.Retain = retain;
        op.Properties = properties;
        op.State = PublishState.Queued;
        var version = op.Version;
        lock (_sync)
        {
            switch (_state)
            {
                case ClientState.Created:
                case ClientState.Connecting when _connection is null:
                    ReturnOperation(op);
                    throw new InvalidOperationException("connect before publishing");
                case ClientState.Closing:
                case ClientState.Closed:
                    op.Complete(new PublishResult(MqttPublishOutcome.Aborted, MqttReasonCode.UnspecifiedError, 0, "the client is disconnected"));
                    return new ValueTask<PublishResult>(op, version);
            }

            if (_connection is { Closing: false } connection && _queued.Count == 0 && _resendCursor is null &&
                (qualityOfService == MqttQualityOfService.AtMostOnce || connection.InFlight < connection.Quota))
            {
                SendNewLocked(connection, op);
            }
            else
            {
                _queued.Enqueue(op);
                if (cancellationToken.CanBeCanceled)
                {
                    op.Registration = cancellationToken.UnsafeRegister(s_cancelQueued, op);
                }
            }
        }

        return new ValueTask<PublishResult>(op, version);
    }

    private static readonly Action<object?, CancellationToken> s_cancelQueued = static (state, token) =>
    {
        var op = (PublishOperation)state!;
        op.Owner.CancelQueued(op, token);
    };

    private void CancelQueued(PublishOperation op, CancellationToken token)
    {
        lock (_sync)
        {
            if (op.State != PublishState.Queued)
            {
                return;
            }

            // It stays in the queue (Queue<T> cannot remove from the middle); Pump skips it, so it must never be pooled.
            op.State = PublishState.Canceled;
            op.DoNotPool = true;
        }

        op.Fail(new OperationCanceledException(token));
    }

    private static void ValidateTopic(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw new ArgumentException("a Topic Name must not contain wildcards (MQTT 5 §4.7.1)", nameof(topic));
        }
    }

    /// <summary>Client lock: sends a publish that has no packet id yet (or completes it as Refused).</summary>
    private void SendNewLocked(MqttConnection connection, PublishOperation op)
    {
        if (!TryEncodePublishLocked(connection, op, duplicate: false, assignId: true))
        {
            return;
        }

        connection.ScheduleFlushLocked();
    }

    /// <summary>
    /// Client lock: checks the publish against the server's limits, assigns id and alias, and encodes it into the
    /// pending batch. Returns false (and completes the op as Refused) when the server cannot accept it.
    /// </summary>
    private bool TryEncodePublishLocked(MqttConnection connection, PublishOperation op, bool duplicate, bool assignId)
    {
        var limits = connection.Limits;
        var version = connection.Version;
        if (op.QualityOfService > limits.MaximumQoS)
        {
            RefuseLocked(op, MqttReasonCode.QoSNotSupported, $"the broker supports QoS up to {(int)limits.MaximumQoS}; this publish asked for QoS {(int)op.QualityOfService}");
            return false;
        }

        if (op.Retain && !limits.RetainAvailable)
        {
            RefuseLocked(op, MqttReasonCode.RetainNotSupported, "the broker does not support retained messages");
            return false;
        }

        // Topic Alias (MQTT 5 §3.3.2.3.4): the first use on a connection carries topic + alias, later ones the alias only.
        var topic = op.Topic;
        ushort alias = 0;
        var newAlias = false;
        if (version == MqttProtocolVersion.V500 && limits.TopicAliasMaximum > 0 && _options.UseTopicAliases)
        {
            connection.Aliases ??= new Dictionary<string, ushort>(StringComparer.Ordinal);
            if (connection.Aliases.TryGetValue(topic, out alias))
            {
                topic = string.Empty;
            }
            else if (connection.NextAlias <= limits.TopicAliasMaximum)
            {
                alias = (ushort)connection.NextAlias;
                newAlias = true;
            }
        }

        var properties = version == MqttProtocolVersion.V500 ? op.Properties : null;
        var size = MqttPacketEncoder.MeasurePublish(version, topic, op.QualityOfService, properties, alias, op.Payload.Length, out var headerLength,
            out var remainingLength);
        if (size > limits.MaximumPacketSize)
        {
            RefuseLocked(op, MqttReasonCode.PacketTooLarge,
                $"the PUBLISH would be {size} bytes but the broker accepts at most {limits.MaximumPacketSize} (Maximum Packet Size); split the payload");
            return false;
        }

        if (newAlias)
        {
            connection.Aliases!.Add(op.Topic, alias);
            connection.NextAlias++;
        }

        if (op.QualityOfService != MqttQualityOfService.AtMostOnce)
        {
            if (assignId)
            {
                op.PacketId = AllocatePacketIdLocked(op);
                AppendInFlightLocked(op);
            }

            op.State = op.QualityOfService == MqttQualityOfService.AtLeastOnce ? PublishState.AwaitingPubAck : PublishState.AwaitingPubRec;
            op.HoldsQuota = true;
            connection.InFlight++;
        }
        else
        {
            op.State = PublishState.AwaitingWrite;
            connection.Pending.CompleteAfterWrite.Add(op);
        }

        op.SentOn = connection;
        var pending = connection.Pending;
        MqttPacketEncoder.WritePublishHeaderMeasured(pending, version, topic, op.QualityOfService, op.Retain, duplicate, op.PacketId, properties, alias,
            headerLength, remainingLength);
        // Over TLS each segment becomes its own record, so only payloads of a full record (16 KiB) or more are worth borrowing.
        if (op.Payload.Length >= (connection.SupportsGatheredWrites ? _options.ZeroCopyPayloadThreshold : Math.Max(_options.ZeroCopyPayloadThreshold, TlsRecordSize)))
        {
            pending.AppendExternal(op.Payload);
        }
        else
        {
            op.Payload.Span.CopyTo(pending.GetSpan(op.Payload.Length));
            pending.Advance(op.Payload.Length);
        }

        return true;
    }

    private void RefuseLocked(PublishOperation op, MqttReasonCode reason, string explanation)
    {
        if (op.PacketId != 0)
        {
            RemoveInFlightLocked(op);
        }

        op.Complete(new PublishResult(MqttPublishOutcome.Refused, reason, 0, explanation));
    }

    /// <summary>
    /// Client lock: sends what the quota allows — first resends from a resumed session (in original order), then queued
    /// new publishes (in call order).
    /// </summary>
    private void PumpLocked(MqttConnection connection)
    {
        if (connection.Closing)
        {
            return;
        }

        var wrote = false;
        while (_resendCursor is { } op)
        {
            if (op.State == PublishState.AwaitingPubComp)
            {
                // MQTT 5 §4.4: after PUBREC, resend PUBREL rather than PUBLISH; PUBREL does not use send quota.
                MqttPacketEncoder.WriteAck(connection.Pending, MqttPacketType.PubRel, op.PacketId, MqttReasonCode.Success, null, connection.Version);
                op.SentOn = connection;
                _resendCursor = op.Next;
                wrote = true;
                continue;
            }

            if (connection.InFlight >= connection.Quota)
            {
                break;
            }

            _resendCursor = op.Next;
            if (TryEncodePublishLocked(connection, op, duplicate: true, assignId: false))
            {
                wrote = true;
            }
        }

        if (_resendCursor is null)
        {
            while (_queued.TryPeek(out var next))
            {
                if (next.State == PublishState.Canceled)
                {
                    _queued.Dequeue();
                    continue;
                }

                if (next.QualityOfService != MqttQualityOfService.AtMostOnce && connection.InFlight >= connection.Quota)
                {
                    break;
                }

                _queued.Dequeue();
                if (TryEncodePublishLocked(connection, next, duplicate: false, assignId: true))
                {
                    wrote = true;
                }
            }
        }

        if (wrote)
        {
            connection.ScheduleFlushLocked();
        }
    }

    /// <summary>Writer loop: the batch is on the wire; QoS 0 publishes in it are done.</summary>
    internal static void OnBatchWritten(OutputBatch batch)
    {
        var completed = batch.CompleteAfterWrite;
        for (var i = 0; i < completed.Count; i++)
        {
            completed[i].Complete(new PublishResult(MqttPublishOutcome.Accepted, MqttReasonCode.Success, 0, null));
        }
    }

    /// <summary>Writer loop exit: QoS 0 publishes that never reached the wire are aborted (at most once).</summary>
    internal void OnWriterStopped(MqttConnection connection, OutputBatch pending, OutputBatch flushing)
    {
        lock (_sync)
        {
            foreach (var batch in new[] { pending, flushing })
            {
                foreach (var op in batch.CompleteAfterWrite)
                {
                    op.Complete(new PublishResult(MqttPublishOutcome.Aborted, MqttReasonCode.UnspecifiedError, 0, "the connection was lost before the QoS 0 publish was written"));
                }

                batch.Reset();
                batch.Dispose();
            }
        }

        _ = connection;
    }

    internal void SendPingIfIdle(MqttConnection connection)
    {
        lock (_sync)
        {
            if (connection.Closing || connection.PingOutstanding)
            {
                return;
            }

            connection.PingOutstanding = true;
            MqttPacketEncoder.WritePingReq(connection.Pending);
            connection.ScheduleFlushLocked();
        }
    }

    private ushort AllocatePacketIdLocked(object owner)
    {
        if (_packetIdsInUse >= MqttLimits.MaxPacketIdentifier)
        {
            throw new InvalidOperationException("all 65,535 packet identifiers are in use");
        }

        while (true)
        {
            var id = _nextPacketId;
            _nextPacketId = id == MqttLimits.MaxPacketIdentifier ? 1 : id + 1;
            if (_packetIds[id] is null)
            {
                _packetIds[id] = owner;
                _packetIdsInUse++;
                return (ushort)id;
            }
        }
    }

    private void FreePacketIdLocked(ushort id)
    {
        if (_packetIds[id] is not null)
        {
            _packetIds[id] = null;
            _packetIdsInUse--;
        }
    }

    private void AppendInFlightLocked(PublishOperation op)
    {
        op.Previous = _inflightTail;
        op.Next = null;
        if (_inflightTail is null)
        {
            _inflightHead = op;
        }
        else
        {
            _inflightTail.Next = op;
        }

        _inflightTail = op;
    }

    private void RemoveInFlightLocked(PublishOperation op)
    {
        if (_resendCursor == op)
        {
            _resendCursor = op.Next;
        }

        if (op.Previous is null)
        {
            _inflightHead = op.Next;
        }
        else
        {
            op.Previous.Next = op.Next;
        }

        if (op.Next is null)
        {
            _inflightTail = op.Previous;
        }
        else
        {
            op.Next.Previous = op.Previous;
        }

        op.Previous = op.Next = null;
        FreePacketIdLocked(op.PacketId);
    }
}
