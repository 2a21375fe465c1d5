using Ingest.Pipeline.Decoding.FixedLayout;
using Ingest.Pipeline.Decoding.InfiniTime;
using Ingest.Pipeline.Decoding.Polar;
using Ingest.Pipeline.Decoding.Sig;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>Picks the simulator for a profile's stream by its decoder.</summary>
internal static class StreamSimulators
{
    /// <summary>The simulator for <paramref name="stream"/>, or null when the fleet cannot speak it (a fixed-layout frame other than the example's).</summary>
    public static StreamSimulator? Create(FirmwareProfile profile, StreamDefinition stream, ref SimRandom random) => stream.Decoder.Name switch
    {
        HeartRateMeasurementDecoder.Name => new HeartRateSimulator(profile, stream, ref random),
        BatteryLevelDecoder.Name => new BatterySimulator(stream, ref random),
        PolarPmdDecoder.Name => PmdStreamSimulator.TryCreate(stream, ref random),
        PlxContinuousMeasurementDecoder.Name => new PlxContinuousSimulator(stream, ref random),
        PlxSpotCheckMeasurementDecoder.Name => new PlxSpotCheckSimulator(stream, ref random),
        TemperatureMeasurementDecoder.Name => new ThermometerSimulator(stream, ref random),
        RscMeasurementDecoder.Name => new RscSimulator(stream, ref random),
        CscMeasurementDecoder.Name => new CscSimulator(stream, ref random),
        InfiniTimeMotionDecoder.Name => new InfiniTimeMotionSimulator(stream, ref random),
        InfiniTimeStepsDecoder.Name => new InfiniTimeStepsSimulator(stream, ref random),
        FixedLayoutDecoder.Name when profile.Id == ExampleImuSimulator.ProfileId => new ExampleImuSimulator(stream, ref random),
        _ => null,
    };
}
