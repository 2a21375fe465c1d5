using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt.Internal;

/// <summary>A SUBSCRIBE or UNSUBSCRIBE waiting for its SUBACK/UNSUBACK (not a hot path, so a plain TaskCompletionSource).</summary>
internal sealed class RequestOperation : TaskCompletionSource<MqttPacket>
{
    public RequestOperation(MqttPacketType expected)
        : base(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        Expected = expected;
    }

    public MqttPacketType Expected { get; }

    public ushort PacketId { get; set; }
}
