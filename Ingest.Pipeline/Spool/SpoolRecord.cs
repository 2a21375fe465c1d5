using Ingest.Pipeline.Batching;

namespace Ingest.Pipeline.Spool;

/// <summary>One unreleased record read back from the spool; its checksums were verified when it was read.</summary>
/// <param name="Position">Pass to <see cref="SegmentSpool.Release"/> after the acknowledgement.</param>
/// <param name="Identity">The batch identity stored with it.</param>
/// <param name="RowCount">Samples in the batch.</param>
/// <param name="Payload">The Arrow IPC stream bytes (a copy owned by the caller).</param>
internal sealed record SpoolRecord(SpoolPosition Position, BatchIdentity Identity, int RowCount, ReadOnlyMemory<byte> Payload);
