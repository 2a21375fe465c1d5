namespace Ingest.Pipeline.Profiles;

/// <summary>A characteristic write made before a stream's notifications are enabled (e.g. Polar PMD start).</summary>
/// <param name="Characteristic">Canonical UUID of the characteristic written.</param>
/// <param name="Value">The bytes written.</param>
/// <param name="Description">What the write does, for people.</param>
public sealed record SetupWrite(string Characteristic, byte[] Value, string Description);
