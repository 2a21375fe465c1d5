namespace Ingest.Pipeline.Publishing.Mqtt;

/// <summary>
/// Counts publishes awaiting PUBACK and makes the next one wait while the window is full. The limit changes at each
/// connect to min(our maximum, the server's Receive Maximum): MQTTnet does no flow control, and a server that receives
/// more than its Receive Maximum disconnects with 0x93 [MQTT-3.3.4-9].
/// </summary>
/// <remarks>Thread-safety: all members may be called concurrently. Waiters are served first come, first served.</remarks>
internal sealed class InFlightWindow
{
    private readonly Lock _sync = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _limit;
    private int _inUse;

    public InFlightWindow(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        _limit = limit;
    }

    /// <summary>Publishes currently holding a slot.</summary>
    public int InUse
    {
        get
        {
            lock (_sync)
            {
                return _inUse;
            }
        }
    }

    /// <summary>The current limit.</summary>
    public int Limit
    {
        get
        {
            lock (_sync)
            {
                return _limit;
            }
        }
    }

    /// <summary>Sets a new limit; slots already taken stay taken (the window drains down to a lower limit).</summary>
    public void SetLimit(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_sync)
        {
            _limit = limit;
            GrantWaitersLocked();
        }
    }

    /// <summary>Takes a slot, waiting while the window is full. Throws <see cref="OperationCanceledException"/> when canceled while waiting.</summary>
    public ValueTask AcquireAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_sync)
        {
            if (_inUse < _limit && _waiters.Count == 0)
            {
                _inUse++;
                return ValueTask.CompletedTask;
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        return WaitAsync(waiter, cancellationToken);
    }

    /// <summary>Returns a slot taken by <see cref="AcquireAsync"/>.</summary>
    public void Release()
    {
        lock (_sync)
        {
            _inUse--;
            GrantWaitersLocked();
        }
    }

    private static async ValueTask WaitAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        // Cancellation and a grant race through TrySet*: whichever wins decides, so a canceled waiter never holds a slot.
        using (cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), waiter))
        {
            await waiter.Task.ConfigureAwait(false);
        }
    }

    private void GrantWaitersLocked()
    {
        while (_inUse < _limit && _waiters.TryDequeue(out var next))
        {
            if (next.TrySetResult())
            {
                _inUse++;
            }
        }
    }
}
