using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Decoding.FixedLayout;

/// <summary>
/// The declarative <c>fixed-layout</c> decoder: simple vendor frames described in the profile (see
/// <see cref="FixedLayoutCompiler"/> for the settings), compiled once to a flat <see cref="FixedLayoutProgram"/> and
/// run as a tight loop with no per-frame allocation. Header fields are read once per frame; a repeated sample group
/// gives one row per repetition (to the end of the frame or a count field's value times) and header values repeat
/// on every row. A field whose flag bit is clear reads no bytes and is null. Rejections: a field running past the
/// end (<see cref="RejectReason.Truncated"/>), bytes after the last field or after <c>count</c> repetitions
/// (<see cref="RejectReason.TrailingBytes"/>), more than <see cref="DecodeLimits.MaxSamplesPerFrame"/> rows
/// (<see cref="RejectReason.Oversized"/>). Not thread-safe.
/// </summary>
public sealed class FixedLayoutDecoder : IFrameDecoder
{
    /// <summary>The decoder name profiles use.</summary>
    public const string Name = "fixed-layout";

    private readonly FixedLayoutProgram _program;
    private readonly ulong[] _registers;
    private readonly bool[] _present;

    /// <summary>Creates a decoder running <paramref name="program"/>.</summary>
    public FixedLayoutDecoder(FixedLayoutProgram program)
    {
        ArgumentNullException.ThrowIfNull(program);
        _program = program;
        _registers = new ulong[program.RegisterCount];
        _present = new bool[program.RegisterCount];
    }

    /// <summary>The factory profiles reach this decoder through.</summary>
    public static IDecoderFactory Factory { get; } = new DecoderFactory(
        Name, "Declarative fixed layout: fields, flag-conditional fields and a repeated sample group, described in the profile", [],
        static settings => new FixedLayoutDecoder(FixedLayoutCompiler.Compile(settings)));

    /// <inheritdoc />
    public StreamSchema Schema => _program.Schema;

    /// <inheritdoc />
    public DecodeOutcome Decode(ReadOnlySpan<byte> frame, long hubTimeNs, StreamColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var program = _program;
        var position = 0;
        var header = program.Header;
        for (var i = 0; i < header.Length; i++)
        {
            if (!Read(in header[i], frame, ref position))
            {
                return DecodeOutcome.Truncated(header[i].Name, header[i].Size, frame.Length - position);
            }
        }

        int rows;
        if (!program.HasGroup)
        {
            if (position != frame.Length)
            {
                return TrailingBytes(frame.Length, position, "the last field");
            }

            rows = 1;
        }
        else
        {
            var counted = program.CountRegister >= 0;
            var repetitions = counted ? _registers[program.CountRegister] : 0UL;
            if (repetitions > DecodeLimits.MaxSamplesPerFrame)
            {
                return DecodeOutcome.Reject(RejectReason.Oversized, $"count {repetitions} exceeds {DecodeLimits.MaxSamplesPerFrame} samples per frame");
            }

            var group = program.Group;
            rows = 0;
            while (counted ? (ulong)rows < repetitions : position < frame.Length)
            {
                if (rows == DecodeLimits.MaxSamplesPerFrame)
                {
                    return DecodeOutcome.Reject(RejectReason.Oversized, $"frame holds more than {DecodeLimits.MaxSamplesPerFrame} samples");
                }

                var start = position;
                for (var i = 0; i < group.Length; i++)
                {
                    ref readonly var field = ref group[i];
                    if (!Read(in field, frame, ref position))
                    {
                        return DecodeOutcome.Truncated($"{field.Name} of sample {rows + 1}", field.Size, frame.Length - position);
                    }

                    if (field.Column >= 0)
                    {
                        AppendOne(in field, columns[field.Column]);
                    }
                }

                rows++;
                if (!counted && position == start)
                {
                    // Every field of this repetition was absent: reading on would never end.
                    return DecodeOutcome.Reject(RejectReason.ImpossibleFlags, "a sample group repetition read no bytes (all its fields absent)");
                }
            }

            if (position != frame.Length)
            {
                return TrailingBytes(frame.Length, position, $"{rows} sample(s)");
            }
        }

        for (var i = 0; i < header.Length; i++)
        {
            ref readonly var field = ref header[i];
            if (field.Column >= 0)
            {
                Append(in field, columns[field.Column], rows);
            }
        }

        if (program.PeriodNs > 0 && rows > 0)
        {
            SampleClock.AppendSpread(columns.HubTime, hubTimeNs, rows, program.PeriodNs);
        }
        else
        {
            columns.HubTime.AppendSpan(rows).Fill(hubTimeNs);
        }

        return DecodeOutcome.Accepted;
    }

