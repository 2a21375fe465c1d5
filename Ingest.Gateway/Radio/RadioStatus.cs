namespace Ingest.Gateway.Radio;

/// <summary>What the radio supervisor is doing, for the status line, the status topic and <c>devices</c>. No radio addresses.</summary>
/// <param name="Adapters">Each adapter's state.</param>
/// <param name="Trackers">Each enrolled tracker's state.</param>
/// <param name="NeighboursRefused">Trackers seen that match a profile but are not enrolled (never connected).</param>
/// <param name="AdapterRecoveries">Adapter power-cycles done to recover a wedged or powered-off adapter.</param>
/// <param name="BackendAvailable">BlueZ (or the simulated radio) is there.</param>
/// <param name="Problems">Things a person should know now, one line each (e.g. more enrolled trackers than the adapter holds).</param>
public sealed record RadioStatus(
    IReadOnlyList<AdapterStatus> Adapters,
    IReadOnlyList<TrackerStatus> Trackers,
    long NeighboursRefused,
    long AdapterRecoveries,
    bool BackendAvailable,
    IReadOnlyList<string> Problems)
{
    /// <summary>Before the radio started.</summary>
    public static RadioStatus Empty { get; } = new([], [], 0, 0, false, []);
}

/// <summary>One adapter.</summary>
/// <param name="Name">Short name (<c>hci0</c>).</param>
/// <param name="Powered">Powered on.</param>
/// <param name="Discovering">Discovery running.</param>
/// <param name="Links">Links connecting or up.</param>
/// <param name="MaxLinks">The configured limit.</param>
public sealed record AdapterStatus(string Name, bool Powered, bool Discovering, int Links, int MaxLinks);

/// <summary>Where an enrolled tracker is in its life.</summary>
public enum TrackerLinkState
{
    /// <summary>Not seen by any adapter since the service started (or since it went out of range).</summary>
    NotSeen,

    /// <summary>Seen and waiting for a connection slot or its reconnect delay.</summary>
    Waiting,

    /// <summary>Connecting and setting up its streams.</summary>
    Connecting,

    /// <summary>Connected and streaming.</summary>
    Streaming,

    /// <summary>Cannot be used until a person acts (profile missing, firmware not covered, other study); see the problem.</summary>
    Blocked,
}

/// <summary>One enrolled tracker.</summary>
/// <param name="Device">Device pseudonym.</param>
/// <param name="Participant">Participant pseudonym.</param>
/// <param name="ProfileId">Firmware profile.</param>
/// <param name="State">Link state.</param>
/// <param name="Rssi">Last signal strength (dBm), if seen.</param>
/// <param name="BatteryPercent">Last battery level read, if any.</param>
/// <param name="ConnectedSinceNs">When the current link came up (UTC ns), or 0.</param>
/// <param name="LastDataNs">When the last notification arrived (UTC ns), or 0.</param>
/// <param name="Connects">Links made since the service started.</param>
/// <param name="FailedConnects">Connect or setup attempts that failed.</param>
/// <param name="StreamRestarts">Streams restarted because they stopped delivering.</param>
/// <param name="Problem">The last problem, in words, or null.</param>
public sealed record TrackerStatus(
    string Device,
    string Participant,
    string ProfileId,
    TrackerLinkState State,
    short? Rssi,
    int? BatteryPercent,
    long ConnectedSinceNs,
    long LastDataNs,
    long Connects,
    long FailedConnects,
    long StreamRestarts,
    string? Problem);
