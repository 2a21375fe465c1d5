using System.Buffers;
using System.Runtime.InteropServices;
using System.Text;
using MQTTnet;
using MQTTnet.Exceptions;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Ingest.Pipeline.Publishing.Mqtt;

internal sealed partial class MqttPublisher
{
    /// <summary>
    /// Publishes one QoS 1 message and returns what became of it; only <see cref="PublishOutcome.Accepted"/> means the
    /// broker acknowledged it. Never throws for network, broker or protocol-version conditions: they come back as a
    /// result (the caller publishes again whatever is not accepted). Throws <see cref="ArgumentException"/> for a topic
    /// that is not a valid topic name (a bug in the caller).
    /// </summary>
    /// <param name="topic">Topic name (no wildcards).</param>
    /// <param name="payload">Payload; must not change until the result is available (MQTTnet sends it without copying).</param>
    /// <param name="properties">MQTT 5 properties; under MQTT 3.1.1 they are dropped on purpose (the batch identity also lives in the Arrow schema metadata).</param>
    /// <param name="retain">Retain flag (the hub's status).</param>
    /// <param name="cancellationToken">Gives up waiting (window slot or PUBACK) with <see cref="PublishOutcome.Canceled"/>; the publish timeout applies too.</param>
    public async ValueTask<PublishResult> PublishAsync(string topic, ReadOnlyMemory<byte> payload, MqttPublishProperties? properties = null, bool retain = false,
        CancellationToken cancellationToken = default)
    {
        var topicBytes = ValidateTopic(topic);
        var connection = Volatile.Read(ref _connection);
        if (connection is null || !_client.IsConnected)
        {
            return new PublishResult(PublishOutcome.NotConnected, PublishReasonCode.Success, "not connected to the broker; publish again after reconnecting");
        }

        var withProperties = connection.ProtocolVersion == MqttProtocolVersion.V500 ? properties : null;
        if (Refuse(connection.Limits, topicBytes, payload.Length, withProperties, retain) is { } refused)
        {
            return refused;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.PublishTimeout);
        try
        {
            await _window.AcquireAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return GaveUp("waiting for a free slot in the in-flight window", cancellationToken);
        }

        try
        {
            var message = new MqttApplicationMessage
            {
                Topic = topic,
                Payload = new ReadOnlySequence<byte>(payload),
                QualityOfServiceLevel = MqttQualityOfServiceLevel.AtLeastOnce,
                Retain = retain,
            };
            if (withProperties is not null)
            {
                ApplyProperties(message, withProperties);
            }

            var result = await _client.PublishAsync(message, timeout.Token).ConfigureAwait(false);
            var code = (PublishReasonCode)(byte)result.ReasonCode;
            return new PublishResult((byte)code < 0x80 ? PublishOutcome.Accepted : PublishOutcome.Rejected, code, result.ReasonString);
        }
        catch (Exception ex) when (timeout.IsCancellationRequested && ex is OperationCanceledException or MqttCommunicationException)
        {
            // MQTTnet reports a canceled wait for the PUBACK as MqttCommunicationTimedOutException or OperationCanceledException.
            return GaveUp("waiting for the PUBACK", cancellationToken);
        }
        catch (MqttClientNotConnectedException)
        {
            return new PublishResult(PublishOutcome.NotConnected, PublishReasonCode.Success, "not connected to the broker; publish again after reconnecting");
        }
        catch (Exception ex) when (ex is MqttCommunicationException or IOException or ObjectDisposedException)
        {
            return new PublishResult(PublishOutcome.ConnectionLost, PublishReasonCode.Success, "the connection was lost before the PUBACK arrived: " + ex.Message);
        }
        catch (NotSupportedException ex)
        {
            // Should not happen (3.1.1 properties are stripped above), but a feature MQTTnet refuses must come back as a result, never escape.
            return new PublishResult(PublishOutcome.RefusedByServerLimits, PublishReasonCode.ImplementationSpecificError, "MQTTnet refused to send it: " + ex.Message);
        }
        finally
        {
            _window.Release();
        }
    }

    private PublishResult GaveUp(string activity, CancellationToken callerToken) => callerToken.IsCancellationRequested
        ? new PublishResult(PublishOutcome.Canceled, PublishReasonCode.Success, "canceled by the caller while " + activity)
        : new PublishResult(PublishOutcome.TimedOut, PublishReasonCode.Success, $"no PUBACK within {_options.PublishTimeout.TotalSeconds:0.###} s while {activity}");

