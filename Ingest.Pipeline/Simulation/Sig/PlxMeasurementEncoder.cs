using System.Buffers.Binary;
using Ingest.Pipeline.Decoding.Ieee11073;
using Ingest.Pipeline.Decoding.Sig;

namespace Ingest.Pipeline.Simulation.Sig;

/// <summary>
/// Writes PLX Continuous (0x2A5F) and Spot-Check (0x2A5E) measurements (PLXS 1.0), the inverse of
/// <see cref="PlxContinuousMeasurementDecoder"/> and <see cref="PlxSpotCheckMeasurementDecoder"/>.
/// </summary>
public static class PlxMeasurementEncoder
{
    /// <summary>Largest 24-bit Device and Sensor Status.</summary>
    public const uint MaxDeviceSensorStatus = 0xFF_FFFF;

    /// <summary>Bytes <paramref name="measurement"/> takes on the wire.</summary>
    public static int GetLength(in PlxContinuousMeasurement measurement) =>
        5 + (measurement.Fast.HasValue ? 4 : 0) + (measurement.Slow.HasValue ? 4 : 0) + (measurement.MeasurementStatus.HasValue ? 2 : 0)
        + (measurement.DeviceSensorStatus.HasValue ? 3 : 0) + (measurement.PulseAmplitudeIndex.HasValue ? 2 : 0);

    /// <summary>Bytes <paramref name="measurement"/> takes on the wire.</summary>
    public static int GetLength(in PlxSpotCheckMeasurement measurement) =>
        5 + (measurement.Timestamp.HasValue ? SigDateTimeFields.Size : 0) + (measurement.MeasurementStatus.HasValue ? 2 : 0)
        + (measurement.DeviceSensorStatus.HasValue ? 3 : 0) + (measurement.PulseAmplitudeIndex.HasValue ? 2 : 0);

    /// <summary>Writes a continuous measurement; returns the bytes written.</summary>
    public static int Encode(in PlxContinuousMeasurement measurement, Span<byte> destination)
    {
        var length = GetLength(measurement);
        EncoderGuard.Room(destination, length);
        destination[0] = (byte)((measurement.Fast.HasValue ? PlxContinuousMeasurementDecoder.FastFlag : 0)
            | (measurement.Slow.HasValue ? PlxContinuousMeasurementDecoder.SlowFlag : 0)
            | (measurement.MeasurementStatus.HasValue ? PlxContinuousMeasurementDecoder.MeasurementStatusFlag : 0)
            | (measurement.DeviceSensorStatus.HasValue ? PlxContinuousMeasurementDecoder.DeviceSensorStatusFlag : 0)
            | (measurement.PulseAmplitudeIndex.HasValue ? PlxContinuousMeasurementDecoder.PulseAmplitudeIndexFlag : 0));
        var offset = WritePair(destination, 1, measurement.Normal);
        if (measurement.Fast is { } fast)
        {
            offset = WritePair(destination, offset, fast);
        }

        if (measurement.Slow is { } slow)
        {
            offset = WritePair(destination, offset, slow);
        }

        offset = WriteTail(destination, offset, measurement.MeasurementStatus, measurement.DeviceSensorStatus, measurement.PulseAmplitudeIndex);
        return offset;
    }

    /// <summary>Writes a spot-check measurement; returns the bytes written.</summary>
    public static int Encode(in PlxSpotCheckMeasurement measurement, Span<byte> destination)
    {
        var length = GetLength(measurement);
        EncoderGuard.Room(destination, length);
        destination[0] = (byte)((measurement.Timestamp.HasValue ? PlxSpotCheckMeasurementDecoder.TimestampFlag : 0)
            | (measurement.MeasurementStatus.HasValue ? PlxSpotCheckMeasurementDecoder.MeasurementStatusFlag : 0)
            | (measurement.DeviceSensorStatus.HasValue ? PlxSpotCheckMeasurementDecoder.DeviceSensorStatusFlag : 0)
            | (measurement.PulseAmplitudeIndex.HasValue ? PlxSpotCheckMeasurementDecoder.PulseAmplitudeIndexFlag : 0)
            | (measurement.DeviceClockNotSet ? PlxSpotCheckMeasurementDecoder.DeviceClockNotSetFlag : 0));
        var offset = WritePair(destination, 1, measurement.SpotCheck);
        if (measurement.Timestamp is { } timestamp)
        {
            timestamp.Write(destination[offset..]);
            offset += SigDateTimeFields.Size;
        }

        offset = WriteTail(destination, offset, measurement.MeasurementStatus, measurement.DeviceSensorStatus, measurement.PulseAmplitudeIndex);
        return offset;
    }

    private static int WritePair(Span<byte> destination, int offset, SpO2PulseRate pair)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], pair.SpO2.Raw);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[(offset + 2)..], pair.PulseRate.Raw);
        return offset + 4;
    }

    private static int WriteTail(Span<byte> destination, int offset, ushort? measurementStatus, uint? deviceSensorStatus, SFloat? pulseAmplitudeIndex)
    {
        if (measurementStatus is { } status)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], status);
            offset += 2;
        }

        if (deviceSensorStatus is { } device)
        {
            if (device > MaxDeviceSensorStatus)
            {
                throw new ArgumentOutOfRangeException(nameof(deviceSensorStatus), $"device and sensor status 0x{device:X} exceeds 24 bits");
            }

            destination[offset] = (byte)device;
            destination[offset + 1] = (byte)(device >> 8);
            destination[offset + 2] = (byte)(device >> 16);
            offset += 3;
        }

        if (pulseAmplitudeIndex is { } pai)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination[offset..], pai.Raw);
            offset += 2;
        }

        return offset;
    }
}