    /// <inheritdoc />
    public void Reset()
    {
        // Registers are rewritten by every frame before use.
    }

    private static DecodeOutcome TrailingBytes(int length, int position, string after) =>
        DecodeOutcome.Reject(RejectReason.TrailingBytes, $"{length - position} byte(s) remain after {after} (frame is {length} bytes, layout read {position})");

    /// <summary>Reads one field into its register, or marks it absent; false when the frame is too short.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Read(in FixedLayoutInstruction field, ReadOnlySpan<byte> frame, ref int position)
    {
        if (field.ConditionRegister >= 0 && (_registers[field.ConditionRegister] & field.ConditionMask) == 0)
        {
            _present[field.Register] = false;
            return true;
        }

        if (field.Size > frame.Length - position)
        {
            return false;
        }

        _registers[field.Register] = ReadRaw(in field, frame.Slice(position, field.Size));
        _present[field.Register] = true;
        position += field.Size;
        return true;
    }

    /// <summary>The raw bits of a field: integers sign- or zero-extended to 64 bits, floats as their IEEE bits.</summary>
    private static ulong ReadRaw(in FixedLayoutInstruction field, ReadOnlySpan<byte> bytes)
    {
        var big = field.BigEndian;
        return field.WireType switch
        {
            FixedWireType.U8 => bytes[0],
            FixedWireType.I8 => (ulong)(long)(sbyte)bytes[0],
            FixedWireType.U16 => big ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : BinaryPrimitives.ReadUInt16LittleEndian(bytes),
            FixedWireType.I16 => (ulong)(long)(big ? BinaryPrimitives.ReadInt16BigEndian(bytes) : BinaryPrimitives.ReadInt16LittleEndian(bytes)),
            FixedWireType.U24 => ReadU24(bytes, big),
            FixedWireType.I24 => (ulong)(long)((int)(ReadU24(bytes, big) << 8) >> 8),
            FixedWireType.U32 or FixedWireType.F32 => big ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt32LittleEndian(bytes),
            FixedWireType.I32 => (ulong)(long)(big ? BinaryPrimitives.ReadInt32BigEndian(bytes) : BinaryPrimitives.ReadInt32LittleEndian(bytes)),
            _ => big ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes),
        };
    }

    private static uint ReadU24(ReadOnlySpan<byte> bytes, bool bigEndian) => bigEndian
        ? (uint)((bytes[0] << 16) | (bytes[1] << 8) | bytes[2])
        : (uint)(bytes[0] | (bytes[1] << 8) | (bytes[2] << 16));

    /// <summary>Appends the field's current value (or null when absent) <paramref name="count"/> times.</summary>
    private void Append(in FixedLayoutInstruction field, ColumnBuffer column, int count)
    {
        if (!_present[field.Register])
        {
            for (var i = 0; i < count; i++)
            {
                AppendNull(field.ColumnKind, column);
            }

            return;
        }

        // The compiler guaranteed the column holds every wire value: the casts below never truncate.
        var raw = _registers[field.Register];
        switch (field.ColumnKind)
        {
            case ColumnKind.Int8: ((PrimitiveColumnBuffer<sbyte>)column).AppendSpan(count).Fill((sbyte)raw); break;
            case ColumnKind.Int16: ((PrimitiveColumnBuffer<short>)column).AppendSpan(count).Fill((short)raw); break;
            case ColumnKind.Int32: ((PrimitiveColumnBuffer<int>)column).AppendSpan(count).Fill((int)raw); break;
            case ColumnKind.Int64: ((PrimitiveColumnBuffer<long>)column).AppendSpan(count).Fill((long)raw); break;
            case ColumnKind.UInt8: ((PrimitiveColumnBuffer<byte>)column).AppendSpan(count).Fill((byte)raw); break;
            case ColumnKind.UInt16: ((PrimitiveColumnBuffer<ushort>)column).AppendSpan(count).Fill((ushort)raw); break;
            case ColumnKind.UInt32: ((PrimitiveColumnBuffer<uint>)column).AppendSpan(count).Fill((uint)raw); break;
            case ColumnKind.UInt64: ((PrimitiveColumnBuffer<ulong>)column).AppendSpan(count).Fill(raw); break;
            case ColumnKind.Float32: ((PrimitiveColumnBuffer<float>)column).AppendSpan(count).Fill((float)Physical(in field, raw)); break;
            default: ((PrimitiveColumnBuffer<double>)column).AppendSpan(count).Fill(Physical(in field, raw)); break;
        }
    }

    /// <summary>Appends the field's current value (or null when absent) once: the per-sample path, without span overhead.</summary>
    private void AppendOne(in FixedLayoutInstruction field, ColumnBuffer column)
    {
        if (!_present[field.Register])
        {
            AppendNull(field.ColumnKind, column);
            return;
        }

        // The compiler guaranteed the column holds every wire value: the casts below never truncate.
        var raw = _registers[field.Register];
        switch (field.ColumnKind)
        {
            case ColumnKind.Int8: ((PrimitiveColumnBuffer<sbyte>)column).Append((sbyte)raw); break;
            case ColumnKind.Int16: ((PrimitiveColumnBuffer<short>)column).Append((short)raw); break;
            case ColumnKind.Int32: ((PrimitiveColumnBuffer<int>)column).Append((int)raw); break;
            case ColumnKind.Int64: ((PrimitiveColumnBuffer<long>)column).Append((long)raw); break;
            case ColumnKind.UInt8: ((PrimitiveColumnBuffer<byte>)column).Append((byte)raw); break;
            case ColumnKind.UInt16: ((PrimitiveColumnBuffer<ushort>)column).Append((ushort)raw); break;
            case ColumnKind.UInt32: ((PrimitiveColumnBuffer<uint>)column).Append((uint)raw); break;
            case ColumnKind.UInt64: ((PrimitiveColumnBuffer<ulong>)column).Append(raw); break;
            case ColumnKind.Float32: ((PrimitiveColumnBuffer<float>)column).Append((float)Physical(in field, raw)); break;
            default: ((PrimitiveColumnBuffer<double>)column).Append(Physical(in field, raw)); break;
        }
    }

    /// <summary>raw × scale + offset for float columns; a float wire value with scale 1 and offset 0 passes through unchanged.</summary>
    private static double Physical(in FixedLayoutInstruction field, ulong raw)
    {
        var value = field.WireType switch
        {
            FixedWireType.F32 => BitConverter.UInt32BitsToSingle((uint)raw),
            FixedWireType.F64 => BitConverter.UInt64BitsToDouble(raw),
            FixedWireType.I8 or FixedWireType.I16 or FixedWireType.I24 or FixedWireType.I32 or FixedWireType.I64 => (double)(long)raw,
            _ => (double)raw,
        };
        return field.Scale == 1.0 && field.Offset == 0.0 ? value : (value * field.Scale) + field.Offset;
    }

    private static void AppendNull(ColumnKind kind, ColumnBuffer column)
    {
        switch (kind)
        {
            case ColumnKind.Int8: ((PrimitiveColumnBuffer<sbyte>)column).AppendNull(); break;
            case ColumnKind.Int16: ((PrimitiveColumnBuffer<short>)column).AppendNull(); break;
            case ColumnKind.Int32: ((PrimitiveColumnBuffer<int>)column).AppendNull(); break;
            case ColumnKind.Int64: ((PrimitiveColumnBuffer<long>)column).AppendNull(); break;
            case ColumnKind.UInt8: ((PrimitiveColumnBuffer<byte>)column).AppendNull(); break;
            case ColumnKind.UInt16: ((PrimitiveColumnBuffer<ushort>)column).AppendNull(); break;
            case ColumnKind.UInt32: ((PrimitiveColumnBuffer<uint>)column).AppendNull(); break;
            case ColumnKind.UInt64: ((PrimitiveColumnBuffer<ulong>)column).AppendNull(); break;
            case ColumnKind.Float32: ((PrimitiveColumnBuffer<float>)column).AppendNull(); break;
            default: ((PrimitiveColumnBuffer<double>)column).AppendNull(); break;
        }
    }
}
