namespace Ingest.Mqtt.Protocol;

/// <summary>Encodes and decodes MQTT 5 property blocks (§2.2.2): a VBI length, then (VBI id, value) pairs.</summary>
internal static class MqttPropertyCodec
{
    private const MqttPropertyContext MessageContexts = MqttPropertyContext.Publish | MqttPropertyContext.Will;

    private const MqttPropertyContext ReasonStringContexts = MqttPropertyContext.ConnAck | MqttPropertyContext.Ack |
        MqttPropertyContext.SubAck | MqttPropertyContext.UnsubAck | MqttPropertyContext.Disconnect | MqttPropertyContext.Auth;

    /// <summary>Which packets may carry <paramref name="id"/> (MQTT 5 §2.2.2.2 table); None for unknown ids.</summary>
    public static MqttPropertyContext AllowedIn(MqttPropertyId id) => id switch
    {
        MqttPropertyId.PayloadFormatIndicator or MqttPropertyId.MessageExpiryInterval or MqttPropertyId.ContentType or
            MqttPropertyId.ResponseTopic or MqttPropertyId.CorrelationData => MessageContexts,
        MqttPropertyId.SubscriptionIdentifier => MqttPropertyContext.Publish | MqttPropertyContext.Subscribe,
        MqttPropertyId.SessionExpiryInterval => MqttPropertyContext.Connect | MqttPropertyContext.ConnAck | MqttPropertyContext.Disconnect,
        MqttPropertyId.AssignedClientIdentifier or MqttPropertyId.ServerKeepAlive or MqttPropertyId.ResponseInformation or
            MqttPropertyId.MaximumQoS or MqttPropertyId.RetainAvailable or MqttPropertyId.WildcardSubscriptionAvailable or
            MqttPropertyId.SubscriptionIdentifierAvailable or MqttPropertyId.SharedSubscriptionAvailable => MqttPropertyContext.ConnAck,
        MqttPropertyId.AuthenticationMethod or MqttPropertyId.AuthenticationData =>
            MqttPropertyContext.Connect | MqttPropertyContext.ConnAck | MqttPropertyContext.Auth,
        MqttPropertyId.RequestProblemInformation or MqttPropertyId.RequestResponseInformation => MqttPropertyContext.Connect,
        MqttPropertyId.WillDelayInterval => MqttPropertyContext.Will,
        MqttPropertyId.ServerReference => MqttPropertyContext.ConnAck | MqttPropertyContext.Disconnect,
        MqttPropertyId.ReasonString => ReasonStringContexts,
        MqttPropertyId.ReceiveMaximum or MqttPropertyId.TopicAliasMaximum or MqttPropertyId.MaximumPacketSize =>
            MqttPropertyContext.Connect | MqttPropertyContext.ConnAck,
        MqttPropertyId.TopicAlias => MqttPropertyContext.Publish,
        MqttPropertyId.UserProperty => (MqttPropertyContext)0x7FF,
        _ => MqttPropertyContext.None,
    };

