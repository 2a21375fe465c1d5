namespace Ingest.Gateway.Configuration;

/// <summary>One configured key: its value as given (secrets masked) and where it came from.</summary>
/// <param name="Key">The key, e.g. <c>Batching:MaxRows</c>.</param>
/// <param name="Value">The value as given.</param>
/// <param name="Source">"in FILE", "from WEARABLE_INGEST_…", "from --option".</param>
internal sealed record ConfiguredValue(string Key, string Value, string Source);
