using System.Buffers;

namespace Ingest.Mqtt.Protocol;

/// <summary>
/// Encodes MQTT packets into an <see cref="IBufferWriter{T}"/>. Pure: no I/O, no per-packet allocation.
/// </summary>
/// <remarks>
/// Each packet is measured first and then written into one span of exactly its size. MQTT requires the minimal
/// Variable Byte Integer encoding [MQTT-1.5.5-1], so a back-patched length would need a reserved 4-byte hole and
/// a shift; measuring the (small) header instead costs a second walk over the properties and copies nothing.
/// A PUBLISH payload is never copied by <see cref="WritePublishHeader"/>: it is the caller's separate segment.
/// </remarks>
public static class MqttPacketEncoder
{
    /// <summary>Encodes any packet; returns the number of bytes written.</summary>
    public static int Encode(IBufferWriter<byte> output, MqttPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        return packet switch
        {
            MqttPublishPacket p => WritePublish(output, p, version),
            MqttAckPacket a => WriteAck(output, a.PacketType, a.PacketId, a.ReasonCode, a.Properties, version),
            MqttConnectPacket c => WriteConnect(output, c),
            MqttConnAckPacket c => WriteConnAck(output, c, version),
            MqttSubscribePacket s => WriteSubscribe(output, s, version),
            MqttSubAckPacket s => WriteSubAck(output, s, version),
            MqttUnsubscribePacket u => WriteUnsubscribe(output, u, version),
            MqttUnsubAckPacket u => WriteUnsubAck(output, u, version),
            MqttPingReqPacket => WriteEmpty(output, 0xC0),
            MqttPingRespPacket => WriteEmpty(output, 0xD0),
            MqttDisconnectPacket d => WriteDisconnect(output, d.ReasonCode, d.Properties, version),
            MqttAuthPacket a => WriteAuth(output, a, version),
            _ => throw new ArgumentException("unknown packet class " + packet.GetType().Name, nameof(packet)),
        };
    }

    /// <summary>Encodes PUBLISH header and payload (the payload is copied; the client uses <see cref="WritePublishHeader"/>).</summary>
    public static int WritePublish(IBufferWriter<byte> output, MqttPublishPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        var header = WritePublishHeader(output, version, packet.Topic, packet.QualityOfService, packet.Retain, packet.Duplicate,
            packet.PacketId, packet.Properties, 0, packet.Payload.Length);
        output.Write(packet.Payload.Span);
        return header + packet.Payload.Length;
    }

    /// <summary>
    /// Size of a whole PUBLISH packet (fixed header included), to check the server's Maximum Packet Size before
    /// anything is sent (MQTT 5 §3.2.2.3.6). Also validates the arguments the same way the writer does.
    /// </summary>
    public static long MeasurePublish(MqttProtocolVersion version, string topic, MqttQualityOfService qos, MqttProperties? properties,
        ushort topicAlias, long payloadLength, out int headerLength, out int remainingLength)
    {
        ArgumentNullException.ThrowIfNull(topic);
        if (qos > MqttQualityOfService.ExactlyOnce)
        {
            throw new ArgumentOutOfRangeException(nameof(qos), qos, "QoS must be 0, 1 or 2");
        }

        long remaining = MqttWireWriter.MeasureString(topic, "topic");
        if (qos != MqttQualityOfService.AtMostOnce)
        {
            remaining += 2;
        }

        if (version == MqttProtocolVersion.V500)
        {
            var propertyLength = MqttPropertyCodec.Measure(properties, MqttPropertyContext.Publish, topicAlias);
            remaining += MqttVariableByteInteger.GetLength(propertyLength) + propertyLength;
        }

        remaining = checked(remaining + payloadLength);
        if (remaining > MqttLimits.MaxRemainingLength)
        {
            headerLength = 0;
            remainingLength = -1;
            return long.MaxValue;
        }

        remainingLength = (int)remaining;
        var fixedHeader = 1 + MqttVariableByteInteger.GetLength(remainingLength);
        headerLength = (int)(fixedHeader + remaining - payloadLength);
        return fixedHeader + remaining;
    }

