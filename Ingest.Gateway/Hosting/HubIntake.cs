using Ingest.Gateway.Cli;
using Ingest.Gateway.Configuration;
using Ingest.Gateway.Radio;
using Ingest.Gateway.Radio.BlueZ;
using Ingest.Gateway.Registry;
using Ingest.Pipeline.Intake.Radio;
using Ingest.Pipeline.Profiles;
using Ingest.Pipeline.Simulation.Radio;

namespace Ingest.Gateway.Hosting;

/// <summary>
/// Where <c>run</c>'s trackers come from: a radio (BlueZ, or the simulated radio for <c>--simulate</c>) under the radio
/// supervisor, which is both the pipeline's notification source and its admission. The two radios differ only below
/// <see cref="IBleCentral"/>: enrollment, connection, setup writes, reconnects and gaps run the same code.
/// </summary>
internal sealed class HubIntake : IAsyncDisposable
{
    /// <summary>Most adapters the simulated radio gets (the simulator's own limit).</summary>
    public const int MaxSimulatedAdapters = SimulatedCentralOptions.MaxAdapters;

    private readonly IBleCentral _central;

    private HubIntake(IBleCentral central, RadioSupervisor supervisor, string description, EnrollmentRegistry? registry, IReadOnlyList<FirmwareProfile> profiles)
    {
        _central = central;
        Profiles = profiles;
        Supervisor = supervisor;
        Description = description;
        Registry = registry;
    }

    /// <summary>The firmware profiles the hub has.</summary>
    public IReadOnlyList<FirmwareProfile> Profiles { get; }

    /// <summary>The enrollment registry on a real radio (null for the simulator, whose trackers are enrolled in memory).</summary>
    public EnrollmentRegistry? Registry { get; }

    /// <summary>The supervisor: the service's source and admission.</summary>
    public RadioSupervisor Supervisor { get; }

    /// <summary>One line for people: what the intake is.</summary>
    public string Description { get; }

    /// <summary>
    /// The firmware profiles in <paramref name="directory"/> (<c>Profiles:Directory</c> or <c>--profiles-dir</c>), else
    /// <c>./firmware-profiles</c>, else the shipped ones.
    /// </summary>
    /// <exception cref="CliException">The folder does not exist.</exception>
    public static IReadOnlyList<FirmwareProfile> LoadProfiles(string? directory)
    {
        var resolved = ProfileLoader.ResolveDirectory(directory);
        if (!Directory.Exists(resolved))
        {
            throw new CliException($"profiles folder '{resolved}' does not exist (Profiles:Directory or --profiles-dir)");
        }

        return ProfileLoader.LoadAll(resolved);
    }

    /// <summary>
    /// The simulated room of <c>--simulate</c> (<c>run</c> and <c>scan</c> see the same one): the fleet's trackers, each
    /// enrolled as <c>sim-00n</c>, behind enough simulated adapters for the fleet, each within the supervisor's
    /// per-adapter limit (the <c>LinksPerAdapter</c> returned), as a real hub that size would need.
    /// </summary>
    public static (SimulatedCentral Central, SimulatedEnrollment Enrollment, int LinksPerAdapter) SimulatedRoom(GatewaySettings settings, IReadOnlyList<FirmwareProfile> profiles)
    {
        var fleet = settings.Simulator;
        var perAdapter = Math.Max(settings.Radio.MaxConnectionsPerAdapter, (fleet.TrackerCount + MaxSimulatedAdapters - 1) / MaxSimulatedAdapters);
        var adapterCount = (fleet.TrackerCount + perAdapter - 1) / perAdapter;
        var central = new SimulatedCentral(profiles, new SimulatedCentralOptions
        {
            Fleet = fleet,
            Adapters = Enumerable.Range(0, adapterCount).Select(static i => "hci" + i).ToArray(),
            ConnectionLimit = Math.Max(perAdapter, SimulatedCentralOptions.DefaultConnectionLimit),
            Seed = fleet.Seed,
        });
        return (central, new SimulatedEnrollment(central, settings.Ingest.Study, settings.Ingest.Site), perAdapter);
    }

    /// <summary>The simulated radio for <c>--simulate</c>: every virtual tracker enrolled as <c>sim-00n</c>.</summary>
    public static HubIntake Simulated(GatewaySettings settings, IReadOnlyList<FirmwareProfile> profiles, Action<string> log)
    {
        var fleet = settings.Simulator;
        var (central, enrollment, perAdapter) = SimulatedRoom(settings, profiles);
        var supervisor = new RadioSupervisor(central, enrollment, profiles, settings.Ingest.Study,
            settings.Radio with { MaxConnectionsPerAdapter = perAdapter }, log, notificationCapacity: settings.Ingest.ChannelCapacity);
        var profileNames = fleet.ProfileIds ?? profiles.Select(static p => p.Id).ToArray();
        return new HubIntake(central, supervisor,
            $"intake: simulated radio ({central.Adapters.Count} adapter(s)), {fleet.TrackerCount} virtual tracker(s) enrolled as sim-001…, seed {fleet.Seed}, " +
            $"profiles {string.Join(", ", profileNames.Distinct().Take(fleet.TrackerCount))}", registry: null, profiles);
    }

    /// <summary>
    /// The hub's own radio: BlueZ on the system bus (or <c>Radio:BusAddress</c>), trackers from the enrollment registry in
    /// <c>DATA_DIR/state/registry.db</c> (created on first use). Nothing is connected until it is started.
    /// </summary>
    /// <exception cref="RegistryException">The registry cannot be opened; the message says why.</exception>
    public static HubIntake BlueZ(GatewaySettings settings, IReadOnlyList<FirmwareProfile> profiles, Action<string> log)
    {
        var registry = EnrollmentRegistry.Open(EnrollmentRegistry.PathIn(settings.DataDirectory), create: true);
        try
        {
            var enrolled = new RegistryEnrolledTrackers(registry, settings.Ingest.Study);
            var central = new BlueZCentral(new BlueZOptions { BusAddress = settings.BusAddress });
            var supervisor = new RadioSupervisor(central, enrolled, profiles, settings.Ingest.Study, settings.Radio, log,
                notificationCapacity: settings.Ingest.ChannelCapacity);
            var count = enrolled.List().Count;
            var description = $"intake: Bluetooth LE through BlueZ ({central.BusAddress}), {count} tracker(s) enrolled in study {settings.Ingest.Study}" +
                (count == 0 ? "; none to connect yet: find trackers with 'wearable-ingest scan' and enroll them with 'wearable-ingest enroll' (the running hub picks them up)" : "");
            return new HubIntake(central, supervisor, description, registry, profiles);
        }
        catch
        {
            registry.Dispose();
            throw;
        }
    }

    /// <summary>Starts the radio: afterwards the supervisor's <c>RunAsync</c> keeps it.</summary>
    /// <exception cref="BleUnavailableException">No radio backend; the message says what to do.</exception>
    public Task StartAsync(CancellationToken cancellationToken) => Supervisor.StartRadioAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _central.DisposeAsync().ConfigureAwait(false);
        Registry?.Dispose();
    }
}
