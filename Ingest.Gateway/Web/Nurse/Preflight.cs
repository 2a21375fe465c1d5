using System.Globalization;
using Ingest.Gateway.Radio;

namespace Ingest.Gateway.Web.Nurse;

/// <summary>
/// The checks before a hub leaves the clinic: each passes or not (or cannot tell), and says what to do when it does not.
/// The hub is ready to go home only when every check passes.
/// </summary>
internal static class Preflight
{
    /// <summary>Runs every check over the hub now (reads the system clock state and the data directory's disk).</summary>
    public static IReadOnlyList<PreflightCheck> Run(IHubConsole hub) => Evaluate(hub, ClockSync.Read(), FreeBytes(hub.DataDirectory));

    /// <summary>The checks over given readings (tests give any clock and disk).</summary>
    public static IReadOnlyList<PreflightCheck> Evaluate(IHubConsole hub, ClockReading clock, long? freeBytes)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(clock);
        return [Broker(hub), Clock(clock), Disk(hub.DataDirectory, freeBytes), Adapter(hub.Radio), Trackers(hub.Radio), Spool(hub)];
    }

    /// <summary>Whether the hub may go home: every check passed.</summary>
    public static bool Ready(IReadOnlyList<PreflightCheck> checks) => checks.All(c => c.Ok == true);

    private static PreflightCheck Broker(IHubConsole hub)
    {
        const string title = "Broker reachable with its credentials";
        var status = hub.Ingest;
        if (status.DestinationState == "local" || status.Destination.StartsWith("outbox", StringComparison.Ordinal))
        {
            return new("broker", title, false, "Outbox only: this hub writes its data to a local folder and sends nothing to the trial.",
                "Set Broker:Url (and Broker:Username, Broker:Password) in the hub's configuration, restart the hub, and check again.");
        }

        return status.DestinationState == "connected"
            ? new("broker", title, true, $"Connected to {status.Destination}: the broker accepted the hub's credentials.", null)
            : new("broker", title, false, $"Not connected to {status.Destination} ({status.DestinationState}).",
                "Check the clinic network, Broker:Url and the hub's broker user name and password; 'wearable-ingest broker check' tells which is wrong.");
    }

    private static PreflightCheck Clock(ClockReading clock)
    {
        const string title = "Clock synchronised";
        return clock.Synchronised switch
        {
            true => new("clock", title, true, "The system clock is synchronised" +
                (clock.MaxErrorMicroseconds is { } error ? string.Create(CultureInfo.InvariantCulture, $" (error at most {error / 1000.0:0.#} ms).") : "."), null),
            false => new("clock", title, false, "The system clock is not synchronised: sample times would be wrong.",
                "Connect the hub to a network with internet (or the clinic's time server) and wait a minute; 'timedatectl' should say \"System clock synchronized: yes\"."),
            null => new("clock", title, null, "Unknown: " + clock.Unknown + ".", "Check with 'timedatectl' that the system clock is synchronised."),
        };
    }

    private static PreflightCheck Disk(string directory, long? freeBytes)
    {
        const string title = "Disk space";
        var need = Gibibytes(NurseLimits.MinFreeDiskBytes);
        return freeBytes switch
        {
            null => new("disk", title, null, $"Unknown: the data directory {directory} cannot be read.", "Check that the data directory exists and the hub's user can read it."),
            >= NurseLimits.MinFreeDiskBytes => new("disk", title, true, $"{Gibibytes(freeBytes.Value)} free for the data directory (at least {need} needed).", null),
            _ => new("disk", title, false, $"Only {Gibibytes(freeBytes.Value)} free for the data directory; at least {need} is needed.",
                "Free space on the hub's disk (old logs, files that are not the hub's) or give it a larger card."),
        };
    }

    private static PreflightCheck Adapter(RadioStatus radio)
    {
        const string title = "Bluetooth adapter healthy";
        if (!radio.BackendAvailable)
        {
            return new("adapter", title, false, "The hub cannot reach Bluetooth (BlueZ is not running).", "Restart the hub; if it persists, check 'systemctl status bluetooth'.");
        }

        if (radio.Adapters.Count == 0)
        {
            return new("adapter", title, false, "No Bluetooth adapter found.", "Plug the Bluetooth adapter in (or check the hub's built-in one is enabled) and restart the hub.");
        }

        var off = radio.Adapters.Where(a => !a.Powered).Select(a => a.Name).ToList();
        if (off.Count > 0)
        {
            return new("adapter", title, false, $"Adapter {string.Join(", ", off)} is powered off.", "Check 'rfkill list' shows Bluetooth unblocked, then restart the hub.");
        }

        return radio.Problems.Count > 0
            ? new("adapter", title, false, string.Join(" ", radio.Problems), "Do what the message says, then check again.")
            : new("adapter", title, true, string.Join(", ", radio.Adapters.Select(a => $"{a.Name} powered, {a.Links} of {a.MaxLinks} links")) + ".", null);
    }

    private static PreflightCheck Trackers(RadioStatus radio)
    {
        const string title = "Every enrolled tracker streaming";
        if (radio.Trackers.Count == 0)
        {
            return new("trackers", title, false, "No tracker is enrolled on this hub.", "Bind the participant's tracker on Find trackers.");
        }

        var silent = radio.Trackers.Where(t => t.State != TrackerLinkState.Streaming).ToList();
        return silent.Count == 0
            ? new("trackers", title, true, $"{radio.Trackers.Count} tracker{(radio.Trackers.Count == 1 ? "" : "s")} streaming.", null)
            : new("trackers", title, false,
                string.Join("; ", silent.Select(t => $"{t.Participant}'s tracker {t.Device} is {t.State.ToString().ToLowerInvariant()}" + (t.Problem is null ? "" : $" ({t.Problem})"))) + ".",
                "Put the tracker on, close to the hub, check it is charged; wait until Find trackers shows it streaming.");
    }

    private static PreflightCheck Spool(IHubConsole hub)
    {
        const string title = "Little data waiting to be sent";
        var status = hub.Ingest;
        if (status.Failure is { } failure)
        {
            return new("spool", title, false, "The hub's service stopped on a failure: " + failure, "Restart the hub; if it persists, call the study's technical contact.");
        }

        if (status.IntakePaused)
        {
            return new("spool", title, false, "The spool is full and intake is paused.", "Connect the hub to the broker so it can send what it holds, then check again.");
        }

        return status.Backlog <= NurseLimits.MaxBacklogBatches
            ? new("spool", title, true, $"{status.Backlog} batch{(status.Backlog == 1 ? "" : "es")} waiting (at most {NurseLimits.MaxBacklogBatches}).", null)
            : new("spool", title, false, $"{status.Backlog} batches are waiting to be sent (at most {NurseLimits.MaxBacklogBatches} before it goes home).",
                "Keep the hub on the clinic network until the backlog is sent, then check again.");
    }

    private static long? FreeBytes(string directory)
    {
        try
        {
            return new DriveInfo(Path.GetFullPath(directory)).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }

    private static string Gibibytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB");
}

/// <summary>One pre-flight check.</summary>
/// <param name="Id">Stable id (<c>data-check</c>): broker, clock, disk, adapter, trackers, spool.</param>
/// <param name="Title">What is checked, for people.</param>
/// <param name="Ok">Passed, failed, or null when it cannot tell.</param>
/// <param name="Detail">What was found.</param>
/// <param name="Fix">What to do when it did not pass, or null.</param>
internal sealed record PreflightCheck(string Id, string Title, bool? Ok, string Detail, string? Fix);
