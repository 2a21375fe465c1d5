using Ingest.Pipeline.Intake.Radio;

namespace Ingest.Pipeline.Simulation.Radio;

/// <summary>A notification subscription on a simulated link; ends when disposed or when the link drops.</summary>
internal sealed class SimulatedSubscription : IBleSubscription
{
    private readonly SimulatedCentral _owner;
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _active = true;

    public SimulatedSubscription(SimulatedCentral owner, SimulatedCharacteristicState state, GattCharacteristic characteristic, NotificationTarget target)
    {
        _owner = owner;
        State = state;
        Characteristic = characteristic;
        Target = target;
    }

    /// <inheritdoc />
    public GattCharacteristic Characteristic { get; }

    /// <inheritdoc />
    public string Mechanism => "simulated";

    /// <inheritdoc />
    public Task Ended => _ended.Task;

    public SimulatedCharacteristicState State { get; }

    public NotificationTarget Target { get; }

    /// <summary>False once disposed or ended: a value found for it just before is not delivered.</summary>
    public bool IsActive => _active;

    /// <summary>Ends it (link lost, backend gone, disposed). Idempotent.</summary>
    public void End()
    {
        _active = false;
        _ended.TrySetResult();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        _owner.Unsubscribe(this);
        End();
        return default;
    }
}
