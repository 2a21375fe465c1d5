using System.Globalization;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// The fleet in <c>receive</c>'s report: per hub its state (from its retained status), when it was last seen, its backlog,
/// and per stream both completenesses — the hub's (samples from the radio against the nominal rate) and the receiver's
/// (samples landed against the connected time, with missing sequences). Hubs are listed worst first, so with hundreds of
/// hubs the ones to look at come first. docs/receiver.md "Fleet" explains the fields.
/// </summary>
internal sealed record FleetReport
{
    /// <summary>A stream under this completeness (either measure) counts as "below" in the summary.</summary>
    public const double CompletenessThreshold = 0.95;

    public required FleetSummary Summary { get; init; }

    public required IReadOnlyList<HubReport> Hubs { get; init; }

    /// <summary>Joins the hubs' status with the ledger's streams; <paramref name="now"/> decides which hubs are stale.</summary>
    public static FleetReport Build(IReadOnlyList<HubStatusEntry> statuses, IReadOnlyList<StreamReport> landed, DateTimeOffset now)
    {
        var hubs = new Dictionary<(string Study, string Hub), (HubStatusEntry? Status, List<StreamReport> Landed)>();
        foreach (var status in statuses)
        {
            hubs[(status.Study, status.Hub)] = (status, []);
        }

        foreach (var stream in landed)
        {
            if (!hubs.TryGetValue((stream.Study, stream.Hub), out var hub))
            {
                hub = (null, []);
                hubs[(stream.Study, stream.Hub)] = hub;
            }

            hub.Landed.Add(stream);
        }

        var reports = new List<HubReport>(hubs.Count);
        foreach (var ((study, hubId), (status, streams)) in hubs)
        {
            reports.Add(HubOf(study, hubId, status, streams, now));
        }

        reports.Sort(static (a, b) =>
        {
            var byState = Rank(a).CompareTo(Rank(b));
            return byState != 0 ? byState : (a.WorstCompleteness ?? 2).CompareTo(b.WorstCompleteness ?? 2) is var c and not 0 ? c
                : string.CompareOrdinal(a.Hub, b.Hub);
        });
        return new FleetReport
        {
            Summary = new FleetSummary
            {
                Hubs = reports.Count,
                Online = reports.Count(h => h.State == "online"),
                Stale = reports.Count(h => h.State == "stale"),
                Offline = reports.Count(h => h.State == "offline"),
                Stopped = reports.Count(h => h.State == "stopped"),
                NoStatus = reports.Count(h => h.State == "no status"),
                Streams = reports.Sum(h => h.Streams.Count),
                StreamsBelowThreshold = reports.Sum(h => h.Streams.Count(s => s.Worst < CompletenessThreshold)),
                CompletenessThreshold = CompletenessThreshold,
            },
            Hubs = reports,
        };
    }

    /// <summary>Worst first: silent hubs, then gone ones, then running hubs with incomplete streams.</summary>
    private static int Rank(HubReport hub) => hub.State switch
    {
        "stale" => 0,
        "offline" => 1,
        "no status" => 2,
        _ when hub.WorstCompleteness < CompletenessThreshold => 3,
        "stopped" => 4,
        _ => 5,
    };

