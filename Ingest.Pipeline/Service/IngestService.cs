using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Intake;
using Ingest.Pipeline.Spool;

namespace Ingest.Pipeline.Service;

/// <summary>
/// The main job: notifications in, Arrow batches out, nothing lost between. Stages joined by bounded channels:
/// intake (the radio or the simulator) → admission → decode into per-stream columns → seal (N rows or T age) and encode
/// → spool (group-committed fsync: the durability point) → publish (MQTT or the outbox) → release. See
/// docs/service.md.
/// </summary>
internal sealed partial class IngestService : IAsyncDisposable
{
    /// <summary>
    /// Opens the spool in <paramref name="spool"/> (recovering what a previous run left: it is published first and its
    /// sequences continue), then starts every stage and the source.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names the configuration key.</exception>
    public static IngestService Start(IngestOptions options, INotificationSource source, IDeviceAdmission admission,
        SpoolOptions spool, IBatchPublisher publisher, BatchEncodingOptions? encoding = null, TimeProvider? time = null) =>
        throw new NotImplementedException();

    /// <summary>What the spool's recovery found at start.</summary>
    public SpoolRecoveryReport Recovery => throw new NotImplementedException();

    /// <summary>A snapshot for the status line, health messages and the exit summary.</summary>
    public IngestStatus Status => throw new NotImplementedException();

    /// <summary>Completes when the service has stopped: normally after <see cref="StopAsync"/>, or faulted when a stage failed (the spool's disk, the source).</summary>
    public Task Completion => throw new NotImplementedException();

    /// <summary>
    /// Stops intake, seals and spools every open batch, publishes what the destination takes within
    /// <see cref="IngestOptions.ShutdownGrace"/> (the rest stays spooled for the next start) and closes the spool.
    /// Idempotent.
    /// </summary>
    public Task StopAsync() => throw new NotImplementedException();

    /// <inheritdoc />
    public ValueTask DisposeAsync() => new(StopAsync());
}
