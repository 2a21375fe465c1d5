namespace Ingest.Pipeline.Batching;

/// <summary>
/// Identifies one sealed batch across crashes and re-publishing: the same (hub, stream, sequence) always names the
/// same rows and bytes, so the platform can deduplicate exactly (architecture.md "Identity, privacy, time").
/// </summary>
/// <param name="Hub">The hub's id (never a radio address).</param>
/// <param name="Stream">The stream key on this hub (participant pseudonym and stream id, e.g. <c>p-0042/ecg</c>).</param>
/// <param name="Sequence">Batch number within the stream, from 0, without gaps.</param>
public readonly record struct BatchIdentity(string Hub, string Stream, long Sequence);
