using System.Globalization;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Simulation.Fleet;
using Ingest.Pipeline.Spool;
using Ingest.Tests.Pipeline.Simulation.Fleet;

namespace Ingest.Tests.Reliability.Support;

/// <summary>
/// One run of the ingestion service in this process against a real broker: its own MQTT connection (client id = hub id),
/// a <see cref="MqttBatchPublisher"/>, a data dir that survives the run (spool/ and state/), and a source the test
/// chooses (a live simulated fleet by default). Several runs on the same data dir model restarts.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ServiceRig : IAsyncDisposable
{
    public const string HubId = "hub-faults";

    private readonly MqttPublisher _mqtt;
    private readonly MqttBatchPublisher _publisher;
    private readonly INotificationSource _source;

    private ServiceRig(IngestService service, MqttPublisher mqtt, MqttBatchPublisher publisher, INotificationSource source)
    {
        Service = service;
        _mqtt = mqtt;
        _publisher = publisher;
        _source = source;
    }

    public IngestService Service { get; }

    public IngestStatus Status => Service.Status;

    public static IngestOptions Options(bool receipts = false) => new()
    {
        HubId = HubId,
        Study = "study-faults",
        Site = "site-1",
        BatchMaxAge = TimeSpan.FromMilliseconds(250),
        RequireReceipts = receipts,
        ReceiptTimeout = TimeSpan.FromSeconds(3),
        ShutdownGrace = TimeSpan.FromSeconds(30),
    };

    /// <summary>A live, real-time simulated fleet of <paramref name="trackers"/> (the same seed gives the same devices, so a restart continues their streams).</summary>
    public static SimulatedFleet Fleet(int trackers = 4, ulong seed = 11) =>
        new(FleetHarness.Profiles, new SimulatedFleetOptions { TrackerCount = trackers, Seed = seed });

    public static async Task<ServiceRig> StartAsync(int brokerPort, string dataDir, INotificationSource? source = null, IngestOptions? options = null,
        Func<SpoolOptions, SpoolOptions>? spool = null)
    {
        options ??= Options();
        source ??= Fleet();
        Assert.True(MqttBrokerUrl.TryParse(string.Create(CultureInfo.InvariantCulture, $"mqtt://127.0.0.1:{brokerPort}"), out var url, out var error), error);
        var mqtt = new MqttPublisher(new MqttPublisherOptions
        {
            Broker = url,
            ClientId = options.HubId,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PublishTimeout = TimeSpan.FromSeconds(5),
            ReconnectMaximumDelay = TimeSpan.FromSeconds(1),
            AllowFallbackToV311 = false,
        });
        await mqtt.ConnectAsync();
        var publisher = await MqttBatchPublisher.CreateAsync(mqtt, options);
        var spoolOptions = new SpoolOptions { Directory = Path.Combine(dataDir, "spool"), CheckpointInterval = TimeSpan.FromMilliseconds(200) };
        spoolOptions = spool?.Invoke(spoolOptions) ?? spoolOptions;
        var service = IngestService.Start(options, source, new SimulatedAdmission(FleetHarness.Profiles), spoolOptions, publisher);
        return new ServiceRig(service, mqtt, publisher, source);
    }

    /// <summary>Stops the service cleanly and returns its last status (the completion's failure, if any, is rethrown).</summary>
    public async Task<IngestStatus> StopAsync()
    {
        await Service.StopAsync().WaitAsync(TimeSpan.FromSeconds(90));
        var status = Service.Status;
        await Service.Completion;
        return status;
    }

    /// <summary>Each stream's next sequence as the ledger in <paramref name="dataDir"/> says, keyed as the subscriber keys them (hub/stream).</summary>
    public static Dictionary<string, long> LedgerNextSequences(string dataDir)
    {
        using var ledger = ServiceLedger.Open(Path.Combine(dataDir, "state"));
        Assert.Null(ledger.Problem);
        return ledger.NextSequences.ToDictionary(p => HubId + "/" + p.Key, p => p.Value, StringComparer.Ordinal);
    }

    /// <summary>Waits until <paramref name="condition"/> holds or fails with <paramref name="what"/> and the status.</summary>
    public async Task WaitUntilAsync(Func<IngestStatus, bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(Status))
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}; status: {Status}");
            Assert.False(Service.Completion.IsCompleted, $"the service stopped while waiting for {what}: {Status.Failure}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the status reports a failure (a stage failed; the service is stopping).</summary>
    public async Task WaitUntilFailedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Status.Failure is null)
        {
            Assert.True(DateTime.UtcNow < deadline, $"no failure reported within {timeout}; status: {Status}");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Service.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (IngestFailedException)
        {
            // The test looked at Completion already.
        }
        catch (TimeoutException)
        {
            // The test has failed already on the hang; do not hang the run as well.
        }

        await _publisher.DisposeAsync();
        await _mqtt.DisposeAsync();
        if (_source is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }
}
