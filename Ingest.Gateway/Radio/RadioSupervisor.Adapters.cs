using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Gateway.Radio;

/// <summary>Adapter health: keep each powered and discovering; power-cycle one that is wedged.</summary>
public sealed partial class RadioSupervisor
{
    private void AdapterSeen(BleAdapter adapter)
    {
        if (!_adapters.TryGetValue(adapter.Id, out var state))
        {
            state = new AdapterState(adapter) { LastAdvertisementNs = NowNs() };
            _adapters.Add(adapter.Id, state);
            _log($"radio: adapter {adapter.Name} is {(adapter.Powered ? "powered" : "powered off")}");
        }

        var wasPowered = state.Adapter.Powered;
        state.Adapter = adapter;
        if (wasPowered && !adapter.Powered && state.Task is null)
        {
            _log($"radio: adapter {adapter.Name} was powered off; its links are down. Powering it on again");
        }

        if (!adapter.Powered)
        {
            EndLinksOn(adapter.Id, DisconnectReason.LocalTerminated);
        }
    }

    private void AdapterGone(string adapterId, string? why)
    {
        if (!_adapters.Remove(adapterId, out var state))
        {
            return;
        }

        if (why is not null)
        {
            _log($"radio: {why}; its links are down until it is back");
        }

        EndLinksOn(adapterId, DisconnectReason.LinkLoss);
        foreach (var tracker in _trackers.Values)
        {
            if (string.Equals(tracker.AdapterId, adapterId, StringComparison.Ordinal))
            {
                tracker.PeripheralId = null;
                tracker.AdapterId = null;
            }
        }

        state.Gone = true;
    }

    private void EndLinksOn(string adapterId, DisconnectReason reason)
    {
        foreach (var tracker in _trackers.Values)
        {
            if (tracker.Link is { } link && string.Equals(link.AdapterId, adapterId, StringComparison.Ordinal))
            {
                link.End(reason);
            }
        }
    }

    /// <summary>Keeps the adapter powered and discovering; power-cycles it when it looks wedged.</summary>
    private void CheckAdapter(AdapterState adapter, long nowNs)
    {
        if (adapter.Task is not null)
        {
            return;
        }

        if (!adapter.Adapter.Powered)
        {
            RunAdapterTask(adapter, "power on", PowerOnAsync);
            return;
        }

        if (!adapter.Adapter.Discovering)
        {
            RunAdapterTask(adapter, "start discovery", StartDiscoveryAsync);
            return;
        }

        var silenceNs = _options.AdvertisementSilence.Ticks * 100;
        if (nowNs - adapter.LastAdvertisementNs > silenceNs && nowNs - adapter.LastRecoveryNs > silenceNs && AnyTrackerAway())
        {
            Recover(adapter, $"no advertisement heard for {_options.AdvertisementSilence.TotalMinutes:0.#} min while enrolled trackers are away");
        }
    }

    private bool AnyTrackerAway()
    {
        foreach (var tracker in _trackers.Values)
        {
            if (tracker.Link is null && !tracker.Blocked)
            {
                return true;
            }
        }

        return false;
    }

    private void Recover(AdapterState adapter, string why)
    {
        if (adapter.Task is not null)
        {
            return;
        }

        _adapterRecoveries++;
        adapter.InProgressStreak = 0;
        adapter.LastRecoveryNs = NowNs();
        adapter.LastAdvertisementNs = adapter.LastRecoveryNs;
        _log($"radio: adapter {adapter.Adapter.Name} looks wedged ({why}); power-cycling it");
        EndLinksOn(adapter.Adapter.Id, DisconnectReason.LocalTerminated);
        RunAdapterTask(adapter, "power-cycle", PowerCycleAsync, cycling: true);
    }

    private void RunAdapterTask(AdapterState adapter, string what, Func<string, CancellationToken, Task> action, bool cycling = false)
    {
        adapter.Task = RunAsync();
        adapter.Cycling = cycling;

        async Task RunAsync()
        {
            try
            {
                await action(adapter.Adapter.Id, _stopping).ConfigureAwait(false);
                adapter.LastError = null;
            }
            catch (BleOperationException ex)
            {
                adapter.LastError = ex.Kind;
                _log($"radio: adapter {adapter.Adapter.Name}: {what} failed: {ex.Message}");
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await _inputs.Writer.WriteAsync(new AdapterTaskDone(adapter), _stopping).ConfigureAwait(false);
        }
    }

    private void HandleAdapterTaskDone(AdapterTaskDone done)
    {
        var adapter = done.Adapter;
        adapter.Task = null;
        adapter.Cycling = false;
        if (adapter.LastError == BleErrorKind.InProgress)
        {
            adapter.InProgressStreak++;
            if (adapter.InProgressStreak >= _options.InProgressLimit && !adapter.Gone)
            {
                Recover(adapter, $"{adapter.InProgressStreak} calls in a row answered 'operation already in progress'");
            }
        }

        // The central reports Powered/Discovering changes as events; until they arrive, the snapshot tells.
        foreach (var current in _central.Adapters)
        {
            if (string.Equals(current.Id, adapter.Adapter.Id, StringComparison.Ordinal) && !adapter.Gone)
            {
                adapter.Adapter = current;
            }
        }
    }

    private Task PowerOnAsync(string adapterId, CancellationToken cancellationToken) =>
        _central.SetPoweredAsync(adapterId, true, cancellationToken);

    private Task StartDiscoveryAsync(string adapterId, CancellationToken cancellationToken) =>
        _central.StartDiscoveryAsync(adapterId, BleDiscoveryFilter.All, cancellationToken);

    private async Task PowerCycleAsync(string adapterId, CancellationToken cancellationToken)
    {
        await _central.SetPoweredAsync(adapterId, false, cancellationToken).ConfigureAwait(false);
        await Task.Delay(_options.PowerCycleDelay, _time, cancellationToken).ConfigureAwait(false);
        await _central.SetPoweredAsync(adapterId, true, cancellationToken).ConfigureAwait(false);
        await _central.StartDiscoveryAsync(adapterId, BleDiscoveryFilter.All, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One adapter, owned by the loop (its task only reads <see cref="Adapter"/>'s id).</summary>
    private sealed class AdapterState(BleAdapter adapter)
    {
        public BleAdapter Adapter { get; set; } = adapter;

        public long LastAdvertisementNs { get; set; }

        public long LastRecoveryNs { get; set; }

        public int InProgressStreak { get; set; }

        public Task? Task { get; set; }

        public BleErrorKind? LastError { get; set; }

        public bool Gone { get; set; }

        /// <summary>A power-cycle is under way (its links were ended on purpose).</summary>
        public bool Cycling { get; set; }

        /// <summary>
        /// Ready for new links: powered and not being power-cycled. Starting discovery does not hold links back (BlueZ
        /// connects known trackers while discovery starts), so a hub that starts connects its trackers at once.
        /// </summary>
        public bool Usable => Adapter.Powered && !Cycling && !Gone;
    }
}