    private static int ValidateTopic(string topic)
    {
        ArgumentException.ThrowIfNullOrEmpty(topic);
        if (topic.AsSpan().IndexOfAny('+', '#') >= 0)
        {
            throw new ArgumentException($"'{topic}' contains a wildcard (+ or #); a topic name to publish on may not [MQTT-3.3.2-2]", nameof(topic));
        }

        var bytes = Encoding.UTF8.GetByteCount(topic);
        return bytes <= MqttPublisherOptions.MaximumTopicBytes
            ? bytes
            : throw new ArgumentException($"topic is {bytes} UTF-8 bytes long; at most {MqttPublisherOptions.MaximumTopicBytes}", nameof(topic));
    }

    /// <summary>What the server said it cannot take, refused before anything is sent (sending it would cost us the connection) [MQTT-3.1.2-24, 3.2.2.3.4, 3.2.2.3.5].</summary>
    private static PublishResult? Refuse(MqttServerLimits limits, int topicBytes, int payloadBytes, MqttPublishProperties? properties, bool retain)
    {
        if (limits.MaximumQoS == MqttQualityOfServiceLevel.AtMostOnce)
        {
            return new PublishResult(PublishOutcome.RefusedByServerLimits, PublishReasonCode.QoSNotSupported,
                "the broker accepts QoS 0 only (Maximum QoS 0), and batches need QoS 1 to be acknowledged");
        }

        if (retain && !limits.RetainAvailable)
        {
            return new PublishResult(PublishOutcome.RefusedByServerLimits, PublishReasonCode.RetainNotSupported, "the broker does not accept retained messages (Retain Available 0)");
        }

        var packetSize = PublishPacketSize(topicBytes, payloadBytes, properties);
        return packetSize > limits.MaximumPacketSize
            ? new PublishResult(PublishOutcome.RefusedByServerLimits, PublishReasonCode.PacketTooLarge,
                $"the PUBLISH would be {packetSize:N0} bytes; the broker's Maximum Packet Size is {limits.MaximumPacketSize:N0} bytes")
            : null;
    }

    /// <summary>Size of the PUBLISH packet MQTTnet will write for these fields (QoS 1, no topic alias) [MQTT 5 §3.3].</summary>
    internal static long PublishPacketSize(int topicBytes, int payloadBytes, MqttPublishProperties? properties)
    {
        long propertyBytes = 0;
        if (properties is not null)
        {
            // Each property: 1 byte identifier + value (UTF-8 string and binary data: 2-byte length prefix) [§2.2.2.2].
            propertyBytes += properties.ContentType is { } contentType ? 3 + Encoding.UTF8.GetByteCount(contentType) : 0;
            propertyBytes += properties.ResponseTopic is { } responseTopic ? 3 + Encoding.UTF8.GetByteCount(responseTopic) : 0;
            propertyBytes += properties.CorrelationData is { } correlation ? 3 + correlation.Length : 0;
            propertyBytes += properties.MessageExpirySeconds > 0 ? 5 : 0;
            foreach (var (name, value) in properties.UserProperties)
            {
                propertyBytes += 5 + Encoding.UTF8.GetByteCount(name) + Encoding.UTF8.GetByteCount(value);
            }
        }

        // Variable header: topic (2 + n), packet identifier (2), property length (variable byte integer) + properties (MQTT 5 only).
        var remaining = checked(2L + topicBytes + 2 + (properties is null ? 0 : VariableByteIntegerSize(propertyBytes) + propertyBytes) + payloadBytes);
        return 1 + VariableByteIntegerSize(remaining) + remaining;
    }

    private static int VariableByteIntegerSize(long value) => value switch
    {
        < 128 => 1,
        < 16_384 => 2,
        < 2_097_152 => 3,
        _ => 4,
    };

    private static void ApplyProperties(MqttApplicationMessage message, MqttPublishProperties properties)
    {
        message.ContentType = properties.ContentType;
        message.ResponseTopic = properties.ResponseTopic;
        if (properties.CorrelationData is { } correlation)
        {
            // MQTTnet takes a byte[]: reuse the caller's array when the memory is exactly one, copy otherwise.
            message.CorrelationData = MemoryMarshal.TryGetArray(correlation, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
                ? segment.Array
                : correlation.ToArray();
        }

        if (properties.MessageExpirySeconds > 0)
        {
            message.MessageExpiryInterval = properties.MessageExpirySeconds;
        }

        if (properties.UserProperties.Count > 0)
        {
            var list = new List<MqttUserProperty>(properties.UserProperties.Count);
            foreach (var (name, value) in properties.UserProperties)
            {
                list.Add(new MqttUserProperty(name, Encoding.UTF8.GetBytes(value).AsMemory()));
            }

            message.UserProperties = list;
        }
    }
}
