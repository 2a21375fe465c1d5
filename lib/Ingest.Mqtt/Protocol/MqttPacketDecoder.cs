using System.Buffers;

namespace Ingest.Mqtt.Protocol;

/// <summary>
/// Decodes MQTT packets from bytes. Pure: no I/O. Framing (<see cref="TryReadFixedHeader"/>) follows the
/// decoder contract of style.md §2: <see cref="OperationStatus.NeedMoreData"/> consumes nothing; a malformed
/// frame throws <see cref="MqttProtocolException"/>, the only exception any method here throws for bad input.
/// </summary>
public static class MqttPacketDecoder
{
    /// <summary>
    /// Reads the fixed header at the start of <paramref name="buffer"/>. Returns <see cref="OperationStatus.Done"/>
    /// only when the whole packet (<see cref="MqttFixedHeader.PacketLength"/> bytes) is in the buffer.
    /// The Remaining Length is checked against <paramref name="maximumPacketSize"/> before any byte of the body is
    /// awaited, so a hostile length never makes the caller grow its buffer (MQTT 5 §3.1.2.11.4: 0x95).
    /// </summary>
    public static OperationStatus TryReadFixedHeader(ReadOnlySpan<byte> buffer, int maximumPacketSize, out MqttFixedHeader header)
    {
        header = default;
        if (buffer.IsEmpty)
        {
            return OperationStatus.NeedMoreData;
        }

        var status = MqttVariableByteInteger.TryRead(buffer.Slice(1), out var remaining, out var lengthBytes);
        if (status == OperationStatus.NeedMoreData)
        {
            return OperationStatus.NeedMoreData;
        }

        if (status != OperationStatus.Done)
        {
            ThrowHelper.ThrowMalformed("Remaining Length is not a valid Variable Byte Integer", buffer, 1);
        }

        var first = buffer[0];
        var type = (MqttPacketType)(first >> 4);
        var flags = (byte)(first & 0x0F);
        ValidateFlags(type, flags, buffer);
        var headerLength = 1 + lengthBytes;
        if ((long)headerLength + remaining > maximumPacketSize)
        {
            ThrowHelper.Throw($"packet of {headerLength + (long)remaining} bytes exceeds the maximum packet size {maximumPacketSize}",
                MqttReasonCode.PacketTooLarge, buffer, 0);
        }

        header = new MqttFixedHeader(type, flags, remaining, headerLength);
        return buffer.Length - headerLength < remaining ? OperationStatus.NeedMoreData : OperationStatus.Done;
    }

    /// <summary>Decodes one whole packet (fixed header included) into its packet class.</summary>
    public static MqttPacket Decode(ReadOnlySpan<byte> packet, MqttProtocolVersion version, int maximumPacketSize = MqttLimits.MaxPacketSize)
    {
        var status = TryReadFixedHeader(packet, maximumPacketSize, out var header);
        if (status != OperationStatus.Done || header.PacketLength != packet.Length)
        {
            ThrowHelper.ThrowMalformed($"packet length does not match its Remaining Length ({packet.Length} bytes given)", packet, 0);
        }

        return Decode(header, packet.Slice(header.HeaderLength, header.RemainingLength), version);
    }

    /// <summary>Decodes a packet body (the bytes after the fixed header).</summary>
    public static MqttPacket Decode(in MqttFixedHeader header, ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var v5 = version == MqttProtocolVersion.V500;
        switch (header.PacketType)
        {
            case MqttPacketType.Connect:
                return DecodeConnect(body);
            case MqttPacketType.ConnAck:
                return DecodeConnAck(body, version);
            case MqttPacketType.Publish:
                return DecodePublish(header.Flags, body, version);
            case MqttPacketType.PubAck:
            case MqttPacketType.PubRec:
            case MqttPacketType.PubRel:
            case MqttPacketType.PubComp:
                DecodeAck(body, version, out var id, out var reason, out var properties);
                return new MqttAckPacket(header.PacketType) { PacketId = id, ReasonCode = reason, Properties = properties };
            case MqttPacketType.Subscribe:
                return DecodeSubscribe(body, version);
            case MqttPacketType.SubAck:
                return DecodeSubAck(body, version);
            case MqttPacketType.Unsubscribe:
                return DecodeUnsubscribe(body, version);
            case MqttPacketType.UnsubAck:
                return DecodeUnsubAck(body, version);
            case MqttPacketType.PingReq:
                RequireEmpty(body, "PINGREQ");
                return MqttPingReqPacket.Instance;
            case MqttPacketType.PingResp:
                RequireEmpty(body, "PINGRESP");
                return MqttPingRespPacket.Instance;
            case MqttPacketType.Disconnect:
                return DecodeDisconnect(body, version);
            case MqttPacketType.Auth when v5:
                return DecodeAuth(body);
            default:
                return ThrowHelper.Throw<MqttPacket>($"packet type {header.PacketType} is not valid in MQTT {(v5 ? "5" : "3.1.1")}",
                    MqttReasonCode.MalformedPacket, body, 0);
        }
    }

