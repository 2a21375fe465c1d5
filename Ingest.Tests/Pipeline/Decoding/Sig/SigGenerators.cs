using FsCheck;
using FsCheck.Fluent;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Decoding.Ieee11073;
using Ingest.Pipeline.Decoding.Sig;
using Ingest.Pipeline.Simulation.Sig;

namespace Ingest.Tests.Pipeline.Decoding.Sig;

/// <summary>FsCheck generators for SIG measurements, their frames, and random or mutated frames.</summary>
internal static class SigGenerators
{
    /// <summary>A SIG characteristic under test: how to make its decoder and valid frames.</summary>
    public sealed record Kind(string Name, Func<IFrameDecoder> Create, Gen<byte[]> ValidFrame)
    {
        public override string ToString() => Name;
    }

    public static Gen<byte> Byte { get; } = Gen.Choose(0, 255).Select(static b => (byte)b);

    public static Gen<ushort> UInt16 { get; } = Gen.Choose(0, ushort.MaxValue).Select(static v => (ushort)v);

    public static Gen<uint> UInt32 { get; } = Gen.Choose(int.MinValue, int.MaxValue).Select(static v => unchecked((uint)v));

    public static Gen<bool> Bool { get; } = Gen.Elements(false, true);

    /// <summary>Any SFLOAT word, with the five specials over-represented.</summary>
    public static Gen<SFloat> SFloat { get; } = Gen.Frequency(
        (4, UInt16.Select(static r => new SFloat(r))),
        (1, Gen.Elements(Ingest.Pipeline.Decoding.Ieee11073.SFloat.NaN, Ingest.Pipeline.Decoding.Ieee11073.SFloat.NRes,
            Ingest.Pipeline.Decoding.Ieee11073.SFloat.PositiveInfinity, Ingest.Pipeline.Decoding.Ieee11073.SFloat.NegativeInfinity,
            Ingest.Pipeline.Decoding.Ieee11073.SFloat.Reserved)));

    /// <summary>Any FLOAT word, with the five specials over-represented.</summary>
    public static Gen<MderFloat> MderFloat { get; } = Gen.Frequency(
        (4, UInt32.Select(static r => new MderFloat(r))),
        (1, Gen.Elements(Ingest.Pipeline.Decoding.Ieee11073.MderFloat.NaN, Ingest.Pipeline.Decoding.Ieee11073.MderFloat.NRes,
            Ingest.Pipeline.Decoding.Ieee11073.MderFloat.PositiveInfinity, Ingest.Pipeline.Decoding.Ieee11073.MderFloat.NegativeInfinity,
            Ingest.Pipeline.Decoding.Ieee11073.MderFloat.Reserved)));

    /// <summary>A valid Date Time between 1970 and 2199, or one with an unknown field.</summary>
    public static Gen<SigDateTimeFields> DateTime { get; } = Gen.Frequency(
        (5, Gen.Choose(0, int.MaxValue).Select(static s => SigDateTimeFields.From(System.DateTime.UnixEpoch.AddSeconds(s * 3.2)))),
        (1, Gen.Constant(new SigDateTimeFields(0, 0, 0, 12, 0, 0))));

    public static Gen<HeartRateMeasurement> HeartRate { get; } =
        from uint16 in Bool
        from heartRate in uint16 ? UInt16 : Gen.Choose(0, 255).Select(static v => (ushort)v)
        from contact in Gen.Choose(0, 3)
        from energy in OrNull(UInt16)
        from count in Gen.Frequency((6, Gen.Choose(0, 9)), (1, Gen.Choose(0, (DecodeLimits.MaxFrameBytes - 5) / 2)))
        from rr in Gen.ArrayOf(UInt16, count)
        select new HeartRateMeasurement(heartRate, uint16, (byte)contact, energy, rr);

    public static Gen<SpO2PulseRate> SpO2PulseRate { get; } = Gen.Zip(SFloat, SFloat, static (s, p) => new SpO2PulseRate(s, p));

    public static Gen<PlxContinuousMeasurement> PlxContinuous { get; } =
        from normal in SpO2PulseRate
        from fast in OrNull(SpO2PulseRate)
        from slow in OrNull(SpO2PulseRate)
        from measurement in OrNull(UInt16)
        from device in OrNull(Gen.Choose(0, 0xFF_FFFF).Select(static v => (uint)v))
        from pai in OrNull(SFloat)
        select new PlxContinuousMeasurement(normal, fast, slow, measurement, device, pai);

    public static Gen<PlxSpotCheckMeasurement> PlxSpotCheck { get; } =
        from reading in SpO2PulseRate
        from stamp in OrNull(DateTime)
        from measurement in OrNull(UInt16)
        from device in OrNull(Gen.Choose(0, 0xFF_FFFF).Select(static v => (uint)v))
        from pai in OrNull(SFloat)
        from clockNotSet in Bool
        select new PlxSpotCheckMeasurement(reading, stamp, measurement, device, pai, clockNotSet);

