using System.Net.Sockets;
using System.Runtime.Versioning;
using System.Text;
using Ingest.Gateway.Hosting;
using Ingest.Tests.Support;
using Microsoft.Extensions.Hosting.Systemd;
using GatewayProcess = Ingest.Tests.Gateway.Gateway;

namespace Ingest.Tests.Deploy;

/// <summary>
/// The hub under systemd: the notify protocol on a real Unix datagram socket bound by the test (as systemd binds
/// NOTIFY_SOCKET) given to a real <c>run</c>; the rules of <see cref="ServiceManager"/> with a recording notifier; error
/// lines with the journal's priority prefix.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ServiceManagerTests : IDisposable
{
    private readonly TemporaryDirectory _directory = new("notify");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Run_WithNotifySocket_SendsReadyWatchdogStatusAndStoppingInOrder()
    {
        var socketPath = _directory.Combine("notify.sock");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(socketPath));
        var environment = new Dictionary<string, string>
        {
            ["NOTIFY_SOCKET"] = socketPath,
            // 4 s: the hub must feed it at least every 2 s, so its 5 s log period shortens to 2 s.
            ["WATCHDOG_USEC"] = "4000000",
        };

        using var hub = GatewayProcess.Start(["run", "--simulate", "2", "--duration", "8s", "--data-dir", _directory.Combine("data")], environment);
        var messages = await ReceiveUntilAsync(socket, "STOPPING=1", TimeSpan.FromSeconds(90), hub);
        var exit = await hub.WaitForExitAsync(TimeSpan.FromSeconds(60));
        messages.AddRange(Drain(socket));

        var log = string.Join(" | ", messages);
        Assert.True(exit == 0, hub.Output);
        Assert.StartsWith("READY=1\nSTATUS=running: hub ", messages[0], StringComparison.Ordinal);
        var stopping = messages.FindIndex(m => m.Contains("STOPPING=1", StringComparison.Ordinal));
        Assert.True(stopping > 1, log);
        var ticks = messages[1..stopping];
        Assert.NotEmpty(ticks);
        Assert.All(ticks, m => Assert.StartsWith("WATCHDOG=1\nSTATUS=", m, StringComparison.Ordinal));
        Assert.Contains(ticks, m => m.Contains("samples/s", StringComparison.Ordinal));
        Assert.Contains("STATUS=stopping: --duration 8s elapsed", messages[stopping], StringComparison.Ordinal);
        Assert.DoesNotContain(messages[stopping..], m => m.Contains("WATCHDOG=1", StringComparison.Ordinal));
        // Redirected output under a service manager: log lines, never an in-place redraw.
        Assert.DoesNotContain('\r', hub.Output);
    }

    [Fact]
    public async Task Run_InTheJournal_ErrorLinesCarryTheErrorPriority()
    {
        var environment = new Dictionary<string, string> { ["JOURNAL_STREAM"] = "8:12345" };
        using var hub = GatewayProcess.Start(["run", "--simulate", "1", "--duration", "soon", "--data-dir", _directory.Combine("data")], environment);

        var exit = await hub.WaitForExitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exit);
        Assert.Contains("<3>error: --duration 'soon' is not a positive duration", hub.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Tick_BeforeReady_SendsNothing_ThenWatchdogOnlyWhileAlive()
    {
        var notifier = new RecordingNotifier();
        var manager = new ServiceManager(notifier, TimeSpan.FromSeconds(30), _ => { });

        manager.Tick("early", pipelineAlive: true);
        manager.Ready("running");
        manager.Ready("running again");
        manager.Tick("  12 notif/s", pipelineAlive: true);
        manager.Tick("failing", pipelineAlive: false);
        manager.Stopping("SIGTERM");

        Assert.Equal(["READY=1\nSTATUS=running", "WATCHDOG=1\nSTATUS=12 notif/s", "STATUS=failing", "STOPPING=1\nSTATUS=stopping: SIGTERM"], notifier.Sent);
        Assert.Equal(TimeSpan.FromSeconds(15), manager.MaximumTick);
    }

    [Fact]
    public void Tick_NoWatchdog_SendsStatusOnly_AndMultiLineTextStaysOneAssignment()
    {
        var notifier = new RecordingNotifier();
        var manager = new ServiceManager(notifier, watchdogTimeout: null, _ => { });

        manager.Ready("a\nWATCHDOG=1");
        manager.Tick(new string('x', ServiceManager.MaxStatusLength + 50), pipelineAlive: true);

        Assert.Equal("READY=1\nSTATUS=a WATCHDOG=1", notifier.Sent[0]);
        Assert.Equal("STATUS=" + new string('x', ServiceManager.MaxStatusLength), notifier.Sent[1]);
        Assert.Null(manager.MaximumTick);
    }

    [Fact]
    public void Disabled_WithoutNotifySocket_SendsNothingAndHasNoWatchdog()
    {
        var notifier = new RecordingNotifier { IsEnabled = false };
        var manager = new ServiceManager(notifier, TimeSpan.FromSeconds(30), _ => { });

        manager.Ready("running");
        manager.Tick("line", pipelineAlive: true);
        manager.Stopping("Ctrl+C");

        Assert.Empty(notifier.Sent);
        Assert.Null(manager.WatchdogTimeout);
    }

    [Fact]
    public void Send_SocketGone_WarnsOnceAndStops()
    {
        var notifier = new RecordingNotifier { Failure = new SocketException((int)SocketError.ConnectionRefused) };
        var warnings = new List<string>();
        var manager = new ServiceManager(notifier, TimeSpan.FromSeconds(30), warnings.Add);

        manager.Ready("running");
        manager.Tick("line", pipelineAlive: true);
        manager.Stopping("SIGTERM");

        Assert.Equal(1, notifier.Attempts);
        var warning = Assert.Single(warnings);
        Assert.Contains("cannot notify systemd on NOTIFY_SOCKET", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30000000", null, 30.0)]
    [InlineData("30000000", "4242", 30.0)]
    [InlineData("30000000", "1", null)]
    [InlineData(null, null, null)]
    [InlineData("", "4242", null)]
    public void WatchdogTimeoutFrom_HonoursWatchdogPid(string? usec, string? pid, double? seconds)
    {
        var warnings = new List<string>();

        var timeout = ServiceManager.WatchdogTimeoutFrom(usec, pid, 4242, warnings.Add);

        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, timeout);
        Assert.Empty(warnings);
    }

    [Theory]
    [InlineData("thirty")]
    [InlineData("-5")]
    [InlineData("0")]
    [InlineData("86400000001")]
    public void WatchdogTimeoutFrom_BadValue_WarnsAndHasNoWatchdog(string usec)
    {
        var warnings = new List<string>();

        var timeout = ServiceManager.WatchdogTimeoutFrom(usec, null, 4242, warnings.Add);

        Assert.Null(timeout);
        Assert.Contains($"WATCHDOG_USEC='{usec}'", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void JournalPriorityWriter_PrefixesEveryLine()
    {
        var inner = new StringWriter { NewLine = "\n" };
        using var writer = new JournalPriorityWriter(inner, JournalPriorityWriter.Error) { NewLine = "\n" };

        writer.WriteLine("error: one");
        writer.Write("error: two\nsecond ");
        writer.WriteLine("line");
        writer.WriteLine();

        Assert.Equal("<3>error: one\n<3>error: two\n<3>second line\n\n", inner.ToString());
    }

    private static async Task<List<string>> ReceiveUntilAsync(Socket socket, string last, TimeSpan timeout, PeerProcess hub)
    {
        var messages = new List<string>();
        var buffer = new byte[4096];
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            int received;
            try
            {
                received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no '{last}' within {timeout}; received: {string.Join(" | ", messages)}; hub: {hub.Output}");
            }

            var message = Encoding.UTF8.GetString(buffer, 0, received);
            messages.Add(message);
            if (message.Contains(last, StringComparison.Ordinal))
            {
                return messages;
            }
        }
    }

    private static List<string> Drain(Socket socket)
    {
        var messages = new List<string>();
        var buffer = new byte[4096];
        while (socket.Available > 0)
        {
            var received = socket.Receive(buffer);
            messages.Add(Encoding.UTF8.GetString(buffer, 0, received));
        }

        return messages;
    }

    /// <summary>Keeps what would have gone to systemd.</summary>
    private sealed class RecordingNotifier : ISystemdNotifier
    {
        public List<string> Sent { get; } = [];

        public int Attempts { get; private set; }

        public bool IsEnabled { get; init; } = true;

        public SocketException? Failure { get; init; }

        public void Notify(ServiceState state)
        {
            Attempts++;
            if (Failure is not null)
            {
                throw Failure;
            }

            Sent.Add(state.ToString());
        }
    }
}
