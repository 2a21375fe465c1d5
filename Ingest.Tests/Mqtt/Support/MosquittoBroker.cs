using System.Text;
using Ingest.Tests.Support;

namespace Ingest.Tests.Mqtt.Support;

/// <summary>
/// A private mosquitto started by a test on a free loopback port with a config written to a scratch folder,
/// stopped by PID. <see cref="RestartAsync"/> stops it gracefully (SIGTERM, so persistence is saved) and starts it
/// again on the same port.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly string _executable;
    private PeerProcess? _process;

    private MosquittoBroker(string executable, string directory, int port, string configuration)
    {
        _executable = executable;
        Directory = directory;
        Port = port;
        ConfigPath = Path.Combine(directory, "mosquitto.conf");
        File.WriteAllText(ConfigPath, configuration);
    }

    public string Directory { get; }

    public int Port { get; }

    public string ConfigPath { get; }

    public string LogPath => Path.Combine(Directory, "mosquitto.log");

    public string Log => File.Exists(LogPath) ? File.ReadAllText(LogPath) : _process?.Output ?? string.Empty;

    /// <summary>
    /// Starts mosquitto with one anonymous listener. <paramref name="extraConfiguration"/> lines are appended;
    /// <paramref name="listeners"/> replaces the default listener block when given ({port} is substituted).
    /// </summary>
    public static async Task<MosquittoBroker> StartAsync(string purpose, bool persistence = false, string extraConfiguration = "",
        string? listeners = null, Action<string>? prepare = null)
    {
        var executable = Peers.RequireMosquitto();
        var directory = Peers.NewScratchDirectory("mosquitto-" + purpose);
        var port = Peers.FreeTcpPort();
        var config = new StringBuilder();
        config.AppendLine("user root");
        config.AppendLine(CultureInvariant($"persistence {(persistence ? "true" : "false")}"));
        if (persistence)
        {
            config.AppendLine(CultureInvariant($"persistence_location {directory}/"));
            config.AppendLine("autosave_interval 1");
        }

        config.AppendLine(CultureInvariant($"log_dest file {directory}/mosquitto.log"));
        config.AppendLine("log_type error");
        config.AppendLine("log_type warning");
        config.AppendLine("log_type notice");
        config.AppendLine("log_type information");
        config.AppendLine("max_queued_messages 100000");
        if (listeners is null)
        {
            config.AppendLine(CultureInvariant($"listener {port} 127.0.0.1"));
            config.AppendLine("allow_anonymous true");
        }
        else
        {
            config.AppendLine(listeners.Replace("{port}", port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{dir}", directory, StringComparison.Ordinal));
        }

        config.AppendLine(extraConfiguration.Replace("{dir}", directory, StringComparison.Ordinal));
        prepare?.Invoke(directory);
        var broker = new MosquittoBroker(executable, directory, port, config.ToString());
        await broker.StartProcessAsync();
        return broker;
    }

    /// <summary>Graceful stop (SIGTERM; mosquitto saves its persistence database), then start again on the same port.</summary>
    public async Task RestartAsync(TimeSpan? downtime = null)
    {
        await StopAsync();
        if (downtime is { } pause)
        {
            await Task.Delay(pause);
        }

        await StartProcessAsync();
    }

    /// <summary>Starts it again on the same port after <see cref="StopAsync"/>.</summary>
    public Task StartAgainAsync() => _process is null ? StartProcessAsync() : throw new InvalidOperationException("already running");

    /// <summary>Graceful stop (SIGTERM) and wait for the process to exit.</summary>
    public async Task StopAsync()
    {
        var process = _process ?? throw new InvalidOperationException("not running");
        await PeerProcess.RunAsync(Peers.Require("kill", "apt-get install procps"), ["-TERM", process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            TimeSpan.FromSeconds(10));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (process.IsRunning && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        process.Dispose();
        _process = null;
    }

    /// <summary>Kills the broker (SIGKILL): whatever it had not saved is gone, as after a power cut. <see cref="StartAgainAsync"/> brings it back.</summary>
    public void Kill()
    {
        var process = _process ?? throw new InvalidOperationException("not running");
        process.Kill();
        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        _process?.Dispose();
        _process = null;
        await Task.CompletedTask;
    }

    private async Task StartProcessAsync()
    {
        _process = PeerProcess.Start(_executable, ["-c", ConfigPath], Directory);
        try
        {
            await Peers.WaitForTcpPortAsync(Port, TimeSpan.FromSeconds(10), _process);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"mosquitto did not start: {ex.Message}\nconfig:\n{File.ReadAllText(ConfigPath)}\nlog:\n{Log}", ex);
        }
    }

    private static string CultureInvariant(FormattableString value) => FormattableString.Invariant(value);
}
