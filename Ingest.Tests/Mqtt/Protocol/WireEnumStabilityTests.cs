using Ingest.Mqtt.Protocol;

namespace Ingest.Tests.Mqtt.Protocol;

/// <summary>Wire enum values are frozen: renumbering one would silently corrupt the wire.</summary>
public sealed class WireEnumStabilityTests
{
    [Fact]
    public void MqttPacketType_Values_AreFrozen()
    {
        Assert.Equal(
            "Reserved=0 Connect=1 ConnAck=2 Publish=3 PubAck=4 PubRec=5 PubRel=6 PubComp=7 Subscribe=8 SubAck=9 Unsubscribe=10 UnsubAck=11 PingReq=12 PingResp=13 Disconnect=14 Auth=15",
            Describe<MqttPacketType>());
    }

    [Fact]
    public void MqttPropertyId_Values_AreFrozen()
    {
        Assert.Equal(
            "PayloadFormatIndicator=1 MessageExpiryInterval=2 ContentType=3 ResponseTopic=8 CorrelationData=9 SubscriptionIdentifier=11 " +
            "SessionExpiryInterval=17 AssignedClientIdentifier=18 ServerKeepAlive=19 AuthenticationMethod=21 AuthenticationData=22 " +
            "RequestProblemInformation=23 WillDelayInterval=24 RequestResponseInformation=25 ResponseInformation=26 ServerReference=28 " +
            "ReasonString=31 ReceiveMaximum=33 TopicAliasMaximum=34 TopicAlias=35 MaximumQoS=36 RetainAvailable=37 UserProperty=38 " +
            "MaximumPacketSize=39 WildcardSubscriptionAvailable=40 SubscriptionIdentifierAvailable=41 SharedSubscriptionAvailable=42",
            Describe<MqttPropertyId>());
    }

    [Fact]
    public void MqttReasonCode_Values_AreFrozen()
    {
        Assert.Equal(
            "Success=0 NormalDisconnection=0 GrantedQoS0=0 GrantedQoS1=1 GrantedQoS2=2 DisconnectWithWillMessage=4 NoMatchingSubscribers=16 NoSubscriptionExisted=17 " +
            "ContinueAuthentication=24 ReAuthenticate=25 UnspecifiedError=128 MalformedPacket=129 ProtocolError=130 " +
            "ImplementationSpecificError=131 UnsupportedProtocolVersion=132 ClientIdentifierNotValid=133 BadUserNameOrPassword=134 " +
            "NotAuthorized=135 ServerUnavailable=136 ServerBusy=137 Banned=138 ServerShuttingDown=139 BadAuthenticationMethod=140 " +
            "KeepAliveTimeout=141 SessionTakenOver=142 TopicFilterInvalid=143 TopicNameInvalid=144 PacketIdentifierInUse=145 " +
            "PacketIdentifierNotFound=146 ReceiveMaximumExceeded=147 TopicAliasInvalid=148 PacketTooLarge=149 MessageRateTooHigh=150 " +
            "QuotaExceeded=151 AdministrativeAction=152 PayloadFormatInvalid=153 RetainNotSupported=154 QoSNotSupported=155 " +
            "UseAnotherServer=156 ServerMoved=157 SharedSubscriptionsNotSupported=158 ConnectionRateExceeded=159 MaximumConnectTime=160 " +
            "SubscriptionIdentifiersNotSupported=161 WildcardSubscriptionsNotSupported=162",
            string.Join(" ", Enum.GetNames<MqttReasonCode>().OrderBy(n => (byte)Enum.Parse<MqttReasonCode>(n))
                .ThenBy(n => n switch { "Success" => 0, "NormalDisconnection" => 1, _ => 2 })
                .Select(n => $"{n}={(byte)Enum.Parse<MqttReasonCode>(n)}")));
    }

    [Fact]
    public void SmallEnums_Values_AreFrozen()
    {
        Assert.Equal("AtMostOnce=0 AtLeastOnce=1 ExactlyOnce=2", Describe<MqttQualityOfService>());
        Assert.Equal("Unknown=0 V311=4 V500=5", Describe<MqttProtocolVersion>());
        Assert.Equal("SendAtSubscribe=0 SendIfNewSubscription=1 DoNotSend=2", Describe<MqttRetainHandling>());
    }

    private static string Describe<T>()
        where T : struct, Enum
        => string.Join(" ", Enum.GetNames<T>().Select(n => $"{n}={Convert.ToInt32(Enum.Parse<T>(n), System.Globalization.CultureInfo.InvariantCulture)}"));
}