    /// <summary>Bytes of the property block's content (without its own length prefix); checks what is allowed.</summary>
    public static int Measure(MqttProperties? properties, MqttPropertyContext context, ushort topicAlias = 0)
    {
        var size = 0;
        if (topicAlias != 0)
        {
            size += 3;
        }

        if (properties is null)
        {
            return size;
        }

        checked
        {
            if (properties.PayloadFormatIndicator is not null)
            {
                size += Check(MqttPropertyId.PayloadFormatIndicator, context, 2);
            }

            if (properties.MessageExpiryInterval is not null)
            {
                size += Check(MqttPropertyId.MessageExpiryInterval, context, 5);
            }

            if (properties.ContentType is { } contentType)
            {
                size += Check(MqttPropertyId.ContentType, context, 1 + MqttWireWriter.MeasureString(contentType, nameof(MqttProperties.ContentType)));
            }

            if (properties.ResponseTopic is { } responseTopic)
            {
                size += Check(MqttPropertyId.ResponseTopic, context, 1 + MqttWireWriter.MeasureString(responseTopic, nameof(MqttProperties.ResponseTopic)));
            }

            if (properties.CorrelationData is { } correlation)
            {
                size += Check(MqttPropertyId.CorrelationData, context, 1 + MqttWireWriter.MeasureBinary(correlation.Length, nameof(MqttProperties.CorrelationData)));
            }

            if (properties.SubscriptionIdentifierList is { } subscriptionIds)
            {
                foreach (var id in subscriptionIds)
                {
                    if (id is < 1 or > MqttLimits.MaxVariableByteInteger)
                    {
                        throw new ArgumentException("Subscription Identifier must be 1..268,435,455 (MQTT 5 §3.8.2.1.2)", nameof(properties));
                    }

                    size += Check(MqttPropertyId.SubscriptionIdentifier, context, 1 + MqttVariableByteInteger.GetLength(id));
                }
            }

            if (properties.SessionExpiryInterval is not null)
            {
                size += Check(MqttPropertyId.SessionExpiryInterval, context, 5);
            }

            if (properties.AssignedClientIdentifier is { } assigned)
            {
                size += Check(MqttPropertyId.AssignedClientIdentifier, context, 1 + MqttWireWriter.MeasureString(assigned, nameof(MqttProperties.AssignedClientIdentifier)));
            }

            if (properties.ServerKeepAlive is not null)
            {
                size += Check(MqttPropertyId.ServerKeepAlive, context, 3);
            }

            if (properties.AuthenticationMethod is { } method)
            {
                size += Check(MqttPropertyId.AuthenticationMethod, context, 1 + MqttWireWriter.MeasureString(method, nameof(MqttProperties.AuthenticationMethod)));
            }

            if (properties.AuthenticationData is { } authData)
            {
                size += Check(MqttPropertyId.AuthenticationData, context, 1 + MqttWireWriter.MeasureBinary(authData.Length, nameof(MqttProperties.AuthenticationData)));
            }

            if (properties.RequestProblemInformation is not null)
            {
                size += Check(MqttPropertyId.RequestProblemInformation, context, 2);
            }

            if (properties.WillDelayInterval is not null)
            {
                size += Check(MqttPropertyId.WillDelayInterval, context, 5);
            }

            if (properties.RequestResponseInformation is not null)
            {
                size += Check(MqttPropertyId.RequestResponseInformation, context, 2);
            }

            if (properties.ResponseInformation is { } responseInformation)
            {
                size += Check(MqttPropertyId.ResponseInformation, context, 1 + MqttWireWriter.MeasureString(responseInformation, nameof(MqttProperties.ResponseInformation)));
            }

            if (properties.ServerReference is { } serverReference)
            {
                size += Check(MqttPropertyId.ServerReference, context, 1 + MqttWireWriter.MeasureString(serverReference, nameof(MqttProperties.ServerReference)));
            }

            if (properties.ReasonString is { } reasonString)
            {
                size += Check(MqttPropertyId.ReasonString, context, 1 + MqttWireWriter.MeasureString(reasonString, nameof(MqttProperties.ReasonString)));
            }

            if (properties.ReceiveMaximum is { } receiveMaximum)
            {
                if (receiveMaximum == 0)
                {
                    throw new ArgumentException("Receive Maximum 0 is a Protocol Error (MQTT 5 §3.1.2.11.3)", nameof(properties));
                }

                size += Check(MqttPropertyId.ReceiveMaximum, context, 3);
            }

            if (properties.TopicAliasMaximum is not null)
            {
                size += Check(MqttPropertyId.TopicAliasMaximum, context, 3);
            }

            if (properties.TopicAlias is { } alias)
            {
                if (alias == 0 || topicAlias != 0)
                {
                    throw new ArgumentException("Topic Alias must be non-zero and is set by the client per connection", nameof(properties));
                }

                size += Check(MqttPropertyId.TopicAlias, context, 3);
            }

            if (properties.MaximumQoS is not null)
            {
                size += Check(MqttPropertyId.MaximumQoS, context, 2);
            }

            if (properties.RetainAvailable is not null)
            {
                size += Check(MqttPropertyId.RetainAvailable, context, 2);
            }

            if (properties.UserPropertyList is { } userProperties)
            {
                for (var i = 0; i < userProperties.Count; i++)
                {
                    var pair = userProperties[i];
                    size += 1 + MqttWireWriter.MeasureString(pair.Name, "User Property name") + MqttWireWriter.MeasureString(pair.Value, "User Property value");
                }
            }

            if (properties.MaximumPacketSize is { } maximumPacketSize)
            {
                if (maximumPacketSize == 0)
                {
                    throw new ArgumentException("Maximum Packet Size 0 is a Protocol Error (MQTT 5 §3.1.2.11.4)", nameof(properties));
                }

                size += Check(MqttPropertyId.MaximumPacketSize, context, 5);
            }

            if (properties.WildcardSubscriptionAvailable is not null)
            {
                size += Check(MqttPropertyId.WildcardSubscriptionAvailable, context, 2);
            }

            if (properties.SubscriptionIdentifierAvailable is not null)
            {
                size += Check(MqttPropertyId.SubscriptionIdentifierAvailable, context, 2);
            }

            if (properties.SharedSubscriptionAvailable is not null)
            {
                size += Check(MqttPropertyId.SharedSubscriptionAvailable, context, 2);
            }
        }

        return size;
    }

