using System.Globalization;
using System.Text;
using Ingest.Gateway.Configuration;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Spool;

namespace Ingest.Gateway.Hosting;

/// <summary>How the service's state reads for people: the live line, the log lines, recovery and the exit summary.</summary>
internal static class StatusText
{
    /// <summary>One line: rates since <paramref name="previous"/>, batches, backlog, spool use, broker state, a paused intake.</summary>
    public static string Line(IngestStatus now, IngestStatus? previous)
    {
        var seconds = previous is null ? 0 : (now.At - previous.At).TotalSeconds;
        var notificationRate = seconds > 0 ? (now.Notifications - previous!.Notifications) / seconds : 0;
        var sampleRate = seconds > 0 ? (now.Samples - previous!.Samples) / seconds : 0;
        var line = new StringBuilder(160);
        line.Append(CultureInfo.InvariantCulture, $"{notificationRate,7:N0} notif/s  {sampleRate,8:N0} samples/s");
        line.Append(CultureInfo.InvariantCulture, $"  batches {now.BatchesSealed:N0} sealed, {now.BatchesPublished:N0} sent");
        line.Append(CultureInfo.InvariantCulture, $"  backlog {now.Backlog:N0}");
        line.Append(CultureInfo.InvariantCulture, $"  spool {ValueText.Size(now.SpoolBytes)}");
        if (now.SpoolLimitBytes > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $" ({100.0 * now.SpoolBytes / now.SpoolLimitBytes:0.##}%)");
        }

        line.Append("  ").Append(now.DestinationState == "local" ? "outbox" : "broker " + now.DestinationState);
        if (now.IntakePaused)
        {
            line.Append("  intake PAUSED: spool full");
        }

        if (now.FramesRejected > 0)
        {
            line.Append(CultureInfo.InvariantCulture, $"  rejected {now.FramesRejected:N0}");
        }

        return line.ToString();
    }

    /// <summary>What recovery found, in plain words; one or more lines.</summary>
    public static IEnumerable<string> Recovery(SpoolRecoveryReport report, string spoolDirectory)
    {
        if (report.Segments == 0)
        {
            yield return $"spool: new, in {spoolDirectory}";
            yield break;
        }

        yield return report.RecordsRecovered == 0
            ? $"spool: {report.Segments} segment file(s) in {spoolDirectory}, nothing left unsent by the last run"
            : $"spool: {report.RecordsRecovered:N0} batch(es) left unsent by the last run were recovered and are published first";
        if (report.QuarantinedRecords > 0 || report.QuarantinedRegions > 0)
        {
            yield return $"spool: WARNING {report.QuarantinedRecords:N0} corrupt batch(es) ({report.QuarantinedSamples:N0} samples)" +
                (report.QuarantinedRegions > 0 ? $" and {report.QuarantinedRegions:N0} unreadable region(s)" : string.Empty) +
                $" moved to {Path.Combine(spoolDirectory, "quarantine")} (kept, never deleted)";
        }

        if (report.TornTailBytes > 0)
        {
            yield return $"spool: the last run stopped in the middle of a write; {report.TornTailBytes:N0} byte(s) of it were never acknowledged, kept in quarantine and cut off";
        }

        if (report.MissingSegments.Count > 0)
        {
            yield return $"spool: WARNING segment file(s) {string.Join(", ", report.MissingSegments)} are missing; {report.RecordNumberGaps:N0} batch(es) cannot be recovered";
        }

        if (report.UnknownFiles.Count > 0)
        {
            yield return $"spool: {report.UnknownFiles.Count} file(s) that are not the spool's were left in place: {string.Join(", ", report.UnknownFiles.Take(3))}";
        }

        if (!report.CheckpointValid && report.RecordsAlreadyReleased == 0 && report.RecordsRecovered > 0)
        {
            yield return "spool: no checkpoint found, so every recovered batch is sent again (the platform sees duplicates with identical bytes, never a loss)";
        }
    }

    /// <summary>
    /// The exit summary. Rejected frames do not change <c>run</c>'s exit code (a hub stopped cleanly exits 0, or systemd
    /// would mark it failed): the summary says how many there were and where they are kept (<paramref name="quarantineFile"/>).
    /// </summary>
    public static IEnumerable<string> Summary(IngestStatus final, string spoolDirectory, string quarantineFile)
    {
        var elapsed = final.At - final.StartedAt;
        yield return $"summary after {ValueText.Duration(TimeSpan.FromSeconds(Math.Round(elapsed.TotalSeconds)))}:";
        yield return $"  notifications {final.Notifications:N0} ({final.NotificationsNotAdmitted:N0} from devices not enrolled), samples {final.Samples:N0}, frames rejected {final.FramesRejected:N0}" +
            (final.FramesRejected > 0 ? $" (kept with their bytes and reasons in {quarantineFile})" : string.Empty);
        yield return $"  batches {final.BatchesSealed:N0} sealed, {final.BatchesSpooled:N0} spooled, {final.BatchesPublished:N0} sent to {final.Destination}, {final.BatchesReleased:N0} released";
        if (final.PublishFailures > 0 || final.Reconnects > 0)
        {
            yield return $"  publish failures {final.PublishFailures:N0} (retried), broker reconnects {final.Reconnects:N0}";
        }

        if (final.Gaps > 0)
        {
            yield return $"  gaps recorded {final.Gaps:N0} (hub downtime, paused intake, disconnects: rows in each device's gaps stream)";
        }

        yield return final.Backlog == 0
            ? "  nothing left unsent"
            : $"  {final.Backlog:N0} batch(es) ({ValueText.Size(final.SpoolBytes)}) stay in {spoolDirectory} and are sent at the next start";
        foreach (var device in final.Devices)
        {
            yield return $"  {device.Device} ({device.ProfileId}) {device.Samples:N0} samples, {device.FramesRejected:N0} rejected, {(device.Connected ? "connected" : "disconnected")}";
        }
    }

    /// <summary>The radio's part of the status line: trackers streaming of those enrolled, and the first problem.</summary>
    public static string Radio(Radio.RadioStatus radio)
    {
        var streaming = 0;
        foreach (var tracker in radio.Trackers)
        {
            if (tracker.State == Gateway.Radio.TrackerLinkState.Streaming)
            {
                streaming++;
            }
        }

        var line = $"  trackers {streaming}/{radio.Trackers.Count} streaming";
        return radio.Problems.Count > 0 ? line + " — " + radio.Problems[0] : line;
    }
}
