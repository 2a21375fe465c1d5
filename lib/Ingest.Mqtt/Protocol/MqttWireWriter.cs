using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace Ingest.Mqtt.Protocol;

/// <summary>
/// Writes MQTT data types into a span sized exactly by the encoder's measuring pass. Running past the end is an
/// encoder bug, so the span indexer's own bounds check is the guard.
/// </summary>
internal ref struct MqttWireWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public MqttWireWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        _buffer[_position++] = value;
    }

    public void WriteUInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(_position, 2), value);
        _position += 2;
    }

    public void WriteUInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.Slice(_position, 4), value);
        _position += 4;
    }

    public void WriteVariableByteInteger(int value)
    {
        _position += MqttVariableByteInteger.Write(_buffer.Slice(_position), value);
    }

    /// <summary>A UTF-8 string whose byte count the measuring pass already validated (≤ 65,535).</summary>
    public void WriteString(string value)
    {
        var span = _buffer.Slice(_position + 2);
        var written = Encoding.UTF8.GetBytes(value, span);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.Slice(_position, 2), (ushort)written);
        _position += 2 + written;
    }

    public void WriteBinary(ReadOnlySpan<byte> value)
    {
        WriteUInt16((ushort)value.Length);
        WriteBytes(value);
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_buffer.Slice(_position));
        _position += value.Length;
    }

    /// <summary>Encoded size of a UTF-8 string field (2 + bytes), checking the 65,535-byte limit.</summary>
    public static int MeasureString(string value, string what)
    {
        ArgumentNullException.ThrowIfNull(value, what);
        var count = value.Length == 0 ? 0 : Encoding.UTF8.GetByteCount(value);
        if (count > MqttLimits.MaxStringLength)
        {
            throw new ArgumentException($"{what} is {count} bytes of UTF-8; MQTT strings hold at most {MqttLimits.MaxStringLength}", what);
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"{what} contains U+0000, which MQTT forbids (MQTT 5 §1.5.4)", what);
        }

        return 2 + count;
    }

    /// <summary>Encoded size of a Binary Data field (2 + bytes), checking the 65,535-byte limit.</summary>
    public static int MeasureBinary(int length, string what)
    {
        if (length > MqttLimits.MaxStringLength)
        {
            throw new ArgumentException($"{what} is {length} bytes; MQTT Binary Data holds at most {MqttLimits.MaxStringLength}", what);
        }

        return 2 + length;
    }
}
