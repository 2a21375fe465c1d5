using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Ingest.Reliability;

namespace Ingest.Bench.Crash;

/// <summary>
/// <c>crash [--kills N] [--seed S] [--min-up S] [--max-up S] [--early SHARE] [--trackers N] [--receipts] [--work DIR] [--gateway DLL]</c>:
/// the long mode of the kill -9 harness (the test, <c>Ingest.Tests/Reliability/CrashTests.cs</c>, runs 10 kills). Starts
/// its own mosquitto on a free loopback port, a <see cref="VerifyingSubscriber"/>, then <see cref="CrashHarness"/> with
/// <c>wearable-ingest run --simulate N --broker URL</c> as the gateway it kills; prints the closing note's figures and
/// exits 1 if anything durable was lost.
/// scripts/bench-crash.sh runs it. Not part of CI (it takes about 10 s per kill).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class CrashBench
{
    private static readonly string[] s_mosquittoPaths = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"];

    private static readonly string[] s_configurations = ["Release", "Debug"];

    private const string Usage = "usage: crash [--kills N] [--seed S] [--min-up SECONDS] [--max-up SECONDS] [--early SHARE] [--trackers N] [--receipts] [--work DIR] [--gateway wearable-ingest.dll]";

    /// <summary>The hub id the gateway runs under (the receiver keys streams by it).</summary>
    public const string HubId = "hub-crash";

    public static async Task<int> RunAsync(string[] args)
    {
        int kills = 200, seed = 1, trackers = 6;
        double minUp = 1, maxUp = 8, earlyShare = 0.15;
        var receipts = false;
        string? gateway = null;
        var work = Path.Combine(Path.GetTempPath(), "wearable-ingest-crash-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--kills": kills = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--min-up": minUp = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--max-up": maxUp = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--early": earlyShare = double.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--trackers": trackers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--receipts": receipts = true; break;
                case "--work": work = args[++i]; break;
                case "--gateway": gateway = args[++i]; break;
                default: await Console.Error.WriteLineAsync(Usage); return 2;
            }
        }

        var mosquitto = s_mosquittoPaths.FirstOrDefault(File.Exists);
        if (mosquitto is null)
        {
            await Console.Error.WriteLineAsync("crash: mosquitto is not installed; run scripts/install-test-peers.sh (or apt-get install mosquitto)");
            return 2;
        }

        var root = RepositoryRoot();
        gateway ??= s_configurations.Select(c => Path.Combine(root, "Ingest.Gateway", "bin", c, "net10.0", "wearable-ingest.dll")).FirstOrDefault(File.Exists);
        if (gateway is null || !File.Exists(gateway))
        {
            await Console.Error.WriteLineAsync("crash: wearable-ingest.dll not found; build Ingest.Gateway (scripts/bench-crash.sh does) or pass --gateway PATH");
            return 2;
        }
        Directory.CreateDirectory(work);
        var port = FreePort();
        var config = Path.Combine(work, "mosquitto.conf");
        await File.WriteAllTextAsync(config, string.Create(CultureInfo.InvariantCulture,
            $"user root\npersistence false\nlistener {port} 127.0.0.1\nallow_anonymous true\nmax_queued_messages 1000000\nlog_dest file {work}/mosquitto.log\n"));
        using var broker = Process.Start(new ProcessStartInfo(mosquitto, ["-c", config]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true })!;
        try
        {
            await WaitForPortAsync(port);
            await using var subscriber = await VerifyingSubscriber.StartAsync(port, "crash-bench-receiver");
            var childCommand = GatewayCommand(gateway, Path.Combine(root, "firmware-profiles"), trackers, seed, receipts);
            var options = new CrashHarnessOptions(kills, seed, TimeSpan.FromSeconds(minUp), TimeSpan.FromSeconds(maxUp), earlyShare, childCommand,
                string.Create(CultureInfo.InvariantCulture, $"mqtt://127.0.0.1:{port}"), Path.Combine(work, "data"), TimeSpan.FromSeconds(5));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"crash: {kills} kills, seed {seed}, up {minUp}-{maxUp} s, {earlyShare:P0} during start-up, {trackers} trackers, receipts {(receipts ? "on" : "off")}, work {work}"));
            var figures = await CrashHarness.RunAsync(options, subscriber, HubId, Console.Out);
            Console.WriteLine(figures.Report.Describe());
            Console.WriteLine(figures.Describe());
            return figures.Report.Lost == 0 && figures.Report.Conflicts == 0 && figures.Report.HashMismatches == 0 && figures.Report.Unexpected == 0 ? 0 : 1;
        }
        finally
        {
            broker.Kill();
            await broker.WaitForExitAsync();
        }
    }

    /// <summary>The gateway's run command for the harness (it adds --broker and --data-dir).</summary>
    public static List<string> GatewayCommand(string gatewayDll, string profilesDir, int trackers, int seed, bool receipts)
    {
        var command = new List<string>
        {
            "dotnet", gatewayDll, "run",
            "--simulate", trackers.ToString(CultureInfo.InvariantCulture),
            "--seed", seed.ToString(CultureInfo.InvariantCulture),
            "--hub-id", HubId,
            "--study", "study-crash",
            "--profiles-dir", profilesDir,
            "--batch-age", "250ms",
            "--shutdown-grace", "30s",
        };
        if (receipts)
        {
            command.AddRange(["--require-receipts", "true", "--set", "Pipeline:ReceiptTimeout=5s"]);
        }

        return command;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (var i = 0; i < 400; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(25);
            }
        }

        throw new TimeoutException("mosquitto did not listen on " + port.ToString(CultureInfo.InvariantCulture));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "WearableIngest.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("WearableIngest.sln not found above " + AppContext.BaseDirectory);
    }
}
