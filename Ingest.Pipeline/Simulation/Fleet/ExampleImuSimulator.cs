using System.Buffers.Binary;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>
/// The example fixed-layout IMU tag (firmware-profiles/example-fixed-layout-imu): flags, sequence u16, temperature
/// (flags bit 0), battery (bit 1, every tenth frame), count, then count × x/y/z int16 at 0.122 mg; 10 samples per
/// notification at 100 Hz.
/// </summary>
internal sealed class ExampleImuSimulator : StreamSimulator
{
    public const string ProfileId = "example-fixed-layout-imu";
    private const int RateHz = 100;
    private const int PerFrame = 10;
    private const double MilliGPerCount = 0.122;
    private readonly long _phase;
    private SimRandom _noise;

    public ExampleImuSimulator(StreamDefinition stream, ref SimRandom random)
        : base(stream, GarbageKind.AppendByte)
    {
        _phase = random.NextInt64(Decoding.SampleClock.NanosecondsPerSecond);
        _noise = new SimRandom(random.NextUInt64());
    }

    public override long FrameTick(long frame) => SampleTick(_phase, ((frame + 1) * PerFrame) - 1, RateHz);

    public override int Write(Span<byte> destination, long frame, long tick, VirtualTracker tracker)
    {
        var withBattery = frame % 10 == 0;
        destination[0] = (byte)(withBattery ? 0x03 : 0x01);
        BinaryPrimitives.WriteUInt16LittleEndian(destination[1..], (ushort)frame);
        BinaryPrimitives.WriteInt16LittleEndian(destination[3..], (short)_noise.Next(2950, 3050)); // 1/100 Cel
        var o = 5;
        if (withBattery)
        {
            destination[o++] = 80;
        }

        destination[o++] = PerFrame;
        for (var i = 0; i < PerFrame; i++)
        {
            var seconds = Seconds(SampleTick(_phase, (frame * PerFrame) + i, RateHz));
            for (var axis = 0; axis < 3; axis++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(destination[o..], (short)(Signals.Acc(axis, seconds, ref _noise) / MilliGPerCount));
                o += 2;
            }
        }

        return o;
    }
}
