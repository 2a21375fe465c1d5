using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ingest.Bench.Mqtt;

/// <summary>A private mosquitto on a free loopback port for the throughput harness (persistence off, no subscribers).</summary>
internal sealed class BenchMosquitto : IDisposable
{
    private static readonly string[] s_candidates = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"];

    private readonly Process _process;
    private readonly string _directory;

    /// <param name="receiveMaximum">The broker's Receive Maximum (max_inflight_messages).</param>
    /// <param name="brokerCpu">Pins the broker to this CPU (the paired harness gives client and broker a core each).</param>
    public BenchMosquitto(int receiveMaximum, int? brokerCpu = null)
    {
        var executable = s_candidates.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed: apt-get install mosquitto (or scripts/install-test-peers.sh)");
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        _directory = Path.Combine(Path.GetTempPath(), "wearable-ingest-bench", "mosquitto-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(_directory);
        var config = Path.Combine(_directory, "mosquitto.conf");
        File.WriteAllText(config, $"""
            user root
            listener {Port} 127.0.0.1
            allow_anonymous true
            persistence false
            log_dest none
            max_inflight_messages {receiveMaximum}
            max_queued_messages 100000
            """);
        _process = Process.Start(new ProcessStartInfo(executable, ["-c", config]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })
            ?? throw new InvalidOperationException("mosquitto did not start");
        if (brokerCpu is { } cpu && (OperatingSystem.IsLinux() || OperatingSystem.IsWindows()))
        {
            // mosquitto is single-threaded: pinning its one thread gives the broker a core of its own.
            _process.ProcessorAffinity = (nint)(1L << cpu);
        }
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var probe = new TcpClient();
                probe.Connect(IPAddress.Loopback, Port);
                break;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
        }
    }

    public int Port { get; }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}
