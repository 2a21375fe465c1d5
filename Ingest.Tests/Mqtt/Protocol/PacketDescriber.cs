using System.Text;
using Ingest.Mqtt.Protocol;

namespace Ingest.Tests.Mqtt.Protocol;

/// <summary>A canonical text form of every field of a packet, so decoded packets can be compared with expected ones.</summary>
internal static class PacketDescriber
{
    public static string Describe(MqttPacket packet)
    {
        var sb = new StringBuilder();
        sb.Append(packet.PacketType).Append(' ');
        switch (packet)
        {
            case MqttConnectPacket c:
                sb.Append($"v={c.ProtocolVersion} id={c.ClientId} clean={c.CleanStart} ka={c.KeepAliveSeconds} user={c.UserName} pass={Hex(c.Password)} ");
                if (c.Will is { } w)
                {
                    sb.Append($"will(topic={w.Topic} payload={Convert.ToHexString(w.Payload.Span)} qos={w.QualityOfService} retain={w.Retain} props={Props(w.Properties)}) ");
                }

                sb.Append("props=").Append(Props(c.Properties));
                break;
            case MqttConnAckPacket c:
                sb.Append($"sp={c.SessionPresent} rc={c.ReasonCode} raw={c.RawReasonCode} v311={c.IsVersion311Form} props={Props(c.Properties)}");
                break;
            case MqttPublishPacket p:
                sb.Append($"topic={p.Topic} id={p.PacketId} qos={p.QualityOfService} retain={p.Retain} dup={p.Duplicate} payload={Convert.ToHexString(p.Payload.Span)} props={Props(p.Properties)}");
                break;
            case MqttAckPacket a:
                sb.Append($"id={a.PacketId} rc={a.ReasonCode} props={Props(a.Properties)}");
                break;
            case MqttSubscribePacket s:
                sb.Append($"id={s.PacketId} subs=[{string.Join(";", s.Subscriptions.Select(x => $"{x.TopicFilter},{x.MaximumQoS},{x.NoLocal},{x.RetainAsPublished},{x.RetainHandling}"))}] props={Props(s.Properties)}");
                break;
            case MqttSubAckPacket s:
                sb.Append($"id={s.PacketId} codes=[{string.Join(",", s.ReasonCodes)}] props={Props(s.Properties)}");
                break;
            case MqttUnsubscribePacket u:
                sb.Append($"id={u.PacketId} filters=[{string.Join(",", u.TopicFilters)}] props={Props(u.Properties)}");
                break;
            case MqttUnsubAckPacket u:
                sb.Append($"id={u.PacketId} codes=[{string.Join(",", u.ReasonCodes)}] props={Props(u.Properties)}");
                break;
            case MqttDisconnectPacket d:
                sb.Append($"rc={d.ReasonCode} props={Props(d.Properties)}");
                break;
            case MqttAuthPacket a:
                sb.Append($"rc={a.ReasonCode} props={Props(a.Properties)}");
                break;
        }

        return sb.ToString();
    }

    private static string Hex(ReadOnlyMemory<byte>? value) => value is { } v ? Convert.ToHexString(v.Span) : "null";

    private static string Props(MqttProperties? p)
    {
        if (p is null)
        {
            return "{}";
        }

        var parts = new List<string>();
        foreach (var property in typeof(MqttProperties).GetProperties())
        {
            var value = property.GetValue(p);
            switch (value)
            {
                case null:
                    continue;
                case ReadOnlyMemory<byte> m:
                    parts.Add($"{property.Name}={Convert.ToHexString(m.Span)}");
                    break;
                case IList<MqttUserProperty> list:
                    if (list.Count > 0)
                    {
                        parts.Add($"{property.Name}=[{string.Join(",", list.Select(x => x.Name + ":" + x.Value))}]");
                    }

                    break;
                case IList<int> ids:
                    if (ids.Count > 0)
                    {
                        parts.Add($"{property.Name}=[{string.Join(",", ids)}]");
                    }

                    break;
                case int when property.Name.EndsWith("Count", StringComparison.Ordinal):
                    break;
                default:
                    parts.Add($"{property.Name}={value}");
                    break;
            }
        }

        return "{" + string.Join(" ", parts) + "}";
    }
}
