namespace Ingest.Pipeline.Service;

/// <summary>
/// How long a device's link has been up since this process started: the closed connect → disconnect intervals summed,
/// plus the open one. Written by the decode loop only (at link events, never per sample); a status read on another
/// thread may see a connect a moment late, which moves a snapshot's expected count by at most one event's worth.
/// </summary>
internal struct ConnectedTime
{
    private long _closedNs;
    private long _connectedAtNs;
    private bool _connected;

    /// <summary>Whether an interval is open.</summary>
    public readonly bool IsConnected => _connected;

    /// <summary>The link came up at <paramref name="hubTimeNs"/> (Unix ns, hub clock). A second connect without a disconnect is ignored.</summary>
    public void Connect(long hubTimeNs)
    {
        if (_connected)
        {
            return;
        }

        _connectedAtNs = hubTimeNs;
        _connected = true;
    }

    /// <summary>The link went down at <paramref name="hubTimeNs"/>. Ignored when not connected; a clock step back counts as zero.</summary>
    public void Disconnect(long hubTimeNs)
    {
        if (!_connected)
        {
            return;
        }

        _closedNs += Math.Max(0, hubTimeNs - _connectedAtNs);
        _connected = false;
    }

    /// <summary>Nanoseconds connected up to <paramref name="nowNs"/>: closed intervals plus the open one, if any.</summary>
    public readonly long TotalNs(long nowNs) => _closedNs + (_connected ? Math.Max(0, nowNs - _connectedAtNs) : 0);
}
