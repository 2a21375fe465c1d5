using System.Buffers.Binary;
using Ingest.Pipeline.Decoding.Sig;

namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>Writes Temperature Measurement (0x2A1C) values (HTS 1.0), the inverse of <see cref="TemperatureMeasurementDecoder"/>.</summary>
public static class TemperatureMeasurementEncoder
{
    /// <summary>Bytes <paramref name="measurement"/> takes on the wire.</summary>
    public static int GetLength(in TemperatureMeasurement measurement) =>
        5 + (measurement.TimeStamp.HasValue ? SigDateTimeFields.Size : 0) + (measurement.TemperatureType.HasValue ? 1 : 0);

    /// <summary>Writes <paramref name="measurement"/>; returns the bytes written.</summary>
    public static int Encode(in TemperatureMeasurement measurement, Span<byte> destination)
    {
        var length = GetLength(measurement);
        EncoderGuard.Room(destination, length);
        destination[0] = (byte)((measurement.Fahrenheit ? TemperatureMeasurementDecoder.FahrenheitFlag : 0)
            | (measurement.TimeStamp.HasValue ? TemperatureMeasurementDecoder.TimeStampFlag : 0)
            | (measurement.TemperatureType.HasValue ? TemperatureMeasurementDecoder.TemperatureTypeFlag : 0));
        BinaryPrimitives.WriteUInt32LittleEndian(destination[1..], measurement.Value.Raw);
        var offset = 5;
        if (measurement.TimeStamp is { } timeStamp)
        {
            timeStamp.Write(destination[offset..]);
            offset += SigDateTimeFields.Size;
        }

        if (measurement.TemperatureType is { } type)
        {
            destination[offset++] = type;
        }

        return offset;
    }
}
