namespace Ingest.Gateway.Radio;

/// <summary>
/// How the radio supervisor keeps trackers streaming (configuration section <c>Radio</c>). Defaults are named with the
/// reason for each; <see cref="Validate"/> names any bad value.
/// </summary>
public sealed record RadioOptions
{
    /// <summary>Links most adapters hold reliably: controllers allow 5–7 LE connections; 5 leaves room for bursts of PMD data.</summary>
    public const int DefaultMaxConnectionsPerAdapter = 5;

    /// <summary>Upper bound accepted for <see cref="MaxConnectionsPerAdapter"/> (the most any common controller allows).</summary>
    public const int MaxConnectionsLimit = 32;

    /// <summary>Most concurrent links per adapter; enrolled trackers beyond it wait (and the status says so).</summary>
    public int MaxConnectionsPerAdapter { get; init; } = DefaultMaxConnectionsPerAdapter;

    /// <summary>First reconnect delay: long enough not to hammer a tracker that just dropped, short enough to lose little data.</summary>
    public TimeSpan ReconnectInitialDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest reconnect delay: a tracker back in range is picked up within a minute.</summary>
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A link that stayed up this long resets the backoff to <see cref="ReconnectInitialDelay"/>.</summary>
    public TimeSpan StableLinkTime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest wait for a Connect call (BlueZ's own LE connect timeout is about 40 s).</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for GATT service resolution after connecting.</summary>
    public TimeSpan ServicesResolveTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>A stream with a nominal rate that delivers nothing for this long (or three sample periods, if longer) is restarted.</summary>
    public TimeSpan StreamStallTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>No advertisement at all for this long, while discovering with enrolled trackers away, means a wedged adapter: power-cycle it.</summary>
    public TimeSpan AdvertisementSilence { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>This many <c>org.bluez.Error.InProgress</c> answers in a row from one adapter mean it is wedged: power-cycle it.</summary>
    public int InProgressLimit { get; init; } = 3;

    /// <summary>Pause between powering an adapter off and on again.</summary>
    public TimeSpan PowerCycleDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the supervisor looks at enrollments, backoffs and adapter health.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a connected tracker's battery level is read again.</summary>
    public TimeSpan BatteryReadInterval { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Throws <see cref="ArgumentException"/> naming the first bad value as "KEY is VALUE; set it …", the form the
    /// configuration reader reports with the value's source.
    /// </summary>
    public void Validate()
    {
        if (MaxConnectionsPerAdapter is < 1 or > MaxConnectionsLimit)
        {
            throw new ArgumentException($"Radio:MaxConnectionsPerAdapter is {MaxConnectionsPerAdapter}; set it from 1 to {MaxConnectionsLimit}");
        }

        Positive(ReconnectInitialDelay, "Radio:ReconnectInitialDelay");
        Positive(ReconnectMaxDelay, "Radio:ReconnectMaxDelay");
        if (ReconnectMaxDelay < ReconnectInitialDelay)
        {
            throw new ArgumentException($"Radio:ReconnectMaxDelay is {ReconnectMaxDelay}; set it no shorter than Radio:ReconnectInitialDelay ({ReconnectInitialDelay})");
        }

        Positive(StableLinkTime, "Radio:StableLinkTime");
        Positive(ConnectTimeout, "Radio:ConnectTimeout");
        Positive(ServicesResolveTimeout, "Radio:ServicesResolveTimeout");
        Positive(StreamStallTimeout, "Radio:StreamStallTimeout");
        Positive(AdvertisementSilence, "Radio:AdvertisementSilence");
        Positive(PowerCycleDelay, "Radio:PowerCycleDelay");
        Positive(TickInterval, "Radio:TickInterval");
        Positive(BatteryReadInterval, "Radio:BatteryReadInterval");
        if (InProgressLimit < 1)
        {
            throw new ArgumentException($"Radio:InProgressLimit is {InProgressLimit}; set it to 1 or more");
        }
    }

    private static void Positive(TimeSpan value, string key)
    {
        if (value <= TimeSpan.Zero || value > TimeSpan.FromDays(1))
        {
            throw new ArgumentException($"{key} is {value}; set it to more than 0 and at most one day");
        }
    }
}
