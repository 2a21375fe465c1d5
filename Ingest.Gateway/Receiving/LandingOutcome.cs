namespace Ingest.Gateway.Receiving;

/// <summary>What <see cref="BatchStore.Land"/> did with a batch.</summary>
internal enum LandingOutcome
{
    /// <summary>A new identity: staged durably, written as Parquet, recorded in the ledger.</summary>
    Stored = 0,

    /// <summary>The identity was already landed with the same bytes: nothing written (the contract's idempotent case).</summary>
    Duplicate = 1,

    /// <summary>The identity was already landed with different bytes: both kept, the first one stays in Parquet. A hub bug; loud.</summary>
    Conflict = 2,
}
