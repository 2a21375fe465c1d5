namespace Ingest.Tests.Mqtt;

/// <summary>Timing-sensitive tests run alone (not in parallel with the broker-heavy tests) so scheduler noise does not decide them.</summary>
[CollectionDefinition(nameof(KeepAliveTimingTests), DisableParallelization = true)]
public sealed class KeepAliveTimingDefinition
{
}
