namespace Ingest.Gateway.Radio.BlueZ;

/// <summary>Settings of <see cref="BlueZCentral"/>: immutable, defaults as named constants, checked by <see cref="Validate"/>.</summary>
internal sealed class BlueZOptions
{
    /// <summary>The standard system bus socket, used when neither the option nor <c>DBUS_SYSTEM_BUS_ADDRESS</c> is set.</summary>
    public const string DefaultSystemBusAddress = "unix:path=/var/run/dbus/system_bus_socket";

    /// <summary>The environment variable D-Bus clients read for the system bus (tests point it at a private bus).</summary>
    public const string SystemBusAddressVariable = "DBUS_SYSTEM_BUS_ADDRESS";

    /// <summary>Events buffered for the supervisor: a burst of advertisements from a busy waiting room fits; then the central waits.</summary>
    public const int DefaultEventCapacity = 256;

    /// <summary>
    /// Bus signals waiting for the state machine. The D-Bus receive loop never waits on this queue: when it is full the
    /// signal is not queued, and the central re-reads BlueZ's whole object tree (GetManagedObjects) and emits the
    /// difference instead, so state is never lost, only coalesced.
    /// </summary>
    public const int DefaultSignalBacklog = 4096;

    /// <summary>
    /// Notification values queued per StartNotify subscription between the D-Bus receive loop and the task that delivers
    /// them to the pipeline: about half a second of a 244-byte-per-notification PMD stream.
    /// </summary>
    public const int DefaultSubscriptionBacklog = 256;

    /// <summary>
    /// Longest wait for any BlueZ reply: a backstop above BlueZ's own LE connect timeout (about 40 s), so a slow
    /// Device1.Connect is ended by BlueZ or by the caller's token (the supervisor's connect timeout), not by us.
    /// </summary>
    public static readonly TimeSpan DefaultCallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The bus address; null means <c>DBUS_SYSTEM_BUS_ADDRESS</c>, else <see cref="DefaultSystemBusAddress"/>.</summary>
    public string? BusAddress { get; init; }

    /// <summary>Capacity of <see cref="BlueZCentral.Events"/>.</summary>
    public int EventCapacity { get; init; } = DefaultEventCapacity;

    /// <summary>Capacity of the internal signal queue (see <see cref="DefaultSignalBacklog"/>).</summary>
    public int SignalBacklog { get; init; } = DefaultSignalBacklog;

    /// <summary>Capacity of each StartNotify subscription's value queue.</summary>
    public int SubscriptionBacklog { get; init; } = DefaultSubscriptionBacklog;

    /// <summary>Longest wait for one BlueZ method reply.</summary>
    public TimeSpan CallTimeout { get; init; } = DefaultCallTimeout;

    /// <summary>
    /// StartAsync fails when BlueZ has no adapter (a hub without a radio cannot do its job). The supervisor still copes
    /// with the adapter vanishing later.
    /// </summary>
    public bool RequireAdapter { get; init; } = true;

    /// <summary>The clock that stamps events.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The address to connect to: the option, else the environment variable, else the standard socket.</summary>
    public string ResolveBusAddress()
    {
        if (!string.IsNullOrWhiteSpace(BusAddress))
        {
            return BusAddress;
        }

        var fromEnvironment = Environment.GetEnvironmentVariable(SystemBusAddressVariable);
        return string.IsNullOrWhiteSpace(fromEnvironment) ? DefaultSystemBusAddress : fromEnvironment;
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (EventCapacity is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"BlueZ event capacity {EventCapacity} is outside 1..1000000", nameof(EventCapacity));
        }

        if (SignalBacklog is < 16 or > 1_000_000)
        {
            throw new ArgumentException($"BlueZ signal backlog {SignalBacklog} is outside 16..1000000", nameof(SignalBacklog));
        }

        if (SubscriptionBacklog is < 1 or > 100_000)
        {
            throw new ArgumentException($"BlueZ subscription backlog {SubscriptionBacklog} is outside 1..100000", nameof(SubscriptionBacklog));
        }

        if (CallTimeout <= TimeSpan.Zero || CallTimeout > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException($"BlueZ call timeout {CallTimeout} is outside (0, 10 min]", nameof(CallTimeout));
        }

        ArgumentNullException.ThrowIfNull(Time);
    }
}
