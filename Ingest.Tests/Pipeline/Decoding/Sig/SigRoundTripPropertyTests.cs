using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding.Ieee11073;
using Ingest.Pipeline.Decoding.Sig;
using Ingest.Pipeline.Simulation.Sig;
using static Ingest.Tests.Pipeline.Decoding.Sig.SigTestSupport;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

/// <summary>Encode → decode round trips: every field the encoder writes comes back exactly in its column.</summary>
public sealed class SigRoundTripPropertyTests
{
    [Fact]
    public void HeartRate_EncodeThenDecode_GivesEveryFieldBack()
    {
        Prop.ForAll(Arb.From(SigGenerators.HeartRate), m =>
        {
            var frame = new byte[HeartRateMeasurementEncoder.GetLength(m)];
            Assert.Equal(frame.Length, HeartRateMeasurementEncoder.Encode(m, frame));
            var columns = Accept(new HeartRateMeasurementDecoder(), frame);

            Assert.Equal(m.HeartRate, Value<ushort>(columns, "heart_rate"));
            Assert.Equal(m.SensorContact, Value<byte>(columns, "sensor_contact"));
            Assert.Equal(m.EnergyExpended, Value<ushort>(columns, "energy_expended"));
            Assert.Equal(m.RrIntervals.IsEmpty ? null : m.RrIntervals.ToArray(), List<ushort>(columns, "rr_interval"));
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void PlxContinuous_EncodeThenDecode_GivesEveryFieldBack()
    {
        Prop.ForAll(Arb.From(SigGenerators.PlxContinuous), m =>
        {
            var frame = new byte[PlxMeasurementEncoder.GetLength(m)];
            Assert.Equal(frame.Length, PlxMeasurementEncoder.Encode(m, frame));
            var columns = Accept(new PlxContinuousMeasurementDecoder(), frame);

            AssertSFloat(columns, "spo2", m.Normal.SpO2);
            AssertSFloat(columns, "pulse_rate", m.Normal.PulseRate);
            AssertSFloat(columns, "spo2_fast", m.Fast?.SpO2);
            AssertSFloat(columns, "pulse_rate_fast", m.Fast?.PulseRate);
            AssertSFloat(columns, "spo2_slow", m.Slow?.SpO2);
            AssertSFloat(columns, "pulse_rate_slow", m.Slow?.PulseRate);
            Assert.Equal(m.MeasurementStatus, Value<ushort>(columns, "measurement_status"));
            Assert.Equal(m.DeviceSensorStatus, Value<uint>(columns, "device_sensor_status"));
            AssertSFloat(columns, "pulse_amplitude_index", m.PulseAmplitudeIndex);
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void PlxSpotCheck_EncodeThenDecode_GivesEveryFieldBack()
    {
        Prop.ForAll(Arb.From(SigGenerators.PlxSpotCheck), m =>
        {
            var frame = new byte[PlxMeasurementEncoder.GetLength(m)];
            Assert.Equal(frame.Length, PlxMeasurementEncoder.Encode(m, frame));
            var columns = Accept(new PlxSpotCheckMeasurementDecoder(), frame);

            AssertSFloat(columns, "spo2", m.SpotCheck.SpO2);
            AssertSFloat(columns, "pulse_rate", m.SpotCheck.PulseRate);
            Assert.Equal(ExpectedDeviceTime(m.Timestamp), DeviceTime(columns));
            Assert.Equal(m.MeasurementStatus, Value<ushort>(columns, "measurement_status"));
            Assert.Equal(m.DeviceSensorStatus, Value<uint>(columns, "device_sensor_status"));
            AssertSFloat(columns, "pulse_amplitude_index", m.PulseAmplitudeIndex);
            Assert.Equal(m.DeviceClockNotSet ? (byte)1 : (byte)0, Value<byte>(columns, "device_clock_not_set"));
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Temperature_EncodeThenDecode_GivesEveryFieldBack()
    {
        Prop.ForAll(Arb.From(SigGenerators.Temperature), m =>
        {
            var frame = new byte[TemperatureMeasurementEncoder.GetLength(m)];
            Assert.Equal(frame.Length, TemperatureMeasurementEncoder.Encode(m, frame));
            var columns = Accept(new TemperatureMeasurementDecoder(), frame);

            var status = m.Value.Status;
            double? expected = status is MderStatus.NaN or MderStatus.NRes or MderStatus.Reserved ? null
                : m.Fahrenheit ? TemperatureMeasurementDecoder.FahrenheitToCelsius(m.Value.ToDouble())
                : m.Value.ToDouble();
            Assert.Equal(expected, Value<double>(columns, "temperature"));
            Assert.Equal((byte)status, Value<byte>(columns, "temperature_status"));
            Assert.Equal(m.Fahrenheit ? (byte)1 : (byte)0, Value<byte>(columns, "reported_fahrenheit"));
            Assert.Equal(ExpectedDeviceTime(m.TimeStamp), DeviceTime(columns));
            Assert.Equal(m.TemperatureType, Value<byte>(columns, "temperature_type"));
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Rsc_EncodeThenDecode_GivesEveryFieldBack()
    {
        Prop.ForAll(Arb.From(SigGenerators.Rsc), m =>
        {
            var frame = new byte[RscMeasurementEncoder.GetLength(m)];
            Assert.Equal(frame.Length, RscMeasurementEncoder.Encode(m, frame));
            var columns = Accept(new RscMeasurementDecoder(), frame);

            Assert.Equal(m.Speed, Value<ushort>(columns, "speed"));
            Assert.Equal(m.Cadence, Value<byte>(columns, "cadence"));
            Assert.Equal(m.StrideLength, Value<ushort>(columns, "stride_length"));
            Assert.Equal(m.TotalDistance, Value<uint>(columns, "total_distance"));
            Assert.Equal(m.Running ? (byte)1 : (byte)0, Value<byte>(columns, "running"));
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Csc_EncodeThenDecode_GivesTheRawCountersBack()
    {
        Prop.ForAll(Arb.From(SigGenerators.Csc), m =>
        {
            var frame = new byte[CscMeasurementEncoder.GetLength(m)];
            Assert.Equal(frame.Length, CscMeasurementEncoder.Encode(m, frame));
            var columns = Accept(new CscMeasurementDecoder(), frame);

            Assert.Equal(m.WheelRevolutions, Value<uint>(columns, "cumulative_wheel_revolutions"));
            Assert.Equal(m.WheelRevolutions.HasValue ? m.WheelEventTime : null, Value<ushort>(columns, "last_wheel_event_time"));
            Assert.Equal(m.CrankRevolutions, Value<ushort>(columns, "cumulative_crank_revolutions"));
            Assert.Equal(m.CrankRevolutions.HasValue ? m.CrankEventTime : null, Value<ushort>(columns, "last_crank_event_time"));
            Assert.Null(Value<float>(columns, "speed"));
            return true;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Csc_SteadyRideEncoded_DecodesToTheRideSpeedAndCadence()
    {
        // A simulated ride at a constant speed and cadence, notified every second across several 64-s event-time
        // wraps and a crank-counter wrap: every derived value after the first must equal the ride's.
        var gen = Gen.Zip(Gen.Choose(1, 40), Gen.Choose(30, 120));
        Prop.ForAll(Arb.From(gen), pair =>
        {
            var (wheelRevolutionsPerFourSeconds, cadenceRpm) = pair;
            var decoder = new CscMeasurementDecoder(2.0);
            var columns = new StreamColumns(decoder.Schema, 256);
            var frame = new byte[CscMeasurementEncoder.GetLength(new CscMeasurement(0, 0, 0, 0))];
            uint wheel = 7;
            var crank = (ushort)(ushort.MaxValue - 100);
            ushort wheelTime = 60_000;
            ushort crankTime = 60_000;
            var crankTicks = 60 * 1024 / cadenceRpm;
            for (var second = 0; second < 200; second++)
            {
                if (second % 4 == 0)
                {
                    wheel += (uint)wheelRevolutionsPerFourSeconds;
                    wheelTime = unchecked((ushort)(wheelTime + 4096));
                }

                crank = unchecked((ushort)(crank + 1));
                crankTime = unchecked((ushort)(crankTime + crankTicks));
                CscMeasurementEncoder.Encode(new CscMeasurement(wheel, wheelTime, crank, crankTime), frame);
                Assert.True(decoder.Decode(frame, SigTestSupport.HubTime + (second * 1_000_000_000L), columns).IsAccepted);
                Assert.True(columns.TryCommit(out _));
            }

            var speed = columns.Values<float>(4);
            var cadence = columns.Values<float>(5);
            for (var row = 1; row < 200; row++)
            {
                var expectedSpeed = row % 4 == 0 ? (float?)(wheelRevolutionsPerFourSeconds * 2.0 / 4) : null;
                Assert.Equal(expectedSpeed, speed.IsValid(row) ? speed.Values[row] : null);
                Assert.Equal((float)(60.0 * 1024 / crankTicks), cadence.Values[row]);
            }

            return true;
        }).QuickCheckThrowOnFailure();
    }

    private static long? ExpectedDeviceTime(SigDateTimeFields? stamp)
    {
        if (stamp is not { } s || s.Year == 0 || s.Month == 0 || s.Day == 0)
        {
            return null;
        }

        var time = new DateTime(s.Year, s.Month, s.Day, s.Hours, s.Minutes, s.Seconds, DateTimeKind.Utc);
        return (time - DateTime.UnixEpoch).Ticks * 100;
    }

    private static void AssertSFloat(StreamColumns columns, string name, SFloat? expected)
    {
        var status = Value<byte>(columns, name + "_status");
        var value = Value<float>(columns, name);
        if (expected is not { } number)
        {
            Assert.Null(status);
            Assert.Null(value);
            return;
        }

        Assert.Equal((byte)number.Status, status);
        if (number.Status is MderStatus.NaN or MderStatus.NRes or MderStatus.Reserved)
        {
            Assert.Null(value);
        }
        else
        {
            Assert.Equal(number.ToSingle(), value);
        }
    }
}