    public static Gen<TemperatureMeasurement> Temperature { get; } =
        from value in MderFloat
        from fahrenheit in Bool
        from stamp in OrNull(DateTime)
        from type in OrNull(Byte)
        select new TemperatureMeasurement(value, fahrenheit, stamp, type);

    public static Gen<RscMeasurement> Rsc { get; } =
        from speed in UInt16
        from cadence in Byte
        from stride in OrNull(UInt16)
        from distance in OrNull(UInt32)
        from running in Bool
        select new RscMeasurement(speed, cadence, stride, distance, running);

    public static Gen<CscMeasurement> Csc { get; } =
        from wheel in OrNull(UInt32)
        from wheelTime in UInt16
        from crank in OrNull(UInt16)
        from crankTime in UInt16
        select new CscMeasurement(wheel, wheelTime, crank, crankTime);

    /// <summary>Every SIG decoder with a generator of frames it must accept.</summary>
    public static Kind[] Kinds { get; } =
    [
        new("battery-level", static () => new BatteryLevelDecoder(),
            Gen.Choose(0, 100).Select(static level => Encode(BatteryLevelEncoder.Length, d => BatteryLevelEncoder.Encode((byte)level, d)))),
        new("heart-rate-measurement", static () => new HeartRateMeasurementDecoder(),
            HeartRate.Select(static m => Encode(HeartRateMeasurementEncoder.GetLength(m), d => HeartRateMeasurementEncoder.Encode(m, d)))),
        new("plx-continuous-measurement", static () => new PlxContinuousMeasurementDecoder(),
            PlxContinuous.Select(static m => Encode(PlxMeasurementEncoder.GetLength(m), d => PlxMeasurementEncoder.Encode(m, d)))),
        new("plx-spot-check-measurement", static () => new PlxSpotCheckMeasurementDecoder(),
            PlxSpotCheck.Select(static m => Encode(PlxMeasurementEncoder.GetLength(m), d => PlxMeasurementEncoder.Encode(m, d)))),
        new("temperature-measurement", static () => new TemperatureMeasurementDecoder(),
            Temperature.Select(static m => Encode(TemperatureMeasurementEncoder.GetLength(m), d => TemperatureMeasurementEncoder.Encode(m, d)))),
        new("rsc-measurement", static () => new RscMeasurementDecoder(),
            Rsc.Select(static m => Encode(RscMeasurementEncoder.GetLength(m), d => RscMeasurementEncoder.Encode(m, d)))),
        new("csc-measurement", static () => new CscMeasurementDecoder(),
            Csc.Select(static m => Encode(CscMeasurementEncoder.GetLength(m), d => CscMeasurementEncoder.Encode(m, d)))),
    ];

    /// <summary>Arbitrary bytes: mostly short frames with plausible flags, sometimes anything up to past the limit.</summary>
    public static Gen<byte[]> RandomFrame { get; } = Gen.Frequency(
        (4, from length in Gen.Choose(1, 24) from frame in Gen.ArrayOf(Byte, length) select frame),
        (2, from flags in Gen.Choose(0, 0x1F) from length in Gen.Choose(0, 24) from rest in Gen.ArrayOf(Byte, length) select (byte[])[(byte)flags, .. rest]),
        (1, from length in Gen.Choose(0, DecodeLimits.MaxFrameBytes + 8) from frame in Gen.ArrayOf(Byte, length) select frame));

    /// <summary>A valid frame of <paramref name="kind"/>, mutated: a bit flipped, cut short, lengthened, flags replaced.</summary>
    public static Gen<byte[]> Mutated(Kind kind) =>
        from frame in kind.ValidFrame
        from mutation in Gen.Choose(0, 4)
        from position in Gen.Choose(0, Math.Max(0, frame.Length - 1))
        from bit in Gen.Choose(0, 7)
        from extra in Gen.ArrayOf(Byte, 1 + (position % 3))
        select Mutate(frame, mutation, position, bit, extra);

    /// <summary>A mix of valid, mutated and random frames for <paramref name="kind"/>.</summary>
    public static Gen<byte[]> AnyFrame(Kind kind) => Gen.Frequency((3, kind.ValidFrame), (3, Mutated(kind)), (2, RandomFrame));

    private static byte[] Mutate(byte[] frame, int mutation, int position, int bit, byte[] extra)
    {
        var copy = (byte[])frame.Clone();
        switch (mutation)
        {
            case 0:
                copy[position] ^= (byte)(1 << bit);
                return copy;
            case 1:
                return copy[..position];
            case 2:
                return [.. copy, .. extra];
            case 3:
                copy[0] = extra[0];
                return copy;
            default:
                return [.. copy[..position], .. extra, .. copy[position..]];
        }
    }

    private static Gen<T?> OrNull<T>(Gen<T> gen)
        where T : struct =>
        Gen.Frequency((1, Gen.Constant<T?>(null)), (2, gen.Select(static v => (T?)v)));

    private static byte[] Encode(int length, SpanWriter write)
    {
        var frame = new byte[length];
        var written = write(frame);
        Assert.Equal(length, written);
        return frame;
    }

    private delegate int SpanWriter(Span<byte> destination);
}
