using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Telemetry;

/// <summary>
/// Keeps the hub's retained status topic current while the service runs: "online" with health every
/// <c>Health:Interval</c>, and at once after each reconnect (the broker may have published the Will meanwhile). The
/// Will itself ("offline") is set on the <see cref="MqttPublisher"/>'s connection; "stopped" is published by
/// <see cref="PublishStoppedAsync"/>. A status publish that fails is not retried: the next interval's replaces it.
/// Thread-safety: <see cref="RunAsync"/> runs on one task; <see cref="PublishStoppedAsync"/> is called after it ends.
/// </summary>
internal sealed class HubStatusReporter
{
    /// <summary>How often the loop looks for a reconnect: a second, so "online" follows a reconnect promptly.</summary>
    private static readonly TimeSpan s_tick = TimeSpan.FromSeconds(1);

    private readonly MqttPublisher _publisher;
    private readonly IngestOptions _hub;
    private readonly string _topic;
    private readonly TimeSpan _interval;
    private readonly Func<IngestStatus> _status;
    private readonly TimeProvider _time;
    private readonly Func<HubHealthExtras>? _extras;
    private IngestStatus? _previous;

    /// <summary>Reports <paramref name="status"/> (and <paramref name="extras"/>, the radio and audit head, when given) on <paramref name="topic"/>.</summary>
    /// <param name="publisher">The hub's MQTT connection (which carries the Will).</param>
    /// <param name="hub">The hub's identity.</param>
    /// <param name="topic">The retained status topic.</param>
    /// <param name="interval">How often "online" is published.</param>
    /// <param name="status">The pipeline's snapshot.</param>
    /// <param name="time">The clock (tests replace it).</param>
    /// <param name="extras">The radio and audit head for each health document (read on the reporter's task), or null.</param>
    public HubStatusReporter(MqttPublisher publisher, IngestOptions hub, string topic, TimeSpan interval, Func<IngestStatus> status, TimeProvider? time = null,
        Func<HubHealthExtras>? extras = null)
    {
        _extras = extras;
        _publisher = publisher;
        _hub = hub;
        _topic = topic;
        _interval = interval;
        _status = status;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Status messages the broker accepted.</summary>
    public long Published { get; private set; }

    /// <summary>Publishes "online" now, then health every interval, until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var reconnects = _publisher.ReconnectCount;
        var due = _time.GetTimestamp();
        using var timer = new PeriodicTimer(s_tick, _time);
        try
        {
            do
            {
                var now = _time.GetTimestamp();
                if (_publisher.ReconnectCount != reconnects || now >= due)
                {
                    reconnects = _publisher.ReconnectCount;
                    due = now + (long)(_interval.TotalSeconds * _time.TimestampFrequency);
                    await PublishOnlineAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Publishes the retained "stopped" status with the final totals.</summary>
    public async Task<bool> PublishStoppedAsync(IngestStatus final, CancellationToken cancellationToken = default) =>
        await PublishAsync(HubStatusMessages.Stopped(_hub, final, _extras?.Invoke()), cancellationToken).ConfigureAwait(false);

    private async Task PublishOnlineAsync(CancellationToken cancellationToken)
    {
        var status = _status();
        var interval = _previous is null ? TimeSpan.Zero : status.At - _previous.At;
        await PublishAsync(HubStatusMessages.Online(_hub, status, _previous, interval, _extras?.Invoke()), cancellationToken).ConfigureAwait(false);
        _previous = status;
    }

    private async Task<bool> PublishAsync(byte[] payload, CancellationToken cancellationToken)
    {
        if (!_publisher.IsConnected)
        {
            return false;
        }

        var result = await _publisher.PublishAsync(_topic, payload, new MqttPublishProperties { ContentType = HubStatusMessages.ContentType },
            retain: true, cancellationToken).ConfigureAwait(false);
        if (result.IsSuccess)
        {
            Published++;
        }

        return result.IsSuccess;
    }
}
