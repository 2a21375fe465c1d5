using System.Threading.Tasks.Sources;

namespace Ingest.Mqtt.Internal;

/// <summary>
/// A single-waiter auto-reset signal without allocation: the writer loop waits, publishers set it.
/// Thread-safe for any number of setters and exactly one waiter at a time.
/// </summary>
internal sealed class AsyncAutoResetSignal : IValueTaskSource
{
    private readonly Lock _lock = new();
    private ManualResetValueTaskSourceCore<bool> _core = new() { RunContinuationsAsynchronously = true };
    private bool _signaled;
    private bool _waiting;
    private bool _closed;

    public ValueTask WaitAsync()
    {
        lock (_lock)
        {
            if (_signaled || _closed)
            {
                _signaled = false;
                return ValueTask.CompletedTask;
            }

            _core.Reset();
            _waiting = true;
            return new ValueTask(this, _core.Version);
        }
    }

    public void Set()
    {
        lock (_lock)
        {
            if (_waiting)
            {
                _waiting = false;
                _core.SetResult(true);
            }
            else
            {
                _signaled = true;
            }
        }
    }

    /// <summary>Wakes the waiter for good (the connection is closing).</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            if (_waiting)
            {
                _waiting = false;
                _core.SetResult(true);
            }
        }
    }

    void IValueTaskSource.GetResult(short token) => _core.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _core.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
