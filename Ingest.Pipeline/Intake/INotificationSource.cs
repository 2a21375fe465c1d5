using System.Threading.Channels;

namespace Ingest.Pipeline.Intake;

/// <summary>
/// Where notifications enter the pipeline: the BlueZ radio backend, or the simulated fleet in its place.
/// <para>
/// <see cref="Notifications"/> is a <b>bounded</b> channel with <see cref="BoundedChannelFullMode.Wait"/>: when the
/// consumer falls behind, the source waits (a real radio then leaves notifications in the controller and the kernel's
/// socket buffers); nothing is dropped. Each notification read from it is owned by the reader, which must
/// <see cref="Notification.Release"/> it. <see cref="DeviceEvents"/> (also bounded, Wait) carries link changes; an
/// event and the notifications around it are ordered by <c>HubTimeNs</c>, and a source writes a device's
/// <see cref="DeviceEventKind.Connected"/> before that device's first notification after it.
/// </para>
/// <para>
/// Lifetime: <see cref="RunAsync"/> produces until its cancellation token is cancelled, then completes
/// both channels and returns normally (a stop is not a failure). If the source fails, it completes both channels
/// with the exception and the task faults. Call <see cref="RunAsync"/> once. Thread-safety: one task runs the source;
/// the channels may be read from any thread.
/// </para>
/// </summary>
public interface INotificationSource
{
    /// <summary>The notifications, in hub receive order.</summary>
    ChannelReader<Notification> Notifications { get; }

    /// <summary>Connects and disconnects, in hub time order.</summary>
    ChannelReader<DeviceEvent> DeviceEvents { get; }

    /// <summary>Produces until cancelled; see the type's remarks.</summary>
    Task RunAsync(CancellationToken cancellationToken = default);
}
