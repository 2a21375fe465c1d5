namespace Ingest.Pipeline.Simulation.Fleet;

/// <summary>How a stream's frame is made into a wrong-type garbage frame its decoder must reject.</summary>
internal enum GarbageKind
{
    /// <summary>No type to get wrong: add a byte instead (fixed-size frames reject trailing bytes).</summary>
    AppendByte = 0,

    /// <summary>Set flags bit 7, reserved in every SIG measurement the fleet sends.</summary>
    ReservedFlag = 1,

    /// <summary>Another PMD measurement type on this stream's data characteristic.</summary>
    PmdMeasurement = 2,

    /// <summary>A battery level above 100 %.</summary>
    BatteryValue = 3,
}