    private static HubReport HubOf(string study, string hubId, HubStatusEntry? status, List<StreamReport> landed, DateTimeOffset now)
    {
        var rows = new Dictionary<(string Device, string Stream), HubStreamReport>();
        foreach (var stream in status?.Streams ?? [])
        {
            rows[(stream.Device, stream.StreamId)] = new HubStreamReport
            {
                Device = stream.Device,
                Participant = stream.Participant,
                StreamId = stream.StreamId,
                HubSamplesPerSecond = stream.SamplesPerSecond,
                HubCompleteness = stream.Completeness,
                LastSample = Format(stream.LastSample),
            };
        }

        string? lastBatch = null;
        foreach (var stream in landed)
        {
            var row = rows.GetValueOrDefault((stream.Device, stream.StreamId)) ?? new HubStreamReport
            {
                Device = stream.Device,
                Participant = stream.Participant,
                StreamId = stream.StreamId,
            };
            rows[(stream.Device, stream.StreamId)] = row with
            {
                ReceiverCompleteness = stream.Completeness is { } c ? Math.Round(c, 4) : null,
                MissingSequences = stream.MissingSequences,
                LastBatch = stream.LastHubTime.Length > 0 ? stream.LastHubTime : null,
            };
            if (stream.LastHubTime.Length > 0 && string.CompareOrdinal(stream.LastHubTime, lastBatch) > 0)
            {
                lastBatch = stream.LastHubTime;
            }
        }

        var list = rows.Values.OrderBy(r => r.Worst ?? 2).ThenBy(r => r.Device, StringComparer.Ordinal).ThenBy(r => r.StreamId, StringComparer.Ordinal).ToList();
        return new HubReport
        {
            Study = study,
            Hub = hubId,
            Site = status?.Site ?? string.Empty,
            State = status?.EffectiveState(now) ?? "no status",
            LastStatus = status is null ? null : Format(status.LastSeen),
            LastBatch = lastBatch,
            BacklogBatches = status?.BacklogBatches,
            OldestUnsentAgeSeconds = status?.OldestUnsentAgeSeconds,
            WorstCompleteness = list.Count > 0 ? list.Min(r => r.Worst) : null,
            Streams = list,
        };
    }

    private static string? Format(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}

/// <summary>The fleet in one line: hubs by state, streams below <see cref="FleetReport.CompletenessThreshold"/>.</summary>
internal sealed record FleetSummary
{
    public required int Hubs { get; init; }

    public required int Online { get; init; }

    /// <summary>"online" but silent for <see cref="HubStatusBoard.StaleIntervals"/> health intervals.</summary>
    public required int Stale { get; init; }

    public required int Offline { get; init; }

    public required int Stopped { get; init; }

    /// <summary>Hubs whose batches landed but whose status was never heard.</summary>
    public required int NoStatus { get; init; }

    public required int Streams { get; init; }

    public required int StreamsBelowThreshold { get; init; }

    public required double CompletenessThreshold { get; init; }
}

/// <summary>One hub in the fleet report.</summary>
internal sealed record HubReport
{
    public required string Study { get; init; }

    public required string Hub { get; init; }

    public required string Site { get; init; }

    /// <summary>online, stale, offline, stopped, or "no status" (batches landed, status never heard).</summary>
    public required string State { get; init; }

    /// <summary>When the hub last reported its status (its own time for a retained copy), or null.</summary>
    public string? LastStatus { get; init; }

    /// <summary>Hub time of the newest sample landed from it (all runs of the ledger), or null.</summary>
    public string? LastBatch { get; init; }

    /// <summary>Batches waiting in the hub's spool, from its status.</summary>
    public long? BacklogBatches { get; init; }

    /// <summary>Age of the hub's oldest unsent sample when it reported; null when nothing waited or unknown.</summary>
    public double? OldestUnsentAgeSeconds { get; init; }

    /// <summary>The lowest completeness of its streams (either measure), or null.</summary>
    public double? WorstCompleteness { get; init; }

    public required IReadOnlyList<HubStreamReport> Streams { get; init; }
}

/// <summary>One stream of a hub: the hub's view and the receiver's.</summary>
internal sealed record HubStreamReport
{
    public required string Device { get; init; }

    public required string Participant { get; init; }

    public required string StreamId { get; init; }

    /// <summary>Samples per second the hub decoded over its last status interval.</summary>
    public double? HubSamplesPerSecond { get; init; }

    /// <summary>The hub's completeness (from the radio, against the nominal rate over the time connected).</summary>
    public double? HubCompleteness { get; init; }

    /// <summary>The receiver's completeness (landed rows against the connected span), see <see cref="Completeness"/>.</summary>
    public double? ReceiverCompleteness { get; init; }

    /// <summary>Sequences below the highest landed that never arrived.</summary>
    public long MissingSequences { get; init; }

    /// <summary>Hub time of the newest sample landed.</summary>
    public string? LastBatch { get; init; }

    /// <summary>Hub time of the newest sample the hub decoded, from its status.</summary>
    public string? LastSample { get; init; }

    /// <summary>The lower of the two completenesses, or null when neither is known.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public double? Worst => (HubCompleteness, ReceiverCompleteness) switch
    {
        ({ } a, { } b) => Math.Min(a, b),
        ({ } a, null) => a,
        (null, { } b) => b,
        _ => null,
    };
}
