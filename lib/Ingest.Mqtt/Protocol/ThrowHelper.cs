using System.Diagnostics.CodeAnalysis;

namespace Ingest.Mqtt.Protocol;

/// <summary>The one place <see cref="MqttProtocolException"/> is thrown (style.md §4).</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowMalformed(string message, ReadOnlySpan<byte> input = default, int offset = -1)
    {
        throw Create(message, MqttReasonCode.MalformedPacket, input, offset);
    }

    [DoesNotReturn]
    public static void ThrowProtocolError(string message, ReadOnlySpan<byte> input = default, int offset = -1)
    {
        throw Create(message, MqttReasonCode.ProtocolError, input, offset);
    }

    [DoesNotReturn]
    public static void Throw(string message, MqttReasonCode reasonCode, ReadOnlySpan<byte> input = default, int offset = -1)
    {
        throw Create(message, reasonCode, input, offset);
    }

    [DoesNotReturn]
    public static T Throw<T>(string message, MqttReasonCode reasonCode, ReadOnlySpan<byte> input = default, int offset = -1)
    {
        throw Create(message, reasonCode, input, offset);
    }

    private static MqttProtocolException Create(string message, MqttReasonCode reasonCode, ReadOnlySpan<byte> input, int offset)
    {
        var excerpt = string.Empty;
        if (offset >= 0 && offset <= input.Length)
        {
            var length = Math.Min(MqttLimits.ExceptionHexExcerptLength, input.Length - offset);
            excerpt = Convert.ToHexString(input.Slice(offset, length));
        }

        return new MqttProtocolException(message, reasonCode, offset, excerpt);
    }
}
