using System.Globalization;
using System.Runtime.InteropServices;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Pipeline.Spool;

namespace Ingest.Bench.Crash;

/// <summary>
/// The process the crash harness kills: the ingestion service with a real-time simulated fleet, publishing to a broker,
/// on a data dir that survives it. <c>crash-child --broker URL --data-dir DIR --profiles DIR [--trackers N] [--seed S]
/// [--receipts]</c>. Prints <c>ready …</c> with what recovery found once the service runs; SIGTERM (or SIGINT) stops it
/// cleanly and it exits 0 with a <c>stopped …</c> line. A stand-in until <c>wearable-ingest run --simulate N --broker URL</c>
/// is on main (the harness then kills that instead); it builds the service the same way the gateway does.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class CrashChild
{
    public const string HubId = "hub-crash";

    public static async Task<int> RunAsync(string[] args)
    {
        string? broker = null, dataDir = null, profiles = null;
        var trackers = 4;
        ulong seed = 5;
        var receipts = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--broker": broker = args[++i]; break;
                case "--data-dir": dataDir = args[++i]; break;
                case "--profiles": profiles = args[++i]; break;
                case "--trackers": trackers = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--seed": seed = ulong.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--receipts": receipts = true; break;
                default:
                    await Console.Error.WriteLineAsync("usage: crash-child --broker URL --data-dir DIR --profiles DIR [--trackers N] [--seed S] [--receipts]");
                    return 2;
            }
        }

        if (broker is null || dataDir is null || profiles is null || !MqttBrokerUrl.TryParse(broker, out var url, out var error))
        {
            await Console.Error.WriteLineAsync("crash-child: --broker (a valid URL), --data-dir and --profiles are required");
            return 2;
        }

        _ = error;
        var options = new IngestOptions
        {
            HubId = HubId,
            Study = "study-crash",
            Site = "site-1",
            BatchMaxAge = TimeSpan.FromMilliseconds(250),
            RequireReceipts = receipts,
            ReceiptTimeout = TimeSpan.FromSeconds(5),
            ShutdownGrace = TimeSpan.FromSeconds(30),
        };
        var profileList = ProfileLoader.LoadAll(profiles);
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });

        await using var mqtt = new MqttPublisher(new MqttPublisherOptions
        {
            Broker = url,
            ClientId = HubId,
            AllowFallbackToV311 = false,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PublishTimeout = TimeSpan.FromSeconds(5),
            ReconnectMaximumDelay = TimeSpan.FromSeconds(1),
        });
        await mqtt.ConnectAsync();
        await using var publisher = await MqttBatchPublisher.CreateAsync(mqtt, options);
        var fleet = new SimulatedFleet(profileList, new SimulatedFleetOptions { TrackerCount = trackers, Seed = seed });
        var service = IngestService.Start(options, fleet, new SimulatedAdmission(profileList),
            new SpoolOptions { Directory = Path.Combine(dataDir, "spool"), CheckpointInterval = TimeSpan.FromMilliseconds(200) }, publisher);
        var recovery = service.Recovery;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ready recovered={recovery.RecordsRecovered} quarantined_records={recovery.QuarantinedRecords} quarantined_regions={recovery.QuarantinedRegions} torn_tail_bytes={recovery.TornTailBytes} missing_segments={recovery.MissingSegments.Count} ledger={(service.LedgerProblem is null ? "ok" : "damaged")}"));
        Console.Out.Flush();

        try
        {
            await Task.WhenAny(Task.Delay(Timeout.Infinite, stop.Token), service.Completion);
        }
        catch (OperationCanceledException)
        {
        }

        await service.StopAsync();
        var status = service.Status;
        var failed = service.Completion.IsFaulted;
        await service.DisposeAsync().AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"stopped spooled={status.BatchesSpooled} released={status.BatchesReleased} backlog={status.Backlog} failure={status.Failure ?? "none"}"));
        return failed ? 1 : 0;
    }
}
