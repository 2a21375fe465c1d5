using System.Buffers.Binary;
using Ingest.Pipeline.Decoding.Sig;

namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>Writes CSC Measurement (0x2A5B) notifications (CSCS 1.0), the inverse of <see cref="CscMeasurementDecoder"/>.</summary>
public static class CscMeasurementEncoder
{
    /// <summary>Bytes <paramref name="measurement"/> takes on the wire.</summary>
    public static int GetLength(in CscMeasurement measurement) =>
        1 + (measurement.WheelRevolutions.HasValue ? 6 : 0) + (measurement.CrankRevolutions.HasValue ? 4 : 0);

    /// <summary>Writes <paramref name="measurement"/>; returns the bytes written.</summary>
    public static int Encode(in CscMeasurement measurement, Span<byte> destination)
    {
        var length = GetLength(measurement);
        EncoderGuard.Room(destination, length);
        destination[0] = (byte)((measurement.WheelRevolutions.HasValue ? CscMeasurementDecoder.WheelDataFlag : 0)
            | (measurement.CrankRevolutions.HasValue ? CscMeasurementDecoder.CrankDataFlag : 0));
        var offset = 1;
        if (measurement.WheelRevolutions is { } wheel)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], wheel);
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(offset + 4)..], measurement.WheelEventTime);
            offset += 6;
        }

        if (measurement.CrankRevolutions is { } crank)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], crank);
            BinaryPrimitives.WriteUInt16LittleEndian(destination[(offset + 2)..], measurement.CrankEventTime);
            offset += 4;
        }

        return offset;
    }
}