    /// <summary>
    /// Writes the PUBLISH fixed header, topic, packet id and properties (everything but the payload, which the
    /// caller writes next as its own segment). Returns the header bytes written.
    /// </summary>
    /// <param name="output">Destination.</param>
    /// <param name="version">Protocol version (3.1.1 has no properties).</param>
    /// <param name="topic">Topic Name, or empty when <paramref name="topicAlias"/> is already mapped.</param>
    /// <param name="qos">QoS.</param>
    /// <param name="retain">RETAIN flag.</param>
    /// <param name="duplicate">DUP flag (only for QoS &gt; 0).</param>
    /// <param name="packetId">Packet Identifier (non-zero for QoS &gt; 0).</param>
    /// <param name="properties">Properties or null.</param>
    /// <param name="topicAlias">Topic Alias for this connection, or 0.</param>
    /// <param name="payloadLength">Bytes of payload the caller writes after the header.</param>
    public static int WritePublishHeader(IBufferWriter<byte> output, MqttProtocolVersion version, string topic, MqttQualityOfService qos,
        bool retain, bool duplicate, ushort packetId, MqttProperties? properties, ushort topicAlias, int payloadLength)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (qos == MqttQualityOfService.AtMostOnce ? packetId != 0 || duplicate : packetId == 0)
        {
            throw new ArgumentException("QoS 0 has no packet id and no DUP; QoS 1/2 need a non-zero packet id (MQTT 5 §2.2.1, §3.3.1.1)", nameof(packetId));
        }

        var total = MeasurePublish(version, topic, qos, properties, topicAlias, payloadLength, out var headerLength, out var remainingLength);
        if (remainingLength < 0)
        {
            throw new ArgumentException($"PUBLISH of {payloadLength} payload bytes exceeds the MQTT maximum packet size", nameof(payloadLength));
        }

        _ = total;
        var span = output.GetSpan(headerLength);
        var writer = new MqttWireWriter(span);
        writer.WriteByte((byte)(0x30 | (duplicate ? 0x08 : 0) | ((int)qos << 1) | (retain ? 1 : 0)));
        writer.WriteVariableByteInteger(remainingLength);
        writer.WriteString(topic);
        if (qos != MqttQualityOfService.AtMostOnce)
        {
            writer.WriteUInt16(packetId);
        }

        if (version == MqttProtocolVersion.V500)
        {
            writer.WriteVariableByteInteger(MqttPropertyCodec.Measure(properties, MqttPropertyContext.Publish, topicAlias));
            MqttPropertyCodec.Write(ref writer, properties, topicAlias);
        }

