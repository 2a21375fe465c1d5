using System.Buffers;
using Ingest.Mqtt.Protocol;

namespace Ingest.Tests.Mqtt.Protocol;

/// <summary>
/// Every packet type, both directions: the encoder produces exactly the golden bytes, and the decoder turns the
/// golden bytes into exactly the expected packet. Vectors live in TestData/Mqtt/*.hex with a comment line each.
/// </summary>
public sealed class GoldenVectorTests
{
    private const MqttProtocolVersion V5 = MqttProtocolVersion.V500;
    private const MqttProtocolVersion V311 = MqttProtocolVersion.V311;

    private static readonly Dictionary<string, (MqttProtocolVersion Version, Func<MqttPacket> Expected, bool EncodeToo)> s_vectors = new()
    {
        ["connect-v5-minimal"] = (V5, () => new MqttConnectPacket { ClientId = "hub-1", CleanStart = true, KeepAliveSeconds = 60 }, true),
        ["connect-v5-full"] = (V5, () => new MqttConnectPacket
        {
            ClientId = "c",
            KeepAliveSeconds = 30,
            UserName = "alice",
            Password = "s3cret"u8.ToArray(),
            Will = new MqttWillMessage
            {
                Topic = "hub/status",
                Payload = "offline"u8.ToArray(),
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                Retain = true,
                Properties = new MqttProperties { WillDelayInterval = 5 },
            },
            Properties = new MqttProperties { SessionExpiryInterval = 3600, ReceiveMaximum = 16, MaximumPacketSize = 1024 * 1024 },
        }, true),
        ["connect-v311"] = (V311, () => new MqttConnectPacket
        {
            ProtocolVersion = V311,
            ClientId = "hub-1",
            CleanStart = true,
            KeepAliveSeconds = 60,
            UserName = "bob",
            Password = "hunter2"u8.ToArray(),
        }, true),
        ["connack-v5-mosquitto"] = (V5, () => new MqttConnAckPacket
        {
            ReasonCode = MqttReasonCode.Success,
            Properties = new MqttProperties { TopicAliasMaximum = 10, ReceiveMaximum = 20 },
        }, false),
        ["connack-v5-limits"] = (V5, () => new MqttConnAckPacket
        {
            SessionPresent = true,
            Properties = new MqttProperties
            {
                ServerKeepAlive = 30,
                ReceiveMaximum = 2,
                MaximumQoS = 1,
                RetainAvailable = 0,
                MaximumPacketSize = 256,
                SharedSubscriptionAvailable = 0,
            },
        }, true),
        ["connack-v5-refused"] = (V5, () => new MqttConnAckPacket { ReasonCode = MqttReasonCode.BadUserNameOrPassword, RawReasonCode = 0x86 }, true),
        ["connack-v311"] = (V311, () => new MqttConnAckPacket { SessionPresent = true, IsVersion311Form = true }, true),
        ["connack-v311-unacceptable"] = (V5, () => new MqttConnAckPacket
        {
            ReasonCode = MqttReasonCode.UnsupportedProtocolVersion,
            RawReasonCode = 1,
            IsVersion311Form = true,
        }, true),
        ["publish-v5-qos0"] = (V5, () => new MqttPublishPacket { Topic = "a/b", Payload = "hi"u8.ToArray() }, true),
        ["publish-v5-qos1-props"] = (V5, () =>
        {
            var properties = new MqttProperties
            {
                PayloadFormatIndicator = 0,
                MessageExpiryInterval = 60,
                ContentType = "application/vnd.apache.arrow.stream",
                ResponseTopic = "r",
                CorrelationData = new byte[] { 1, 2 },
            };
            properties.UserProperties.Add(new MqttUserProperty("k", "v"));
            return new MqttPublishPacket
            {
                Topic = "t",
                PacketId = 10,
                QualityOfService = MqttQualityOfService.AtLeastOnce,
                Properties = properties,
                Payload = new byte[] { 0xDE, 0xAD, 0xBE },
            };
        }, true),
        ["publish-v5-qos2-dup-retain-alias"] = (V5, () => new MqttPublishPacket
        {
            Topic = string.Empty,
            PacketId = 0x1234,
            QualityOfService = MqttQualityOfService.ExactlyOnce,
            Retain = true,
            Duplicate = true,
            Properties = new MqttProperties { TopicAlias = 3 },
        }, true),
        ["publish-v5-long"] = (V5, () => new MqttPublishPacket { Topic = "x", Payload = Enumerable.Repeat((byte)0xAA, 200).ToArray() }, true),
        ["publish-v311-qos1"] = (V311, () => new MqttPublishPacket
        {
            Topic = "a/b",
            PacketId = 7,
            QualityOfService = MqttQualityOfService.AtLeastOnce,
            Payload = "xyz"u8.ToArray(),
        }, true),
        ["puback-v5-short"] = (V5, () => new MqttAckPacket(MqttPacketType.PubAck) { PacketId = 1 }, true),
        ["puback-v5-nomatch"] = (V5, () => new MqttAckPacket(MqttPacketType.PubAck) { PacketId = 1, ReasonCode = MqttReasonCode.NoMatchingSubscribers }, true),
        ["puback-v5-props"] = (V5, () => new MqttAckPacket(MqttPacketType.PubAck)
        {
            PacketId = 5,
            ReasonCode = MqttReasonCode.NotAuthorized,
            Properties = new MqttProperties { ReasonString = "denied" },
        }, true),
        ["pubrec-v5-short"] = (V5, () => new MqttAckPacket(MqttPacketType.PubRec) { PacketId = 2 }, true),
        ["pubrel-v5"] = (V5, () => new MqttAckPacket(MqttPacketType.PubRel) { PacketId = 2 }, true),
        ["pubrel-v5-notfound"] = (V5, () => new MqttAckPacket(MqttPacketType.PubRel) { PacketId = 2, ReasonCode = MqttReasonCode.PacketIdentifierNotFound }, true),
        ["pubcomp-v5"] = (V5, () => new MqttAckPacket(MqttPacketType.PubComp) { PacketId = 2 }, true),
        ["puback-v311"] = (V311, () => new MqttAckPacket(MqttPacketType.PubAck) { PacketId = 7 }, true),
        ["subscribe-v5"] = (V5, () =>
        {
            var properties = new MqttProperties();
            properties.SubscriptionIdentifiers.Add(5);
            return new MqttSubscribePacket
            {
                PacketId = 1,
                Properties = properties,
                Subscriptions =
                [
                    new MqttSubscription { TopicFilter = "$share/g/hub/+/receipts", MaximumQoS = MqttQualityOfService.AtLeastOnce, RetainHandling = MqttRetainHandling.DoNotSend },
                    new MqttSubscription { TopicFilter = "hub/#", MaximumQoS = MqttQualityOfService.ExactlyOnce, NoLocal = true, RetainAsPublished = true },
                ],
            };
        }, true),
        ["subscribe-v311"] = (V311, () => new MqttSubscribePacket
        {
            PacketId = 2,
            Subscriptions = [new MqttSubscription { TopicFilter = "a/+", MaximumQoS = MqttQualityOfService.AtLeastOnce }],
        }, true),
        ["suback-v5"] = (V5, () => new MqttSubAckPacket { PacketId = 1, ReasonCodes = [MqttReasonCode.GrantedQoS1, MqttReasonCode.GrantedQoS2] }, true),
        ["suback-v5-failure"] = (V5, () => new MqttSubAckPacket
        {
            PacketId = 1,
            ReasonCodes = [MqttReasonCode.SharedSubscriptionsNotSupported],
            Properties = new MqttProperties { ReasonString = "no" },
        }, true),
        ["suback-v311"] = (V311, () => new MqttSubAckPacket { PacketId = 2, ReasonCodes = [MqttReasonCode.GrantedQoS1, MqttReasonCode.UnspecifiedError] }, true),
        ["unsubscribe-v5"] = (V5, () => new MqttUnsubscribePacket { PacketId = 3, TopicFilters = ["a/b"] }, true),
        ["unsubscribe-v311"] = (V311, () => new MqttUnsubscribePacket { PacketId = 3, TopicFilters = ["a/b"] }, true),
        ["unsuback-v5"] = (V5, () => new MqttUnsubAckPacket { PacketId = 3, ReasonCodes = [MqttReasonCode.Success, MqttReasonCode.NoSubscriptionExisted] }, true),
        ["unsuback-v311"] = (V311, () => new MqttUnsubAckPacket { PacketId = 3 }, true),
        ["pingreq"] = (V5, () => MqttPingReqPacket.Instance, true),
        ["pingresp"] = (V5, () => MqttPingRespPacket.Instance, true),
        ["disconnect-v5-normal"] = (V5, () => new MqttDisconnectPacket(), true),
        ["disconnect-v5-will"] = (V5, () => new MqttDisconnectPacket { ReasonCode = MqttReasonCode.DisconnectWithWillMessage }, true),
        ["disconnect-v5-server"] = (V5, () => new MqttDisconnectPacket
        {
            ReasonCode = MqttReasonCode.ServerShuttingDown,
            Properties = new MqttProperties { ReasonString = "bye" },
        }, true),
        ["disconnect-v5-session-expiry"] = (V5, () => new MqttDisconnectPacket { Properties = new MqttProperties { SessionExpiryInterval = 0 } }, true),
        ["disconnect-v311"] = (V311, () => new MqttDisconnectPacket(), true),
        ["auth-v5"] = (V5, () => new MqttAuthPacket
        {
            ReasonCode = MqttReasonCode.ContinueAuthentication,
            Properties = new MqttProperties { AuthenticationMethod = "SCRAM", AuthenticationData = new byte[] { 1, 2 } },
        }, true),
    };

