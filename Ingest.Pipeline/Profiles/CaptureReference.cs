namespace Ingest.Pipeline.Profiles;

/// <summary>A capture shipped with a profile stream and the rows decoding it must give.</summary>
/// <param name="CapturePath">Full path of the .hex capture.</param>
/// <param name="ExpectedPath">Full path of the .expected.jsonl file.</param>
/// <param name="Description">What was recorded.</param>
public sealed record CaptureReference(string CapturePath, string ExpectedPath, string Description);