        output.Advance(writer.Position);
        return writer.Position;
    }

    /// <summary>
    /// Writes PUBACK, PUBREC, PUBREL or PUBCOMP using the shortest form MQTT 5 §3.4.2.1 allows (Remaining Length 2
    /// for Success without properties, 3 for a reason without properties).
    /// </summary>
    public static int WriteAck(IBufferWriter<byte> output, MqttPacketType type, ushort packetId, MqttReasonCode reasonCode,
        MqttProperties? properties, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        var first = type switch
        {
            MqttPacketType.PubAck => (byte)0x40,
            MqttPacketType.PubRec => (byte)0x50,
            MqttPacketType.PubRel => (byte)0x62,
            MqttPacketType.PubComp => (byte)0x70,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a publish acknowledgement type"),
        };
        var propertyLength = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Measure(properties, MqttPropertyContext.Ack) : 0;
        int remaining;
        if (version != MqttProtocolVersion.V500 || (reasonCode == MqttReasonCode.Success && propertyLength == 0))
        {
            remaining = 2;
        }
        else if (propertyLength == 0)
        {
            remaining = 3;
        }
        else
        {
            remaining = checked(3 + MqttVariableByteInteger.GetLength(propertyLength) + propertyLength);
        }

        var size = 1 + MqttVariableByteInteger.GetLength(remaining) + remaining;
        var writer = new MqttWireWriter(output.GetSpan(size));
        writer.WriteByte(first);
        writer.WriteVariableByteInteger(remaining);
        writer.WriteUInt16(packetId);
        if (remaining > 2)
        {
            writer.WriteByte((byte)reasonCode);
        }

        if (remaining > 3)
        {
            writer.WriteVariableByteInteger(propertyLength);
            MqttPropertyCodec.Write(ref writer, properties);
        }

        output.Advance(size);
        return size;
    }

    /// <summary>Writes CONNECT (MQTT 5 §3.1 or MQTT 3.1.1 §3.1, by <see cref="MqttConnectPacket.ProtocolVersion"/>).</summary>
    public static int WriteConnect(IBufferWriter<byte> output, MqttConnectPacket packet)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        var v5 = packet.ProtocolVersion == MqttProtocolVersion.V500;
        if (!v5 && packet.ProtocolVersion != MqttProtocolVersion.V311)
        {
            throw new ArgumentException("only MQTT 5 and 3.1.1 are supported", nameof(packet));
        }

        var will = packet.Will;
        int propertyLength = 0, willPropertyLength = 0;
        long remaining = 6 + 1 + 1 + 2; // "MQTT" name, level, flags, keep alive
        checked
        {
            if (v5)
            {
                propertyLength = MqttPropertyCodec.Measure(packet.Properties, MqttPropertyContext.Connect);
                remaining += MqttVariableByteInteger.GetLength(propertyLength) + propertyLength;
            }

            remaining += MqttWireWriter.MeasureString(packet.ClientId, nameof(packet.ClientId));
            if (will is not null)
            {
                if (will.QualityOfService > MqttQualityOfService.ExactlyOnce)
                {
                    throw new ArgumentException("Will QoS must be 0, 1 or 2", nameof(packet));
                }

                if (v5)
                {
                    willPropertyLength = MqttPropertyCodec.Measure(will.Properties, MqttPropertyContext.Will);
                    remaining += MqttVariableByteInteger.GetLength(willPropertyLength) + willPropertyLength;
                }

                remaining += MqttWireWriter.MeasureString(will.Topic, "Will topic");
                remaining += MqttWireWriter.MeasureBinary(will.Payload.Length, "Will payload");
            }

            if (packet.UserName is { } userName)
            {
                remaining += MqttWireWriter.MeasureString(userName, nameof(packet.UserName));
            }

            if (packet.Password is { } password)
            {
                remaining += MqttWireWriter.MeasureBinary(password.Length, nameof(packet.Password));
            }
        }

        var flags = (byte)((packet.UserName is not null ? 0x80 : 0) | (packet.Password is not null ? 0x40 : 0) |
            (will is { Retain: true } ? 0x20 : 0) | ((int)(will?.QualityOfService ?? 0) << 3) | (will is not null ? 0x04 : 0) |
            (packet.CleanStart ? 0x02 : 0));
        var size = 1 + MqttVariableByteInteger.GetLength((int)remaining) + (int)remaining;
        var writer = new MqttWireWriter(output.GetSpan(size));
        writer.WriteByte(0x10);
        writer.WriteVariableByteInteger((int)remaining);
        writer.WriteString("MQTT");
        writer.WriteByte((byte)packet.ProtocolVersion);
        writer.WriteByte(flags);
        writer.WriteUInt16(packet.KeepAliveSeconds);
        if (v5)
        {
            writer.WriteVariableByteInteger(propertyLength);
            MqttPropertyCodec.Write(ref writer, packet.Properties);
        }

        writer.WriteString(packet.ClientId);
        if (will is not null)
        {
            if (v5)
            {
                writer.WriteVariableByteInteger(willPropertyLength);
                MqttPropertyCodec.Write(ref writer, will.Properties);
            }

            writer.WriteString(will.Topic);
            writer.WriteBinary(will.Payload.Span);
        }

        if (packet.UserName is { } name)
        {
            writer.WriteString(name);
        }

        if (packet.Password is { } secret)
        {
            writer.WriteBinary(secret.Span);
        }

        output.Advance(size);
        return size;
    }

    /// <summary>Writes CONNACK (used by tests and fake brokers).</summary>
    public static int WriteConnAck(IBufferWriter<byte> output, MqttConnAckPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        var v5 = version == MqttProtocolVersion.V500 && !packet.IsVersion311Form;
        var propertyLength = v5 ? MqttPropertyCodec.Measure(packet.Properties, MqttPropertyContext.ConnAck) : 0;
        var remaining = v5 ? checked(2 + MqttVariableByteInteger.GetLength(propertyLength) + propertyLength) : 2;
        var size = 1 + MqttVariableByteInteger.GetLength(remaining) + remaining;
        var writer = new MqttWireWriter(output.GetSpan(size));
        writer.WriteByte(0x20);
        writer.WriteVariableByteInteger(remaining);
        writer.WriteByte(packet.SessionPresent ? (byte)1 : (byte)0);
        writer.WriteByte(v5 ? (byte)packet.ReasonCode : packet.RawReasonCode);
        if (v5)
        {
            writer.WriteVariableByteInteger(propertyLength);
            MqttPropertyCodec.Write(ref writer, packet.Properties);
        }

        output.Advance(size);
        return size;
    }

    /// <summary>Writes SUBSCRIBE (flags 0010; MQTT 3.1.1 has a bare QoS byte instead of the options byte).</summary>
    public static int WriteSubscribe(IBufferWriter<byte> output, MqttSubscribePacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.Subscriptions.Count == 0 || packet.PacketId == 0)
        {
            throw new ArgumentException("SUBSCRIBE needs a packet id and at least one topic filter (MQTT 5 §3.8.3)", nameof(packet));
        }

        var v5 = version == MqttProtocolVersion.V500;
        var propertyLength = v5 ? MqttPropertyCodec.Measure(packet.Properties, MqttPropertyContext.Subscribe) : 0;
        long remaining = 2 + (v5 ? MqttVariableByteInteger.GetLength(propertyLength) + propertyLength : 0);
        foreach (var subscription in packet.Subscriptions)
        {
            remaining = checked(remaining + MqttWireWriter.MeasureString(subscription.TopicFilter, nameof(subscription.TopicFilter)) + 1);
        }

        var size = WriteFixed(output, 0x82, remaining, out var writer);
        writer.WriteUInt16(packet.PacketId);
        if (v5)
        {
            writer.WriteVariableByteInteger(propertyLength);
            MqttPropertyCodec.Write(ref writer, packet.Properties);
        }

        foreach (var subscription in packet.Subscriptions)
        {
            writer.WriteString(subscription.TopicFilter);
            var options = (int)subscription.MaximumQoS;
            if (v5)
            {
                options |= (subscription.NoLocal ? 0x04 : 0) | (subscription.RetainAsPublished ? 0x08 : 0) | ((int)subscription.RetainHandling << 4);
            }

            writer.WriteByte((byte)options);
        }

        output.Advance(size);
        return size;
    }

    /// <summary>Writes SUBACK (used by tests and fake brokers).</summary>
    public static int WriteSubAck(IBufferWriter<byte> output, MqttSubAckPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        var v5 = version == MqttProtocolVersion.V500;
        var propertyLength = v5 ? MqttPropertyCodec.Measure(packet.Properties, MqttPropertyContext.SubAck) : 0;
        long remaining = 2 + (v5 ? MqttVariableByteInteger.GetLength(propertyLength) + propertyLength : 0) + packet.ReasonCodes.Count;
        var size = WriteFixed(output, 0x90, remaining, out var writer);
        writer.WriteUInt16(packet.PacketId);
        if (v5)
        {
            writer.WriteVariableByteInteger(propertyLength);
            MqttPropertyCodec.Write(ref writer, packet.Properties);
        }

        foreach (var code in packet.ReasonCodes)
        {
            writer.WriteByte((byte)code);
        }

        output.Advance(size);
        return size;
    }

    /// <summary>Writes UNSUBSCRIBE (flags 0010).</summary>
    public static int WriteUnsubscribe(IBufferWriter<byte> output, MqttUnsubscribePacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        if (packet.TopicFilters.Count == 0 || packet.PacketId == 0)
        {
            throw new ArgumentException("UNSUBSCRIBE needs a packet id and at least one topic filter (MQTT 5 §3.10.3)", nameof(packet));
        }

        var v5 = version == MqttProtocolVersion.V500;
        var propertyLength = v5 ? MqttPropertyCodec.Measure(packet.Properties, MqttPropertyContext.Unsubscribe) : 0;
        long remaining = 2 + (v5 ? MqttVariableByteInteger.GetLength(propertyLength) + propertyLength : 0);
        foreach (var filter in packet.TopicFilters)
        {
            remaining = checked(remaining + MqttWireWriter.MeasureString(filter, "topic filter"));
        }

        var size = WriteFixed(output, 0xA2, remaining, out var writer);
        writer.WriteUInt16(packet.PacketId);
        if (v5)
        {
            writer.WriteVariableByteInteger(propertyLength);
            MqttPropertyCodec.Write(ref writer, packet.Properties);
        }

        foreach (var filter in packet.TopicFilters)
        {
            writer.WriteString(filter);
        }

        output.Advance(size);
        return size;
    }

    /// <summary>Writes UNSUBACK (used by tests and fake brokers; MQTT 3.1.1 has no reason codes).</summary>
    public static int WriteUnsubAck(IBufferWriter<byte> output, MqttUnsubAckPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        var v5 = version == MqttProtocolVersion.V500;
        var propertyLength = v5 ? MqttPropertyCodec.Measure(packet.Properties, MqttPropertyContext.UnsubAck) : 0;
        long remaining = 2 + (v5 ? MqttVariableByteInteger.GetLength(propertyLength) + propertyLength + packet.ReasonCodes.Count : 0);
        var size = WriteFixed(output, 0xB0, remaining, out var writer);
        writer.WriteUInt16(packet.PacketId);
        if (v5)
        {
            writer.WriteVariableByteInteger(propertyLength);
            MqttPropertyCodec.Write(ref writer, packet.Properties);
            foreach (var code in packet.ReasonCodes)
            {
                writer.WriteByte((byte)code);
            }
        }

        output.Advance(size);
        return size;
    }

    /// <summary>Writes PINGREQ <c>C0 00</c>.</summary>
    public static int WritePingReq(IBufferWriter<byte> output) => WriteEmpty(output, 0xC0);

    /// <summary>
    /// Writes DISCONNECT: <c>E0 00</c> for a normal disconnection without properties (and always in 3.1.1),
    /// Remaining Length 1 for a reason without properties (MQTT 5 §3.14.2.1).
    /// </summary>
    public static int WriteDisconnect(IBufferWriter<byte> output, MqttReasonCode reasonCode, MqttProperties? properties, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (version != MqttProtocolVersion.V500)
        {
            return WriteEmpty(output, 0xE0);
        }

        var propertyLength = MqttPropertyCodec.Measure(properties, MqttPropertyContext.Disconnect);
        long remaining = propertyLength > 0
            ? 1 + MqttVariableByteInteger.GetLength(propertyLength) + propertyLength
            : reasonCode == MqttReasonCode.NormalDisconnection ? 0 : 1;
        var size = WriteFixed(output, 0xE0, remaining, out var writer);
        if (remaining > 0)
        {
            writer.WriteByte((byte)reasonCode);
        }

        if (remaining > 1)
        {
            writer.WriteVariableByteInteger(propertyLength);
            MqttPropertyCodec.Write(ref writer, properties);
        }

        output.Advance(size);
        return size;
    }

    /// <summary>Writes AUTH (MQTT 5 only; Remaining Length 0 means Success without properties).</summary>
    public static int WriteAuth(IBufferWriter<byte> output, MqttAuthPacket packet, MqttProtocolVersion version)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(packet);
        if (version != MqttProtocolVersion.V500)
        {
            throw new ArgumentException("AUTH exists only in MQTT 5", nameof(version));
        }

        var propertyLength = MqttPropertyCodec.Measure(packet.Properties, MqttPropertyContext.Auth);
        long remaining = packet.ReasonCode == MqttReasonCode.Success && propertyLength == 0
            ? 0
            : 1 + MqttVariableByteInteger.GetLength(propertyLength) + propertyLength;
        var size = WriteFixed(output, 0xF0, remaining, out var writer);
        if (remaining > 0)
        {
            writer.WriteByte((byte)packet.ReasonCode);
            writer.WriteVariableByteInteger(propertyLength);
            MqttPropertyCodec.Write(ref writer, packet.Properties);
        }

        output.Advance(size);
        return size;
    }

    private static int WriteEmpty(IBufferWriter<byte> output, byte first)
    {
        var span = output.GetSpan(2);
        span[0] = first;
        span[1] = 0;
        output.Advance(2);
        return 2;
    }

    private static int WriteFixed(IBufferWriter<byte> output, byte first, long remaining, out MqttWireWriter writer)
    {
        if (remaining > MqttLimits.MaxRemainingLength)
        {
            throw new ArgumentException("packet exceeds the MQTT maximum Remaining Length", nameof(remaining));
        }

        var size = 1 + MqttVariableByteInteger.GetLength((int)remaining) + (int)remaining;
        writer = new MqttWireWriter(output.GetSpan(size));
        writer.WriteByte(first);
        writer.WriteVariableByteInteger((int)remaining);
        return size;
    }
}