    /// <summary>
    /// Decodes PUBACK/PUBREC/PUBREL/PUBCOMP without allocating unless properties are present. Accepts the three
    /// MQTT 5 forms (Remaining Length 2, 3, or with properties: §3.4.2.1); MQTT 3.1.1 requires exactly 2 bytes.
    /// </summary>
    public static void DecodeAck(ReadOnlySpan<byte> body, MqttProtocolVersion version, out ushort packetId, out MqttReasonCode reasonCode,
        out MqttProperties? properties)
    {
        var reader = new MqttWireReader(body);
        packetId = reader.ReadUInt16();
        if (packetId == 0)
        {
            ThrowHelper.ThrowMalformed("Packet Identifier 0 (MQTT 5 §2.2.1)", body, 0);
        }

        reasonCode = MqttReasonCode.Success;
        properties = null;
        if (version != MqttProtocolVersion.V500)
        {
            if (body.Length != 2)
            {
                ThrowHelper.ThrowMalformed($"MQTT 3.1.1 acknowledgement with Remaining Length {body.Length} (must be 2)", body, 0);
            }

            return;
        }

        if (reader.End)
        {
            return;
        }

        reasonCode = (MqttReasonCode)reader.ReadByte();
        if (reader.End)
        {
            return;
        }

        properties = MqttPropertyCodec.Read(ref reader, MqttPropertyContext.Ack);
        RequireEnd(ref reader, "acknowledgement");
    }

    /// <summary>Decodes CONNACK; a 2-byte CONNACK to an MQTT 5 CONNECT is read as the 3.1.1 form (see <see cref="MqttConnAckPacket.ReasonCode"/>).</summary>
    public static MqttConnAckPacket DecodeConnAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var reader = new MqttWireReader(body);
        var flags = reader.ReadByte();
        if ((flags & 0xFE) != 0)
        {
            ThrowHelper.ThrowMalformed("CONNACK Acknowledge Flags bits 7–1 must be 0 (MQTT 5 §3.2.2.1)", body, 0);
        }

        var raw = reader.ReadByte();
        var v311Form = version != MqttProtocolVersion.V500 || body.Length == 2;
        MqttProperties? properties = null;
        MqttReasonCode reason;
        if (v311Form)
        {
            RequireEnd(ref reader, "CONNACK");
            reason = raw switch
            {
                0 => MqttReasonCode.Success,
                1 => MqttReasonCode.UnsupportedProtocolVersion,
                2 => MqttReasonCode.ClientIdentifierNotValid,
                3 => MqttReasonCode.ServerUnavailable,
                4 => MqttReasonCode.BadUserNameOrPassword,
                5 => MqttReasonCode.NotAuthorized,
                _ => (MqttReasonCode)raw,
            };
        }
        else
        {
            reason = (MqttReasonCode)raw;
            properties = MqttPropertyCodec.Read(ref reader, MqttPropertyContext.ConnAck);
            RequireEnd(ref reader, "CONNACK");
        }

        if ((flags & 1) != 0 && reason != MqttReasonCode.Success)
        {
            ThrowHelper.ThrowProtocolError("Session Present with a failure reason (MQTT 5 §3.2.2.1.1)", body, 0);
        }

