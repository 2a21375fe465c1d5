namespace Ingest.Pipeline.Service;

/// <summary>
/// How long a device's link has been up since this process started: the closed connect → disconnect intervals summed,
/// plus the open one. Written by the decode loop only (at link events, never per sample); read by status snapshots on
/// other threads. Each event swaps in one immutable state, so a reader sees either the state before an event or the
/// state after it, never half of each (which could count an interval twice and make the expected-samples counter, a
/// Prometheus counter, go back). One small allocation per link event, none per sample.
/// </summary>
internal sealed class ConnectedTime
{
    private State _state = State.Never;

    /// <summary>Whether an interval is open.</summary>
    public bool IsConnected => Volatile.Read(ref _state).Connected;

    /// <summary>The link came up at <paramref name="hubTimeNs"/> (Unix ns, hub clock). A second connect without a disconnect is ignored.</summary>
    public void Connect(long hubTimeNs)
    {
        var state = _state;
        if (!state.Connected)
        {
            Volatile.Write(ref _state, state with { ConnectedAtNs = hubTimeNs, Connected = true });
        }
    }

    /// <summary>The link went down at <paramref name="hubTimeNs"/>. Ignored when not connected; a clock step back counts as zero.</summary>
    public void Disconnect(long hubTimeNs)
    {
        var state = _state;
        if (state.Connected)
        {
            Volatile.Write(ref _state, new State(state.ClosedNs + Math.Max(0, hubTimeNs - state.ConnectedAtNs), 0, false));
        }
    }

    /// <summary>Nanoseconds connected up to <paramref name="nowNs"/>: closed intervals plus the open one, if any.</summary>
    public long TotalNs(long nowNs)
    {
        var state = Volatile.Read(ref _state);
        return state.ClosedNs + (state.Connected ? Math.Max(0, nowNs - state.ConnectedAtNs) : 0);
    }

    private sealed record State(long ClosedNs, long ConnectedAtNs, bool Connected)
    {
        public static State Never { get; } = new(0, 0, false);
    }
}