    /// <summary>Writes the property content measured by <see cref="Measure"/> in identifier order (User Properties last but order-preserving).</summary>
    public static void Write(ref MqttWireWriter writer, MqttProperties? properties, ushort topicAlias = 0)
    {
        if (properties is null)
        {
            if (topicAlias != 0)
            {
                writer.WriteByte((byte)MqttPropertyId.TopicAlias);
                writer.WriteUInt16(topicAlias);
            }

            return;
        }

        if (properties.PayloadFormatIndicator is { } pfi)
        {
            WriteByteProperty(ref writer, MqttPropertyId.PayloadFormatIndicator, pfi);
        }

        if (properties.MessageExpiryInterval is { } expiry)
        {
            WriteUInt32Property(ref writer, MqttPropertyId.MessageExpiryInterval, expiry);
        }

        if (properties.ContentType is { } contentType)
        {
            WriteStringProperty(ref writer, MqttPropertyId.ContentType, contentType);
        }

        if (properties.ResponseTopic is { } responseTopic)
        {
            WriteStringProperty(ref writer, MqttPropertyId.ResponseTopic, responseTopic);
        }

        if (properties.CorrelationData is { } correlation)
        {
            writer.WriteByte((byte)MqttPropertyId.CorrelationData);
            writer.WriteBinary(correlation.Span);
        }

        if (properties.SubscriptionIdentifierList is { } subscriptionIds)
        {
            foreach (var id in subscriptionIds)
            {
                writer.WriteByte((byte)MqttPropertyId.SubscriptionIdentifier);
                writer.WriteVariableByteInteger(id);
            }
        }

        if (properties.SessionExpiryInterval is { } sessionExpiry)
        {
            WriteUInt32Property(ref writer, MqttPropertyId.SessionExpiryInterval, sessionExpiry);
        }

        if (properties.AssignedClientIdentifier is { } assigned)
        {
            WriteStringProperty(ref writer, MqttPropertyId.AssignedClientIdentifier, assigned);
        }

        if (properties.ServerKeepAlive is { } serverKeepAlive)
        {
            WriteUInt16Property(ref writer, MqttPropertyId.ServerKeepAlive, serverKeepAlive);
        }

        if (properties.AuthenticationMethod is { } method)
        {
            WriteStringProperty(ref writer, MqttPropertyId.AuthenticationMethod, method);
        }

        if (properties.AuthenticationData is { } authData)
        {
            writer.WriteByte((byte)MqttPropertyId.AuthenticationData);
            writer.WriteBinary(authData.Span);
        }

        if (properties.RequestProblemInformation is { } rpi)
        {
            WriteByteProperty(ref writer, MqttPropertyId.RequestProblemInformation, rpi);
        }

        if (properties.WillDelayInterval is { } willDelay)
        {
            WriteUInt32Property(ref writer, MqttPropertyId.WillDelayInterval, willDelay);
        }

        if (properties.RequestResponseInformation is { } rri)
        {
            WriteByteProperty(ref writer, MqttPropertyId.RequestResponseInformation, rri);
        }

        if (properties.ResponseInformation is { } responseInformation)
        {
            WriteStringProperty(ref writer, MqttPropertyId.ResponseInformation, responseInformation);
        }

        if (properties.ServerReference is { } serverReference)
        {
            WriteStringProperty(ref writer, MqttPropertyId.ServerReference, serverReference);
        }

        if (properties.ReasonString is { } reasonString)
        {
            WriteStringProperty(ref writer, MqttPropertyId.ReasonString, reasonString);
        }

        if (properties.ReceiveMaximum is { } receiveMaximum)
        {
            WriteUInt16Property(ref writer, MqttPropertyId.ReceiveMaximum, receiveMaximum);
        }

        if (properties.TopicAliasMaximum is { } topicAliasMaximum)
        {
            WriteUInt16Property(ref writer, MqttPropertyId.TopicAliasMaximum, topicAliasMaximum);
        }

        var alias = topicAlias != 0 ? topicAlias : properties.TopicAlias ?? 0;
        if (alias != 0)
        {
            WriteUInt16Property(ref writer, MqttPropertyId.TopicAlias, alias);
        }

        if (properties.MaximumQoS is { } maximumQoS)
        {
            WriteByteProperty(ref writer, MqttPropertyId.MaximumQoS, maximumQoS);
        }

        if (properties.RetainAvailable is { } retainAvailable)
        {
            WriteByteProperty(ref writer, MqttPropertyId.RetainAvailable, retainAvailable);
        }

        if (properties.UserPropertyList is { } userProperties)
        {
            for (var i = 0; i < userProperties.Count; i++)
            {
                var pair = userProperties[i];
                writer.WriteByte((byte)MqttPropertyId.UserProperty);
                writer.WriteString(pair.Name);
                writer.WriteString(pair.Value);
            }
        }

        if (properties.MaximumPacketSize is { } maximumPacketSize)
        {
            WriteUInt32Property(ref writer, MqttPropertyId.MaximumPacketSize, maximumPacketSize);
        }

        if (properties.WildcardSubscriptionAvailable is { } wildcard)
        {
            WriteByteProperty(ref writer, MqttPropertyId.WildcardSubscriptionAvailable, wildcard);
        }

        if (properties.SubscriptionIdentifierAvailable is { } subIdAvailable)
        {
            WriteByteProperty(ref writer, MqttPropertyId.SubscriptionIdentifierAvailable, subIdAvailable);
        }

        if (properties.SharedSubscriptionAvailable is { } shared)
        {
            WriteByteProperty(ref writer, MqttPropertyId.SharedSubscriptionAvailable, shared);
        }
    }

