using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting.Systemd;

namespace Ingest.Gateway.Hosting;

/// <summary>
/// Tells systemd how the hub is doing, over the notify protocol (man sd_notify(3); deploy/systemd/wearable-ingest.service
/// is <c>Type=notify</c> with <c>WatchdogSec=30</c>): <c>READY=1</c> once the service and the radio run, <c>STATUS=</c>
/// with the one-line status on every status tick, <c>WATCHDOG=1</c> on every tick while the pipeline is alive, and
/// <c>STOPPING=1</c> when a stop begins. Without <c>NOTIFY_SOCKET</c> (a terminal, a test, a container without systemd)
/// every call does nothing.
/// <para>
/// The datagrams go through <see cref="SystemdNotifier"/> of Microsoft.Extensions.Hosting.Systemd; its public
/// <see cref="ServiceState(string)"/> constructor carries any assignment, so WATCHDOG=1 and STATUS= need no socket code
/// of ours. Thread-safety: one caller at a time (the hub's status loop and its stop path run one after the other).
/// </para>
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ServiceManager
{
    /// <summary>
    /// Shortest status period the watchdog may ask for: a <c>WatchdogSec</c> below 1 s (a tick every 0.5 s) would have the
    /// hub spend its time reporting; the hub then ticks at this period and systemd may kill it on a slow disk.
    /// </summary>
    public static readonly TimeSpan MinimumTick = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Longest STATUS= text sent: systemd shows one line in <c>systemctl status</c>, and a datagram must stay far below the
    /// socket's buffer (the notifier's send does not block on that assumption).
    /// </summary>
    public const int MaxStatusLength = 400;

    /// <summary>Longest watchdog timeout taken from WATCHDOG_USEC: a day; anything longer is a typo, not a watchdog.</summary>
    public const long MaxWatchdogMicroseconds = 86_400_000_000;

    private readonly ISystemdNotifier _notifier;
    private readonly Action<string> _warn;
    private bool _ready;
    private bool _failed;

    /// <param name="notifier">Where the messages go (disabled: nothing is sent).</param>
    /// <param name="watchdogTimeout">systemd's watchdog timeout for this process (WATCHDOG_USEC), or null when there is none.</param>
    /// <param name="warn">One line for the log when systemd cannot be told something (the hub keeps running).</param>
    public ServiceManager(ISystemdNotifier notifier, TimeSpan? watchdogTimeout, Action<string> warn)
    {
        _notifier = notifier;
        _warn = warn;
        WatchdogTimeout = notifier.IsEnabled ? watchdogTimeout : null;
    }

    /// <summary>Whether systemd listens (NOTIFY_SOCKET is set).</summary>
    public bool IsEnabled => _notifier.IsEnabled;

    /// <summary>systemd's watchdog timeout, when it keeps one for this process and listens.</summary>
    public TimeSpan? WatchdogTimeout { get; }

    /// <summary>
    /// The longest the status loop may wait between two ticks: half the watchdog timeout, as sd_watchdog_enabled(3)
    /// advises, so one late tick is not yet a kill; null when there is no watchdog.
    /// </summary>
    public TimeSpan? MaximumTick => WatchdogTimeout is { } timeout ? Max(timeout / 2, MinimumTick) : null;

    /// <summary>
    /// From the environment systemd gives a service: NOTIFY_SOCKET (<see cref="SystemdNotifier"/> reads it), and
    /// WATCHDOG_USEC, which counts only when WATCHDOG_PID is unset or names this process (sd_watchdog_enabled(3)).
    /// </summary>
    public static ServiceManager FromEnvironment(Action<string> warn) =>
        new(new SystemdNotifier(), WatchdogTimeoutFrom(Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
            Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId, warn), warn);

    /// <summary>
    /// The watchdog timeout systemd asks of process <paramref name="processId"/>: WATCHDOG_USEC (<paramref name="usec"/>)
    /// when WATCHDOG_PID (<paramref name="pid"/>) is unset or names it (sd_watchdog_enabled(3)); null when there is none
    /// or the value is not a positive number of microseconds (then <paramref name="warn"/> says so).
    /// </summary>
    internal static TimeSpan? WatchdogTimeoutFrom(string? usec, string? pid, int processId, Action<string> warn)
    {
        if (string.IsNullOrEmpty(usec))
        {
            return null;
        }

        if (!string.IsNullOrEmpty(pid) && pid != processId.ToString(CultureInfo.InvariantCulture))
        {
            // Meant for another process (a parent that passed its environment on).
            return null;
        }

        if (long.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) && microseconds > 0
            && microseconds <= MaxWatchdogMicroseconds)
        {
            return TimeSpan.FromMicroseconds(microseconds);
        }

        warn($"warning: WATCHDOG_USEC='{usec}' is not a number of microseconds from 1 to {MaxWatchdogMicroseconds}; the watchdog is not fed (set WatchdogSec= in the unit)");
        return null;
    }

    /// <summary>
    /// Whether the output goes to the journal: systemd sets JOURNAL_STREAM for a service whose standard output or error
    /// is connected to journald (systemd.exec(5)). Error lines then carry a priority prefix.
    /// </summary>
    public static bool InJournal() => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"));

    /// <summary>
    /// Whether the status may be redrawn in place: standard output is a terminal and systemd does not run this process
    /// (<see cref="SystemdHelpers.IsSystemdService"/>; a unit with StandardOutput=tty would otherwise fill a console
    /// with carriage returns).
    /// </summary>
    public static bool MayRedraw() => !Console.IsOutputRedirected && !SystemdHelpers.IsSystemdService();

    /// <summary>The service and the radio run: systemd's start job completes (Type=notify) with <paramref name="status"/> shown.</summary>
    public void Ready(string status)
    {
        if (_ready)
        {
            return;
        }

        _ready = true;
        Send("READY=1\nSTATUS=" + OneLine(status));
    }

    /// <summary>
    /// One status tick: STATUS= with <paramref name="statusLine"/>, and WATCHDOG=1 when <paramref name="pipelineAlive"/>
    /// (a failed or ended pipeline stops feeding the watchdog, so systemd restarts a hub that hangs on its way down).
    /// </summary>
    public void Tick(string statusLine, bool pipelineAlive)
    {
        if (!_ready)
        {
            return;
        }

        var message = "STATUS=" + OneLine(statusLine);
        if (pipelineAlive && WatchdogTimeout is not null)
        {
            message = "WATCHDOG=1\n" + message;
        }

        Send(message);
    }

    /// <summary>A stop has begun (signal, duration, failure): systemd waits up to TimeoutStopSec for the exit.</summary>
    public void Stopping(string why) => Send("STOPPING=1\nSTATUS=" + OneLine("stopping: " + why));

    private void Send(string message)
    {
        if (!_notifier.IsEnabled || _failed)
        {
            return;
        }

        try
        {
            _notifier.Notify(new ServiceState(message));
        }
        catch (SocketException ex)
        {
            // Once: a socket that is gone stays gone; the hub works on without telling systemd.
            _failed = true;
            _warn($"warning: cannot notify systemd on NOTIFY_SOCKET ({ex.Message}); status and watchdog messages stop. Is the unit Type=notify?");
        }
    }

    /// <summary>A status line as one STATUS= value: newlines would start new assignments, so they become spaces.</summary>
    private static string OneLine(string text)
    {
        var line = text.Trim().Replace('\n', ' ').Replace('\r', ' ');
        return line.Length <= MaxStatusLength ? line : line[..MaxStatusLength];
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