        return new MqttConnAckPacket
        {
            SessionPresent = (flags & 1) != 0,
            ReasonCode = reason,
            RawReasonCode = raw,
            IsVersion311Form = v311Form,
            Properties = properties,
        };
    }

    /// <summary>
    /// Decodes the variable header of a PUBLISH without copying the payload: returns the topic bytes (validated
    /// UTF-8, possibly empty when an alias is used) and the payload slice. Flags come from the fixed header.
    /// </summary>
    public static void DecodePublishHeader(byte flags, ReadOnlySpan<byte> body, MqttProtocolVersion version, out ReadOnlySpan<byte> topic,
        out ushort packetId, out MqttProperties? properties, out ReadOnlySpan<byte> payload)
    {
        var reader = new MqttWireReader(body);
        topic = reader.ReadUtf8Span();
        var qos = (flags >> 1) & 3;
        packetId = 0;
        if (qos > 0)
        {
            packetId = reader.ReadUInt16();
            if (packetId == 0)
            {
                ThrowHelper.ThrowMalformed("PUBLISH with QoS > 0 and Packet Identifier 0 (MQTT 5 §2.2.1)", body, reader.Position - 2);
            }
        }

        properties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref reader, MqttPropertyContext.Publish) : null;
        if (topic.IsEmpty && properties?.TopicAlias is null)
        {
            ThrowHelper.ThrowProtocolError("PUBLISH with an empty topic and no Topic Alias (MQTT 5 §3.3.2.1)", body, 0);
        }

        if (topic.IndexOfAny((byte)'+', (byte)'#') >= 0)
        {
            ThrowHelper.Throw("PUBLISH topic contains a wildcard (MQTT 5 §3.3.2.1)", MqttReasonCode.TopicNameInvalid, body, 0);
        }

        payload = reader.ReadRest();
    }

    private static MqttPublishPacket DecodePublish(byte flags, ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        DecodePublishHeader(flags, body, version, out var topic, out var packetId, out var properties, out var payload);
        return new MqttPublishPacket
        {
            Topic = topic.IsEmpty ? string.Empty : System.Text.Encoding.UTF8.GetString(topic),
            PacketId = packetId,
            QualityOfService = (MqttQualityOfService)((flags >> 1) & 3),
            Retain = (flags & 1) != 0,
            Duplicate = (flags & 8) != 0,
            Properties = properties,
            Payload = payload.ToArray(),
        };
    }

    private static MqttConnectPacket DecodeConnect(ReadOnlySpan<byte> body)
    {
        var reader = new MqttWireReader(body);
        var name = reader.ReadUtf8Span();
        var level = reader.ReadByte();
        if (!name.SequenceEqual("MQTT"u8) || level is not (4 or 5))
        {
            ThrowHelper.Throw("CONNECT protocol name/level is not MQTT 3.1.1 or 5", MqttReasonCode.UnsupportedProtocolVersion, body, 0);
        }

        var version = (MqttProtocolVersion)level;
        var flags = reader.ReadByte();
        if ((flags & 1) != 0)
        {
            ThrowHelper.ThrowMalformed("CONNECT reserved flag set (MQTT 5 §3.1.2.3)", body, reader.Position - 1);
        }

        var willFlag = (flags & 0x04) != 0;
        var willQos = (flags >> 3) & 3;
        var willRetain = (flags & 0x20) != 0;
        if (willQos == 3 || (!willFlag && (willQos != 0 || willRetain)))
        {
            ThrowHelper.ThrowMalformed("CONNECT Will QoS/Retain inconsistent with the Will Flag (MQTT 5 §3.1.2.6)", body, reader.Position - 1);
        }

        var keepAlive = reader.ReadUInt16();
        var properties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref reader, MqttPropertyContext.Connect) : null;
        var clientId = reader.ReadString();
        MqttWillMessage? will = null;
        if (willFlag)
        {
            var willProperties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref reader, MqttPropertyContext.Will) : null;
            var willTopic = reader.ReadString();
            var willPayload = reader.ReadBinary();
            will = new MqttWillMessage
            {
                Topic = willTopic,
                Payload = willPayload,
                QualityOfService = (MqttQualityOfService)willQos,
                Retain = willRetain,
                Properties = willProperties,
            };
        }

        var userName = (flags & 0x80) != 0 ? reader.ReadString() : null;
        ReadOnlyMemory<byte>? password = null;
        if ((flags & 0x40) != 0)
        {
            password = reader.ReadBinary();
        }

        RequireEnd(ref reader, "CONNECT");
        return new MqttConnectPacket
        {
            ProtocolVersion = version,
            ClientId = clientId,
            CleanStart = (flags & 0x02) != 0,
            KeepAliveSeconds = keepAlive,
            UserName = userName,
            Password = password,
            Will = will,
            Properties = properties,
        };
    }

    private static MqttSubscribePacket DecodeSubscribe(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var reader = new MqttWireReader(body);
        var packetId = ReadPacketId(ref reader);
        var properties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref reader, MqttPropertyContext.Subscribe) : null;
        var subscriptions = new List<MqttSubscription>();
        while (!reader.End)
        {
            if (subscriptions.Count >= MqttLimits.MaxTopicFiltersPerPacket)
            {
                ThrowHelper.Throw($"more than {MqttLimits.MaxTopicFiltersPerPacket} topic filters", MqttReasonCode.ImplementationSpecificError, body, reader.Position);
            }

            var filter = reader.ReadString();
            var optionsOffset = reader.Position;
            var options = reader.ReadByte();
            var reservedMask = version == MqttProtocolVersion.V500 ? 0xC0 : 0xFC;
            if ((options & reservedMask) != 0 || (options & 3) == 3 || ((options >> 4) & 3) == 3)
            {
                ThrowHelper.ThrowMalformed("invalid subscription options byte (MQTT 5 §3.8.3.1)", body, optionsOffset);
            }

            subscriptions.Add(new MqttSubscription
            {
                TopicFilter = filter,
                MaximumQoS = (MqttQualityOfService)(options & 3),
                NoLocal = (options & 0x04) != 0,
                RetainAsPublished = (options & 0x08) != 0,
                RetainHandling = (MqttRetainHandling)((options >> 4) & 3),
            });
        }

        if (subscriptions.Count == 0)
        {
            ThrowHelper.ThrowProtocolError("SUBSCRIBE without topic filters (MQTT 5 §3.8.3)", body, 0);
        }

        return new MqttSubscribePacket { PacketId = packetId, Subscriptions = subscriptions, Properties = properties };
    }

    private static MqttSubAckPacket DecodeSubAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var reader = new MqttWireReader(body);
        var packetId = ReadPacketId(ref reader);
        var properties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref reader, MqttPropertyContext.SubAck) : null;
        var codes = ReadReasonCodes(ref reader, body);
        return new MqttSubAckPacket { PacketId = packetId, ReasonCodes = codes, Properties = properties };
    }

    private static MqttUnsubscribePacket DecodeUnsubscribe(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var reader = new MqttWireReader(body);
        var packetId = ReadPacketId(ref reader);
        var properties = version == MqttProtocolVersion.V500 ? MqttPropertyCodec.Read(ref reader, MqttPropertyContext.Unsubscribe) : null;
        var filters = new List<string>();
        while (!reader.End)
        {
            if (filters.Count >= MqttLimits.MaxTopicFiltersPerPacket)
            {
                ThrowHelper.Throw($"more than {MqttLimits.MaxTopicFiltersPerPacket} topic filters", MqttReasonCode.ImplementationSpecificError, body, reader.Position);
            }

            filters.Add(reader.ReadString());
        }

        if (filters.Count == 0)
        {
            ThrowHelper.ThrowProtocolError("UNSUBSCRIBE without topic filters (MQTT 5 §3.10.3)", body, 0);
        }

        return new MqttUnsubscribePacket { PacketId = packetId, TopicFilters = filters, Properties = properties };
    }

    private static MqttUnsubAckPacket DecodeUnsubAck(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        var reader = new MqttWireReader(body);
        var packetId = ReadPacketId(ref reader);
        if (version != MqttProtocolVersion.V500)
        {
            RequireEnd(ref reader, "UNSUBACK");
            return new MqttUnsubAckPacket { PacketId = packetId };
        }

        var properties = MqttPropertyCodec.Read(ref reader, MqttPropertyContext.UnsubAck);
        var codes = ReadReasonCodes(ref reader, body);
        return new MqttUnsubAckPacket { PacketId = packetId, ReasonCodes = codes, Properties = properties };
    }

    private static MqttDisconnectPacket DecodeDisconnect(ReadOnlySpan<byte> body, MqttProtocolVersion version)
    {
        if (version != MqttProtocolVersion.V500)
        {
            RequireEmpty(body, "DISCONNECT");
            return new MqttDisconnectPacket();
        }

        var reader = new MqttWireReader(body);
        var reason = reader.End ? MqttReasonCode.NormalDisconnection : (MqttReasonCode)reader.ReadByte();
        var properties = reader.End ? null : MqttPropertyCodec.Read(ref reader, MqttPropertyContext.Disconnect);
        RequireEnd(ref reader, "DISCONNECT");
        return new MqttDisconnectPacket { ReasonCode = reason, Properties = properties };
    }

    private static MqttAuthPacket DecodeAuth(ReadOnlySpan<byte> body)
    {
        var reader = new MqttWireReader(body);
        var reason = reader.End ? MqttReasonCode.Success : (MqttReasonCode)reader.ReadByte();
        var properties = reader.End ? null : MqttPropertyCodec.Read(ref reader, MqttPropertyContext.Auth);
        RequireEnd(ref reader, "AUTH");
        return new MqttAuthPacket { ReasonCode = reason, Properties = properties };
    }

    private static List<MqttReasonCode> ReadReasonCodes(ref MqttWireReader reader, ReadOnlySpan<byte> body)
    {
        var count = reader.Remaining;
        if (count == 0)
        {
            ThrowHelper.ThrowProtocolError("acknowledgement without reason codes", body, reader.Position);
        }

        if (count > MqttLimits.MaxTopicFiltersPerPacket)
        {
            ThrowHelper.Throw($"more than {MqttLimits.MaxTopicFiltersPerPacket} reason codes", MqttReasonCode.ImplementationSpecificError, body, reader.Position);
        }

        var codes = new List<MqttReasonCode>(count);
        foreach (var code in reader.ReadRest())
        {
            codes.Add((MqttReasonCode)code);
        }

        return codes;
    }

    private static ushort ReadPacketId(ref MqttWireReader reader)
    {
        var id = reader.ReadUInt16();
        if (id == 0)
        {
            ThrowHelper.ThrowMalformed("Packet Identifier 0 (MQTT 5 §2.2.1)", reader.Buffer, 0);
        }

        return id;
    }

    private static void RequireEmpty(ReadOnlySpan<byte> body, string what)
    {
        if (!body.IsEmpty)
        {
            ThrowHelper.ThrowMalformed($"{what} must have Remaining Length 0", body, 0);
        }
    }

    private static void RequireEnd(ref MqttWireReader reader, string what)
    {
        if (!reader.End)
        {
            ThrowHelper.ThrowMalformed($"{reader.Remaining} unexpected byte(s) at the end of {what}", reader.Buffer, reader.Position);
        }
    }

    /// <summary>MQTT 5 §2.1.3: reserved flag bits must be exactly as the table says; PUBLISH QoS 3 and DUP on QoS 0 are malformed.</summary>
    private static void ValidateFlags(MqttPacketType type, byte flags, ReadOnlySpan<byte> buffer)
    {
        switch (type)
        {
            case MqttPacketType.Reserved:
                ThrowHelper.ThrowMalformed("reserved packet type 0", buffer, 0);
                break;
            case MqttPacketType.Publish:
                var qos = (flags >> 1) & 3;
                if (qos == 3)
                {
                    ThrowHelper.ThrowMalformed("PUBLISH with QoS 3 (MQTT 5 §3.3.1.2)", buffer, 0);
                }

                if (qos == 0 && (flags & 8) != 0)
                {
                    ThrowHelper.ThrowMalformed("PUBLISH QoS 0 with DUP set (MQTT 5 §3.3.1.1)", buffer, 0);
                }

                break;
            case MqttPacketType.PubRel:
            case MqttPacketType.Subscribe:
            case MqttPacketType.Unsubscribe:
                if (flags != 2)
                {
                    ThrowHelper.ThrowMalformed($"{type} fixed-header flags must be 0010 (MQTT 5 §2.1.3)", buffer, 0);
                }

                break;
            default:
                if (flags != 0)
                {
                    ThrowHelper.ThrowMalformed($"{type} fixed-header flags must be 0000 (MQTT 5 §2.1.3)", buffer, 0);
                }

                break;
        }
    }
}
