using System.Buffers.Binary;
using Ingest.Pipeline.Decoding.Sig;

namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>Writes Heart Rate Measurement (0x2A37) notifications (HRS 1.0), the inverse of <see cref="HeartRateMeasurementDecoder"/>.</summary>
public static class HeartRateMeasurementEncoder
{
    /// <summary>Bytes <paramref name="measurement"/> takes on the wire.</summary>
    public static int GetLength(in HeartRateMeasurement measurement) =>
        1 + (measurement.HeartRateUInt16 ? 2 : 1) + (measurement.EnergyExpended.HasValue ? 2 : 0) + (2 * measurement.RrIntervals.Length);

    /// <summary>Writes <paramref name="measurement"/> to <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(in HeartRateMeasurement measurement, Span<byte> destination)
    {
        if (!measurement.HeartRateUInt16 && measurement.HeartRate > byte.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(measurement), $"heart rate {measurement.HeartRate} needs the uint16 format");
        }

        if (measurement.SensorContact > 3)
        {
            throw new ArgumentOutOfRangeException(nameof(measurement), $"sensor contact status {measurement.SensorContact} is not 2 bits");
        }

        var length = GetLength(measurement);
        EncoderGuard.Room(destination, length);
        var rr = measurement.RrIntervals.Span;
        var flags = (measurement.HeartRateUInt16 ? HeartRateMeasurementDecoder.HeartRateUInt16Flag : 0)
            | (measurement.SensorContact << 1)
            | (measurement.EnergyExpended.HasValue ? HeartRateMeasurementDecoder.EnergyExpendedFlag : 0)
            | (rr.IsEmpty ? 0 : HeartRateMeasurementDecoder.RrIntervalFlag);
        destination[0] = (byte)flags;
        var offset = 1;
        if (measurement.HeartRateUInt16)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], measurement.HeartRate);
            offset += 2;
        }
        else
        {
            destination[offset++] = (byte)measurement.HeartRate;
        }

        if (measurement.EnergyExpended is { } energy)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], energy);
            offset += 2;
        }

        foreach (var interval in rr)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], interval);
            offset += 2;
        }

        return offset;
    }
}
