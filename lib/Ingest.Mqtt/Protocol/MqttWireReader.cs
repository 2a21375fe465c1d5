using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;

namespace Ingest.Mqtt.Protocol;

/// <summary>
/// Reads MQTT data types (MQTT 5 §1.5, big-endian) from one packet body. Every read is bounds-checked and a
/// short body throws <see cref="MqttProtocolException"/> (Malformed Packet): the frame is complete by the time
/// a body is decoded, so running out of bytes means the peer lied about a length.
/// </summary>
internal ref struct MqttWireReader
{
    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public MqttWireReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _buffer.Length - _position;

    public readonly bool End => _position >= _buffer.Length;

    public readonly ReadOnlySpan<byte> Buffer => _buffer;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte ReadByte()
    {
        if ((uint)_position >= (uint)_buffer.Length)
        {
            ThrowTruncated(1);
        }

        return _buffer[_position++];
    }

    public ushort ReadUInt16()
    {
        if (Remaining < 2)
        {
            ThrowTruncated(2);
        }

        var value = BinaryPrimitives.ReadUInt16BigEndian(_buffer.Slice(_position, 2));
        _position += 2;
        return value;
    }

    public uint ReadUInt32()
    {
        if (Remaining < 4)
        {
            ThrowTruncated(4);
        }

        var value = BinaryPrimitives.ReadUInt32BigEndian(_buffer.Slice(_position, 4));
        _position += 4;
        return value;
    }

    /// <summary>MQTT 5 §1.5.5: 1–4 bytes, least significant group first, minimal encoding required.</summary>
    public int ReadVariableByteInteger()
    {
        var start = _position;
        var status = MqttVariableByteInteger.TryRead(_buffer.Slice(_position), out var value, out var consumed);
        if (status == System.Buffers.OperationStatus.NeedMoreData)
        {
            ThrowTruncated(1);
        }

        if (status != System.Buffers.OperationStatus.Done)
        {
            ThrowHelper.ThrowMalformed("invalid Variable Byte Integer", _buffer, start);
        }

        _position += consumed;
        return value;
    }

    /// <summary>Returns the bytes of a length-prefixed field (Binary Data or the raw bytes of a UTF-8 string).</summary>
    public ReadOnlySpan<byte> ReadBinarySpan()
    {
        int length = ReadUInt16();
        if (Remaining < length)
        {
            ThrowTruncated(length);
        }

        var span = _buffer.Slice(_position, length);
        _position += length;
        return span;
    }

    /// <summary>Reads and validates a UTF-8 Encoded String (MQTT 5 §1.5.4), returning its bytes.</summary>
    public ReadOnlySpan<byte> ReadUtf8Span()
    {
        var start = _position;
        var span = ReadBinarySpan();
        ValidateUtf8(span, _buffer, start);
        return span;
    }

    public string ReadString()
    {
        var span = ReadUtf8Span();
        return span.IsEmpty ? string.Empty : Encoding.UTF8.GetString(span);
    }

    public byte[] ReadBinary() => ReadBinarySpan().ToArray();

    public ReadOnlySpan<byte> ReadRest()
    {
        var span = _buffer.Slice(_position);
        _position = _buffer.Length;
        return span;
    }

    public ReadOnlySpan<byte> ReadSpan(int length)
    {
        if (length < 0 || Remaining < length)
        {
            ThrowTruncated(length);
        }

        var span = _buffer.Slice(_position, length);
        _position += length;
        return span;
    }

    /// <summary>MQTT 5 §1.5.4: well-formed UTF-8, no U+0000; surrogates cannot occur in well-formed UTF-8.</summary>
    public static void ValidateUtf8(ReadOnlySpan<byte> value, ReadOnlySpan<byte> packet, int offset)
    {
        if (!Utf8.IsValid(value))
        {
            ThrowHelper.ThrowMalformed("UTF-8 string is not well-formed", packet, offset);
        }

        if (value.Contains((byte)0))
        {
            ThrowHelper.ThrowMalformed("UTF-8 string contains U+0000", packet, offset);
        }
    }

    private readonly void ThrowTruncated(int wanted)
    {
        ThrowHelper.ThrowMalformed($"packet body ends early: wanted {wanted} more byte(s), {Remaining} left", _buffer, _position);
    }
}