    /// <summary>
    /// Reads a property block (length prefix included). Returns null when it is empty so acknowledgements without
    /// properties allocate nothing. Unknown ids are Malformed; duplicates and ids not allowed in
    /// <paramref name="context"/> are Protocol Errors (MQTT 5 §2.2.2.2).
    /// </summary>
    public static MqttProperties? Read(ref MqttWireReader reader, MqttPropertyContext context)
    {
        var lengthOffset = reader.Position;
        var length = reader.ReadVariableByteInteger();
        if (length == 0)
        {
            return null;
        }

        if (length > reader.Remaining)
        {
            ThrowHelper.ThrowMalformed($"property length {length} exceeds the {reader.Remaining} bytes left in the packet", reader.Buffer, lengthOffset);
        }

        var end = reader.Position + length;
        var properties = new MqttProperties();
        ulong seen = 0;
        while (reader.Position < end)
        {
            var idOffset = reader.Position;
            var rawId = reader.ReadVariableByteInteger();
            var id = (MqttPropertyId)(rawId <= byte.MaxValue ? rawId : 0);
            var allowed = rawId <= byte.MaxValue ? AllowedIn(id) : MqttPropertyContext.None;
            if (allowed == MqttPropertyContext.None)
            {
                ThrowHelper.ThrowMalformed($"unknown property identifier 0x{rawId:X2}", reader.Buffer, idOffset);
            }

            if ((allowed & context) == 0)
            {
                ThrowHelper.ThrowProtocolError($"property {id} is not allowed in a {context} packet", reader.Buffer, idOffset);
            }

            var bit = 1UL << (int)id;
            var repeatable = id == MqttPropertyId.UserProperty || (id == MqttPropertyId.SubscriptionIdentifier && context == MqttPropertyContext.Publish);
            if ((seen & bit) != 0 && !repeatable)
            {
                ThrowHelper.ThrowProtocolError($"property {id} appears twice", reader.Buffer, idOffset);
            }

            seen |= bit;
            ReadValue(ref reader, properties, id, idOffset);
            if (reader.Position > end)
            {
                ThrowHelper.ThrowMalformed("a property runs past the end of its property block", reader.Buffer, idOffset);
            }
        }

        return properties;
    }

