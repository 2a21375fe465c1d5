namespace Ingest.Gateway.Receiving;

/// <summary>What <c>DIR/report.json</c> holds: this run's rates and counters, and per stream the ledger's totals since the first run.</summary>
internal sealed record ReceiverReport
{
    public required string GeneratedAt { get; init; }

    public required double ElapsedSeconds { get; init; }

    /// <summary>Batches landed in this run (new identities).</summary>
    public required long Batches { get; init; }

    public required long Rows { get; init; }

    public required double BatchesPerSecond { get; init; }

    public required double RowsPerSecond { get; init; }

    /// <summary>Batches received again with identical bytes (skipped) in this run.</summary>
    public required long Duplicates { get; init; }

    /// <summary>Batches received again with different bytes (kept beside the first, rejected) in this run.</summary>
    public required long Conflicts { get; init; }

    /// <summary>Payloads quarantined (bad hash, unreadable, inconsistent) in this run.</summary>
    public required long Rejected { get; init; }

    /// <summary>Messages on hub status and receipt topics, which share the subscription's filter.</summary>
    public required long Ignored { get; init; }

    /// <summary>Batches landed without a SHA-256 to verify (MQTT 3.1.1 publishers send no user properties).</summary>
    public required long Unverified { get; init; }

    public required long ReceiptsSent { get; init; }

    public required IReadOnlyList<StreamReport> Streams { get; init; }

    /// <summary>Hub status messages read (each delivery once).</summary>
    public long StatusMessages { get; init; }

    /// <summary>Hub status messages skipped as malformed (HubStatusLimits); the hub's previous good status stays.</summary>
    public long StatusMessagesMalformed { get; init; }

    /// <summary>The last problem with the hubs' status (a malformed message, a refused subscription), or null.</summary>
    public string? StatusProblem { get; init; }

    /// <summary>Per hub: state, last seen, backlog, and per stream both completenesses; worst first.</summary>
    public required FleetReport Fleet { get; init; }
}

/// <summary>One stream in the report (totals from the ledger, across restarts).</summary>
internal sealed record StreamReport
{
    public required string Hub { get; init; }

    public required string Stream { get; init; }

    public required string Study { get; init; }

    public required string Participant { get; init; }

    public required string Device { get; init; }

    public required string StreamId { get; init; }

    public double? NominalRateHz { get; init; }

    public required long Batches { get; init; }

    public required long Rows { get; init; }

    public required long Duplicates { get; init; }

    public required long Conflicts { get; init; }

    public required long HighestSequence { get; init; }

    public required long MissingSequences { get; init; }

    /// <summary>The first missing ranges ("a-b" or "a"), at most <see cref="Completeness.MaximumRangesListed"/>.</summary>
    public required IReadOnlyList<string> MissingRanges { get; init; }

    public required string FirstHubTime { get; init; }

    public required string LastHubTime { get; init; }

    public required double SpanSeconds { get; init; }

    public required double GapSeconds { get; init; }

    public required double ConnectedSeconds { get; init; }

    /// <summary>Samples expected from the nominal rate over the connected time; null for an event stream.</summary>
    public double? ExpectedRows { get; init; }

    /// <summary>Rows ÷ expected rows; null for an event stream.</summary>
    public double? Completeness { get; init; }
}
