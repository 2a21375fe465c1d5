using System.Buffers;
using System.Runtime.CompilerServices;

namespace Ingest.Mqtt.Protocol;

/// <summary>The Variable Byte Integer of MQTT 5 §1.5.5 (also the Remaining Length of §2.1.4).</summary>
public static class MqttVariableByteInteger
{
    /// <summary>How many bytes <paramref name="value"/> takes when minimally encoded (1–4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int GetLength(int value)
    {
        if ((uint)value > MqttLimits.MaxVariableByteInteger)
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "larger than the MQTT Variable Byte Integer maximum 268,435,455");
        }

        return value < 128 ? 1 : value < 16_384 ? 2 : value < 2_097_152 ? 3 : 4;
    }

    /// <summary>Writes <paramref name="value"/> minimally encoded; returns the bytes written.</summary>
    public static int Write(Span<byte> destination, int value)
    {
        var length = GetLength(value);
        if (destination.Length < length)
        {
            throw new ArgumentException("destination too small for the Variable Byte Integer", nameof(destination));
        }

        var x = (uint)value;
        var i = 0;
        do
        {
            var digit = (byte)(x & 0x7F);
            x >>= 7;
            if (x > 0)
            {
                digit |= 0x80;
            }

            destination[i++] = digit;
        }
        while (x > 0);
        return i;
    }

    /// <summary>
    /// Reads a Variable Byte Integer. <see cref="OperationStatus.NeedMoreData"/> when <paramref name="source"/>
    /// ends inside it; <see cref="OperationStatus.InvalidData"/> for a fifth byte or a non-minimal encoding
    /// (MQTT 5 §1.5.5 [MQTT-1.5.5-1]).
    /// </summary>
    public static OperationStatus TryRead(ReadOnlySpan<byte> source, out int value, out int consumed)
    {
        value = 0;
        consumed = 0;
        var multiplier = 0;
        for (var i = 0; i < MqttLimits.MaxVariableByteIntegerLength; i++)
        {
            if (i >= source.Length)
            {
                return OperationStatus.NeedMoreData;
            }

            var b = source[i];
            value |= (b & 0x7F) << multiplier;
            multiplier += 7;
            if ((b & 0x80) == 0)
            {
                // A last byte of 0 after the first byte means the encoding was not minimal (e.g. 80 00).
                if (b == 0 && i > 0)
                {
                    value = 0;
                    return OperationStatus.InvalidData;
                }

                consumed = i + 1;
                return OperationStatus.Done;
            }
        }

        value = 0;
        return OperationStatus.InvalidData;
    }
}
