using System.Buffers.Binary;
using Ingest.Pipeline.Decoding.Sig;

namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>Writes RSC Measurement (0x2A53) notifications (RSCS 1.0), the inverse of <see cref="RscMeasurementDecoder"/>.</summary>
public static class RscMeasurementEncoder
{
    /// <summary>Bytes <paramref name="measurement"/> takes on the wire.</summary>
    public static int GetLength(in RscMeasurement measurement) =>
        4 + (measurement.StrideLength.HasValue ? 2 : 0) + (measurement.TotalDistance.HasValue ? 4 : 0);

    /// <summary>Writes <paramref name="measurement"/>; returns the bytes written.</summary>
    public static int Encode(in RscMeasurement measurement, Span<byte> destination)
    {
        var length = GetLength(measurement);
        EncoderGuard.Room(destination, length);
        destination[0] = (byte)((measurement.StrideLength.HasValue ? RscMeasurementDecoder.StrideLengthFlag : 0)
            | (measurement.TotalDistance.HasValue ? RscMeasurementDecoder.TotalDistanceFlag : 0)
            | (measurement.Running ? RscMeasurementDecoder.RunningFlag : 0));
        BinaryPrimitives.WriteUInt16LittleEndian(destination[1..], measurement.Speed);
        destination[3] = measurement.Cadence;
        var offset = 4;
        if (measurement.StrideLength is { } stride)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], stride);
            offset += 2;
        }

        if (measurement.TotalDistance is { } distance)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination[offset..], distance);
            offset += 4;
        }

        return offset;
    }
}
