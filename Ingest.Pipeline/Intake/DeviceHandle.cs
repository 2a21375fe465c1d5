namespace Ingest.Pipeline.Intake;

/// <summary>
/// An opaque, hub-local id for one connected tracker, assigned by the notification source (the radio backend or the
/// simulator). It is deliberately not a radio address: the admission stage maps it to the device's pseudonym and
/// enrollment, so no address travels down the data path.
/// </summary>
/// <param name="Value">The id; unique per source for the source's lifetime.</param>
public readonly record struct DeviceHandle(int Value);
