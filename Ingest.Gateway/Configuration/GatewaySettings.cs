using Ingest.Gateway.Radio;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;
using Ingest.Pipeline.Spool;
using Ingest.Pipeline.Simulation.Fleet;

namespace Ingest.Gateway.Configuration;

/// <summary>Where trackers come from (<c>Radio:Backend</c>).</summary>
internal enum RadioBackend
{
    /// <summary>The hub's Bluetooth adapter, through BlueZ on the system D-Bus.</summary>
    BlueZ,

    /// <summary>Virtual trackers behind a simulated radio (<c>--simulate N</c>).</summary>
    Simulator,
}

/// <summary>
/// Everything <c>wearable-ingest run</c> needs, resolved from the JSON file, the environment and the command line and
/// validated (<see cref="GatewayConfiguration.Load"/>). Immutable.
/// </summary>
internal sealed record GatewaySettings
{
    /// <summary>The data directory: the spool in <c>spool/</c>, the outbox in <c>outbox/</c>.</summary>
    public required string DataDirectory { get; init; }

    /// <summary>The configuration file that was read, or null when none.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Folder of firmware profiles, as given (null: ./firmware-profiles, else the shipped ones).</summary>
    public string? ProfilesDirectory { get; init; }

    /// <summary>The service's settings (hub, batching, shutdown grace, receipts).</summary>
    public required IngestOptions Ingest { get; init; }

    /// <summary>The spool's settings.</summary>
    public required SpoolOptions Spool { get; init; }

    /// <summary>How batches are encoded (compression).</summary>
    public required BatchEncodingOptions Encoding { get; init; }

    /// <summary>The broker connection, or null to write to the outbox.</summary>
    public MqttPublisherOptions? Broker { get; init; }

    /// <summary>How often the hub's health is published on the status topic.</summary>
    public required TimeSpan HealthInterval { get; init; }

    /// <summary>The simulated fleet (until the radio lands, issue 10, the only intake).</summary>
    public required SimulatedFleetOptions Simulator { get; init; }

    /// <summary>Where trackers come from: the hub's Bluetooth adapter through BlueZ, or the simulated radio.</summary>
    public RadioBackend RadioBackend { get; init; } = RadioBackend.BlueZ;

    /// <summary>How the radio supervisor keeps trackers streaming.</summary>
    public RadioOptions Radio { get; init; } = new();

    /// <summary>The D-Bus address of BlueZ's bus (<c>Radio:BusAddress</c>), or null for DBUS_SYSTEM_BUS_ADDRESS / the system bus.</summary>
    public string? BusAddress { get; init; }

    /// <summary>The web pages (participant page, nurse onboarding).</summary>
    public Web.WebOptions Web { get; init; } = new();

    /// <summary>Metrics export (Prometheus, OTLP).</summary>
    public Telemetry.MetricsOptions Metrics { get; init; } = new();

    /// <summary>What the participant page calls a problem.</summary>
    public Web.Participant.ParticipantOptions Participant { get; init; } = new();

    /// <summary>The keys that were given a value (file, environment, command line), for <c>run --check-config</c>.</summary>
    public IReadOnlyList<ConfiguredValue> Sources { get; init; } = [];

    /// <summary>The outbox folder used when there is no broker.</summary>
    public string OutboxDirectory => Path.Combine(DataDirectory, "outbox");

    /// <summary>
    /// Where the service keeps the frames its decoders rejected, with their bytes and reasons (the pipeline's
    /// FrameQuarantine writes <c>DATA_DIR/quarantine/frames.jsonl</c>).
    /// </summary>
    public string QuarantineFile => Path.Combine(DataDirectory, "quarantine", "frames.jsonl");

    /// <summary>The status topic: <c>wearables/{study}/hubs/{hub}/status</c>.</summary>
    public string StatusTopic => StatusTopicOf(Ingest.Study, Ingest.HubId);

    /// <summary>A hub's status topic (also what <c>broker check</c> tests by default).</summary>
    public static string StatusTopicOf(string study, string hubId) => $"{Pipeline.Publishing.BatchAddress.TopicRoot}/{study}/hubs/{hubId}/status";
}