    private static void ReadValue(ref MqttWireReader reader, MqttProperties properties, MqttPropertyId id, int offset)
    {
        switch (id)
        {
            case MqttPropertyId.PayloadFormatIndicator:
                properties.PayloadFormatIndicator = ReadFlag(ref reader, id, offset);
                break;
            case MqttPropertyId.MessageExpiryInterval:
                properties.MessageExpiryInterval = reader.ReadUInt32();
                break;
            case MqttPropertyId.ContentType:
                properties.ContentType = reader.ReadString();
                break;
            case MqttPropertyId.ResponseTopic:
                properties.ResponseTopic = reader.ReadString();
                break;
            case MqttPropertyId.CorrelationData:
                properties.CorrelationData = reader.ReadBinary();
                break;
            case MqttPropertyId.SubscriptionIdentifier:
                var subscriptionId = reader.ReadVariableByteInteger();
                if (subscriptionId == 0)
                {
                    ThrowHelper.ThrowProtocolError("Subscription Identifier 0 (MQTT 5 §3.3.2.3.8)", reader.Buffer, offset);
                }

                if (properties.SubscriptionIdentifierCount >= MqttLimits.MaxSubscriptionIdentifiers)
                {
                    ThrowHelper.Throw($"more than {MqttLimits.MaxSubscriptionIdentifiers} Subscription Identifiers", MqttReasonCode.ImplementationSpecificError, reader.Buffer, offset);
                }

                properties.SubscriptionIdentifiers.Add(subscriptionId);
                break;
            case MqttPropertyId.SessionExpiryInterval:
                properties.SessionExpiryInterval = reader.ReadUInt32();
                break;
            case MqttPropertyId.AssignedClientIdentifier:
                properties.AssignedClientIdentifier = reader.ReadString();
                break;
            case MqttPropertyId.ServerKeepAlive:
                properties.ServerKeepAlive = reader.ReadUInt16();
                break;
            case MqttPropertyId.AuthenticationMethod:
                properties.AuthenticationMethod = reader.ReadString();
                break;
            case MqttPropertyId.AuthenticationData:
                properties.AuthenticationData = reader.ReadBinary();
                break;
            case MqttPropertyId.RequestProblemInformation:
                properties.RequestProblemInformation = ReadFlag(ref reader, id, offset);
                break;
            case MqttPropertyId.WillDelayInterval:
                properties.WillDelayInterval = reader.ReadUInt32();
                break;
            case MqttPropertyId.RequestResponseInformation:
                properties.RequestResponseInformation = ReadFlag(ref reader, id, offset);
                break;
            case MqttPropertyId.ResponseInformation:
                properties.ResponseInformation = reader.ReadString();
                break;
            case MqttPropertyId.ServerReference:
                properties.ServerReference = reader.ReadString();
                break;
            case MqttPropertyId.ReasonString:
                properties.ReasonString = reader.ReadString();
                break;
            case MqttPropertyId.ReceiveMaximum:
                var receiveMaximum = reader.ReadUInt16();
                if (receiveMaximum == 0)
                {
                    ThrowHelper.ThrowProtocolError("Receive Maximum 0 (MQTT 5 §3.2.2.3.3)", reader.Buffer, offset);
                }

                properties.ReceiveMaximum = receiveMaximum;
                break;
            case MqttPropertyId.TopicAliasMaximum:
                properties.TopicAliasMaximum = reader.ReadUInt16();
                break;
            case MqttPropertyId.TopicAlias:
                var alias = reader.ReadUInt16();
                if (alias == 0)
                {
                    ThrowHelper.Throw("Topic Alias 0 (MQTT 5 §3.3.2.3.4)", MqttReasonCode.TopicAliasInvalid, reader.Buffer, offset);
                }

                properties.TopicAlias = alias;
                break;
            case MqttPropertyId.MaximumQoS:
                properties.MaximumQoS = ReadFlag(ref reader, id, offset);
                break;
            case MqttPropertyId.RetainAvailable:
                properties.RetainAvailable = ReadFlag(ref reader, id, offset);
                break;
            case MqttPropertyId.UserProperty:
                if (properties.UserPropertyCount >= MqttLimits.MaxUserProperties)
                {
                    ThrowHelper.Throw($"more than {MqttLimits.MaxUserProperties} User Properties", MqttReasonCode.ImplementationSpecificError, reader.Buffer, offset);
                }

                var name = reader.ReadString();
                var value = reader.ReadString();
                properties.UserProperties.Add(new MqttUserProperty(name, value));
                break;
            case MqttPropertyId.MaximumPacketSize:
                var maximumPacketSize = reader.ReadUInt32();
                if (maximumPacketSize == 0)
                {
                    ThrowHelper.ThrowProtocolError("Maximum Packet Size 0 (MQTT 5 §3.2.2.3.6)", reader.Buffer, offset);
                }

                properties.MaximumPacketSize = maximumPacketSize;
                break;
            case MqttPropertyId.WildcardSubscriptionAvailable:
                properties.WildcardSubscriptionAvailable = ReadFlag(ref reader, id, offset);
                break;
            case MqttPropertyId.SubscriptionIdentifierAvailable:
                properties.SubscriptionIdentifierAvailable = ReadFlag(ref reader, id, offset);
                break;
            case MqttPropertyId.SharedSubscriptionAvailable:
                properties.SharedSubscriptionAvailable = ReadFlag(ref reader, id, offset);
                break;
            default:
                ThrowHelper.ThrowMalformed($"unknown property identifier 0x{(byte)id:X2}", reader.Buffer, offset);
                break;
        }
    }

