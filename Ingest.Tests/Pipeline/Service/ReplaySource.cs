using System.Threading.Channels;
using Ingest.Pipeline.Intake;
using Ingest.Tests.Pipeline.Simulation.Fleet;

namespace Ingest.Tests.Pipeline.Service;

/// <summary>
/// A notification source that sends a fixed recording (what a simulated fleet sent, see <see cref="FleetHarness"/>), then
/// idles until stopped, as a radio with quiet trackers does. Lets a test know exactly which samples went in.
/// </summary>
internal sealed class ReplaySource(IReadOnlyList<Received> recording, int capacity = 64) : INotificationSource
{
    private readonly Channel<Notification> _notifications = Channel.CreateBounded<Notification>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });
    private readonly Channel<DeviceEvent> _events = Channel.CreateBounded<DeviceEvent>(new BoundedChannelOptions(capacity) { FullMode = BoundedChannelFullMode.Wait });

    public NotificationBufferPool Pool { get; } = new();

    /// <summary>Completes once everything recorded has been written to the channels.</summary>
    public TaskCompletionSource AllSent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ChannelReader<Notification> Notifications => _notifications.Reader;

    public ChannelReader<DeviceEvent> DeviceEvents => _events.Reader;

    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            foreach (var item in recording)
            {
                if (item.IsEvent)
                {
                    await _events.Writer.WriteAsync(item.Event, cancellationToken);
                    continue;
                }

                var buffer = Pool.Rent();
                item.Payload.CopyTo(buffer.Memory);
                await _notifications.Writer.WriteAsync(new Notification(item.Device, item.Characteristic, item.HubTimeNs, buffer, item.Payload.Length), cancellationToken);
            }

            AllSent.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _notifications.Writer.TryComplete();
            _events.Writer.TryComplete();
        }
    }
}
