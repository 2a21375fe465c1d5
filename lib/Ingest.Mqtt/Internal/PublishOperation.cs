using System.Threading.Tasks.Sources;
using Ingest.Mqtt.Protocol;

namespace Ingest.Mqtt.Internal;

/// <summary>
/// One publish from PublishAsync to its result: the message (kept for resends), its packet id and QoS state, and the
/// pooled value-task source the caller awaits. Fields are guarded by the client lock; the object is returned to the
/// pool when the caller reads the result, so it is removed from every client structure before it is completed.
/// </summary>
internal sealed class PublishOperation : IValueTaskSource<PublishResult>
{
    private readonly MqttClient _owner;
    private ManualResetValueTaskSourceCore<PublishResult> _core = new() { RunContinuationsAsynchronously = true };

    public PublishOperation(MqttClient owner)
    {
        _owner = owner;
    }

    public MqttClient Owner => _owner;

    public string Topic = string.Empty;
    public ReadOnlyMemory<byte> Payload;
    public MqttQualityOfService QualityOfService;
    public bool Retain;
    public MqttProperties? Properties;
    public ushort PacketId;
    public PublishState State;

    /// <summary>The connection its PUBLISH was last sent on (null when not sent on the current connection).</summary>
    public MqttConnection? SentOn;

    /// <summary>True while it holds one unit of the connection's send quota (MQTT 5 §4.9).</summary>
    public bool HoldsQuota;

    /// <summary>Canceled ops may still sit in the queue, so they are never pooled again.</summary>
    public bool DoNotPool;

    public PublishOperation? Previous;
    public PublishOperation? Next;
    public CancellationTokenRegistration Registration;

    public short Version => _core.Version;

    public void Complete(in PublishResult result)
    {
        Registration.Unregister();
        State = PublishState.Free;
        _core.SetResult(result);
    }

    public void Fail(Exception exception)
    {
        Registration.Unregister();
        _core.SetException(exception);
    }

    public PublishResult GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Topic = string.Empty;
            Payload = default;
            Properties = null;
            PacketId = 0;
            SentOn = null;
            HoldsQuota = false;
            Previous = Next = null;
            Registration = default;
            _core.Reset();
            if (!DoNotPool)
            {
                _owner.ReturnOperation(this);
            }
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