    /// <summary>The Byte properties are all 0/1 flags except nothing; a 2+ value is a Protocol Error.</summary>
    private static byte ReadFlag(ref MqttWireReader reader, MqttPropertyId id, int offset)
    {
        var value = reader.ReadByte();
        if (value > 1)
        {
            ThrowHelper.ThrowProtocolError($"property {id} must be 0 or 1, was {value}", reader.Buffer, offset);
        }

        return value;
    }

    private static int Check(MqttPropertyId id, MqttPropertyContext context, int size)
    {
        if ((AllowedIn(id) & context) == 0)
        {
            throw new ArgumentException($"property {id} is not allowed in a {context} packet (MQTT 5 §2.2.2.2)");
        }

        return size;
    }

    private static void WriteByteProperty(ref MqttWireWriter writer, MqttPropertyId id, byte value)
    {
        writer.WriteByte((byte)id);
        writer.WriteByte(value);
    }

    private static void WriteUInt16Property(ref MqttWireWriter writer, MqttPropertyId id, ushort value)
    {
        writer.WriteByte((byte)id);
        writer.WriteUInt16(value);
    }

    private static void WriteUInt32Property(ref MqttWireWriter writer, MqttPropertyId id, uint value)
    {
        writer.WriteByte((byte)id);
        writer.WriteUInt32(value);
    }

    private static void WriteStringProperty(ref MqttWireWriter writer, MqttPropertyId id, string value)
    {
        writer.WriteByte((byte)id);
        writer.WriteString(value);
    }
}
