using System.Buffers.Binary;

namespace Ingest.Pipeline.Simulation.InfiniTime;

/// <summary>
/// Writes InfiniTime Motion service notifications (protocols.md §4.9): raw motion (3 × int16 LE, 1 g = 1024) and
/// the step count (u32 LE). Returns the bytes written.
/// </summary>
public static class InfiniTimeFrameEncoder
{
    /// <summary>Raw motion frame length.</summary>
    public const int MotionFrameSize = 6;

    /// <summary>Step count frame length.</summary>
    public const int StepsFrameSize = 4;

    /// <summary>Raw motion values x, y, z (1024 per g).</summary>
    public static int EncodeMotion(Span<byte> destination, short x, short y, short z)
    {
        BinaryPrimitives.WriteInt16LittleEndian(destination[..2], x);
        BinaryPrimitives.WriteInt16LittleEndian(destination.Slice(2, 2), y);
        BinaryPrimitives.WriteInt16LittleEndian(destination.Slice(4, 2), z);
        return MotionFrameSize;
    }

    /// <summary>Steps counted today.</summary>
    public static int EncodeSteps(Span<byte> destination, uint steps)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(destination[..StepsFrameSize], steps);
        return StepsFrameSize;
    }
}
