using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ingest.Gateway.Configuration;
using Ingest.Gateway.Registry;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Spool;

namespace Ingest.Gateway.Hosting;

/// <summary>
/// What the running hub adds to the registry's audit trail (docs/registry.md), besides enrollment changes and admission
/// refusals: a configuration that differs from the last audited one, samples the spool lost or quarantined at recovery,
/// and frames the decoders quarantined (one entry per device per hour at most, and a last one at stop, so a tracker
/// sending garbage cannot flood the trail). Actor <c>service</c>; subjects are pseudonyms and the hub id. The audit is
/// for people: a database that cannot be written is said once in the log and never stops the data path.
/// </summary>
internal sealed class HubAudit(EnrollmentRegistry registry, string hubId, Action<string> log)
{
    /// <summary>Shortest time between two quarantine entries for one device.</summary>
    public static readonly TimeSpan QuarantineEntryInterval = TimeSpan.FromHours(1);

    private const string ConfigurationStampFile = "config-audited.sha256";

    private readonly Dictionary<string, (long Audited, DateTimeOffset At)> _quarantined = new(StringComparer.Ordinal);
    private string? _lastProblem;

    /// <summary>Audits the effective configuration when it differs from the one audited last (kept as a hash beside the registry).</summary>
    public void RecordConfiguration(GatewaySettings settings)
    {
        var details = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in settings.Sources)
        {
            // Sources already mask passwords; the data directory and config file are where it runs, not what it does.
            if (value.Key is not ("DataDir" or "Config"))
            {
                details[value.Key] = value.Value;
            }
        }

        var json = JsonSerializer.Serialize(details);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        var stamp = Path.Combine(Path.GetDirectoryName(registry.Path)!, ConfigurationStampFile);
        var previous = File.Exists(stamp) ? File.ReadAllText(stamp).Trim() : null;
        if (string.Equals(previous, hash, StringComparison.Ordinal))
        {
            return;
        }

        if (Append(AuditActions.ConfigChange, $"hub {hubId}",
            previous is null ? "first start with this registry" : "the configuration differs from the last run's",
            JsonSerializer.Serialize(new { sha256 = hash, keys = details.Count <= 40 ? details : null })))
        {
            File.WriteAllText(stamp, hash + "\n");
        }
    }

    /// <summary>Audits what the spool's recovery lost or set aside (corrupt records, unreadable regions, missing segments).</summary>
    public void RecordRecovery(SpoolRecoveryReport report)
    {
        if (report.QuarantinedRecords == 0 && report.QuarantinedRegions == 0 && report.RecordNumberGaps == 0 && report.MissingSegments.Count == 0)
        {
            return;
        }

        Append(AuditActions.SpoolDrop, $"hub {hubId}", "spool recovery found corrupt or missing batches",
            JsonSerializer.Serialize(new
            {
                quarantined_batches = report.QuarantinedRecords,
                quarantined_samples = report.QuarantinedSamples,
                unreadable_regions = report.QuarantinedRegions,
                missing_segments = report.MissingSegments.Count,
                batches_lost = report.RecordNumberGaps,
            }));
    }

    /// <summary>Audits frames quarantined per device since its last entry (at most hourly per device; always when <paramref name="stopping"/>).</summary>
    public void RecordQuarantine(IngestStatus status, DateTimeOffset now, bool stopping)
    {
        foreach (var device in status.Devices)
        {
            var (audited, at) = _quarantined.GetValueOrDefault(device.Device);
            var fresh = device.FramesRejected - audited;
            if (fresh <= 0 || (!stopping && now - at < QuarantineEntryInterval))
            {
                continue;
            }

            if (Append(AuditActions.Quarantine, $"device {device.Device}", "frames the decoder rejected were quarantined (DATA_DIR/quarantine/frames.jsonl)",
                JsonSerializer.Serialize(new { frames = fresh, total = device.FramesRejected, profile = device.ProfileId })))
            {
                _quarantined[device.Device] = (device.FramesRejected, now);
            }
        }
    }

    private bool Append(string action, string subject, string reason, string details)
    {
        try
        {
            registry.Audit.Append(RegistryEnrolledTrackers.ServiceActor, action, subject, reason, details);
            return true;
        }
        catch (Exception ex) when (ex is RegistryException or ArgumentException or IOException)
        {
            if (!string.Equals(_lastProblem, ex.Message, StringComparison.Ordinal))
            {
                log($"registry: cannot write the audit trail: {ex.Message}");
                _lastProblem = ex.Message;
            }

            return false;
        }
    }
}