    public static TheoryData<string> Names => new(s_vectors.Keys);

    public static TheoryData<string> EncodableNames => new(s_vectors.Where(v => v.Value.EncodeToo).Select(v => v.Key));

    [Fact]
    public void Vectors_EveryFileHasAnExpectation()
    {
        var files = Directory.GetFiles(HexVector.Directory, "*.hex").Select(Path.GetFileNameWithoutExtension).Order().ToArray();
        Assert.Equal(s_vectors.Keys.Order().ToArray(), files);
    }

    [Fact]
    public void Vectors_CoverEveryPacketTypeInBothVersions()
    {
        var covered = s_vectors.Values.Select(v => (v.Expected().PacketType, v.Version == V5 || v.Expected() is MqttPingReqPacket or MqttPingRespPacket)).ToHashSet();
        foreach (var type in Enum.GetValues<MqttPacketType>().Where(t => t != MqttPacketType.Reserved))
        {
            Assert.Contains((type, true), covered);
        }
    }

    [Theory]
    [MemberData(nameof(EncodableNames))]
    public void Encode_Packet_MatchesGoldenBytes(string name)
    {
        var (version, expected, _) = s_vectors[name];
        var golden = HexVector.Load(name);
        var output = new ArrayBufferWriter<byte>();
        var written = MqttPacketEncoder.Encode(output, expected(), version);
        Assert.Equal(Convert.ToHexString(golden), Convert.ToHexString(output.WrittenSpan));
        Assert.Equal(golden.Length, written);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Decode_GoldenBytes_YieldsExpectedPacket(string name)
    {
        var (version, expected, _) = s_vectors[name];
        var golden = HexVector.Load(name);
        var decoded = MqttPacketDecoder.Decode(golden, version);
        var want = expected();
        Assert.Equal(PacketDescriber.Describe(want), PacketDescriber.Describe(decoded));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void TryReadFixedHeader_SplitAnywhere_NeedsMoreDataUntilComplete(string name)
    {
        var golden = HexVector.Load(name);
        for (var cut = 0; cut < golden.Length; cut++)
        {
            Assert.Equal(OperationStatus.NeedMoreData, MqttPacketDecoder.TryReadFixedHeader(golden.AsSpan(0, cut), MqttLimits.MaxPacketSize, out _));
        }

        Assert.Equal(OperationStatus.Done, MqttPacketDecoder.TryReadFixedHeader(golden, MqttLimits.MaxPacketSize, out var header));
        Assert.Equal(golden.Length, header.PacketLength);
    }

    [Fact]
    public void DecodeAck_ShortForms_AllocateNoProperties()
    {
        MqttPacketDecoder.DecodeAck(HexVector.Load("puback-v5-nomatch").AsSpan(2), MqttProtocolVersion.V500, out var id, out var reason, out var properties);
        Assert.Equal(1, id);
        Assert.Equal(MqttReasonCode.NoMatchingSubscribers, reason);
        Assert.Null(properties);
    }
}
