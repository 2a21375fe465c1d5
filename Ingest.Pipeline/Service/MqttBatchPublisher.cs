using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Publishing.Mqtt;

namespace Ingest.Pipeline.Service;

/// <summary>
/// Publishes spooled batches to the trial platform's broker at QoS 1 through our <see cref="MqttPublisher"/> (which
/// honours the broker's Receive Maximum and reconnects with backoff). With receipts required it asks for one on every
/// batch (Response Topic + Correlation Data, docs/wire/mqtt-contract.md) and reports each receipt on <see cref="Receipts"/>.
/// The publisher's connection (and its Will) belongs to the caller, who connects it first and disposes it after this.
/// </summary>
internal sealed class MqttBatchPublisher : IBatchPublisher
{
    /// <summary>User property of a receipt: "stored" or "rejected".</summary>
    public const string ReceiptProperty = "wearable.receipt";

    /// <summary>User property of a rejecting receipt: why.</summary>
    public const string ReceiptReasonProperty = "wearable.receipt.reason";

    private readonly MqttPublisher _publisher;
    private readonly Channel<BatchIdentity> _receipts = Channel.CreateUnbounded<BatchIdentity>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiptLoop = Task.CompletedTask;

    private MqttBatchPublisher(MqttPublisher publisher, string? receiptTopic)
    {
        _publisher = publisher;
        ReceiptTopic = receiptTopic;
        if (receiptTopic is not null)
        {
            _receiptLoop = Task.Run(() => ReadReceiptsAsync(_stop.Token));
        }
    }

    /// <summary>Where receipts are asked to go, or null when receipts are not required.</summary>
    public string? ReceiptTopic { get; }

    /// <summary>Receipts that said "rejected": the hub keeps those batches (they are never released) and reports them.</summary>
    public long RejectedReceipts => Interlocked.Read(ref _rejectedReceipts);

    private long _rejectedReceipts;

    /// <summary>The receipt topic of a hub: <c>wearables/{study}/hubs/{hub}/receipts</c>.</summary>
    public static string ReceiptTopicOf(string study, string hub) => $"wearables/{study}/hubs/{hub}/receipts";

    /// <summary>Wraps a connected <paramref name="publisher"/>; with receipts required, subscribes to the receipt topic first.</summary>
    public static async Task<MqttBatchPublisher> CreateAsync(MqttPublisher publisher, IngestOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(publisher);
        ArgumentNullException.ThrowIfNull(options);
        string? receiptTopic = null;
        if (options.RequireReceipts)
        {
            receiptTopic = ReceiptTopicOf(options.Study, options.HubId);
            await publisher.SubscribeAsync(receiptTopic, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return new MqttBatchPublisher(publisher, receiptTopic);
    }

    /// <inheritdoc />
    public string Destination => _publisher.Options.Broker.ToString();

    /// <inheritdoc />
    public string State => _publisher.IsConnected ? "connected"
        : _publisher.LastReconnectError is { } error ? "disconnected: " + error.Message : "connecting";

    /// <inheritdoc />
    public long Reconnects => _publisher.ReconnectCount;

    /// <inheritdoc />
    public ChannelReader<BatchIdentity> Receipts => _receipts.Reader;

    /// <summary>Correlation Data of a batch: the UTF-8 of <c>{stream key}/{sequence}</c> (opaque to receivers).</summary>
    public static byte[] CorrelationOf(BatchIdentity identity) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{identity.Stream}/{identity.Sequence}"));

    /// <inheritdoc />
    public async ValueTask<BatchPublishResult> PublishAsync(OutgoingBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var properties = batch.Properties;
        if (ReceiptTopic is not null)
        {
            properties = new MqttPublishProperties
            {
                ContentType = properties.ContentType,
                UserProperties = properties.UserProperties,
                ResponseTopic = ReceiptTopic,
                CorrelationData = CorrelationOf(batch.Identity),
            };
        }

        var result = await _publisher.PublishAsync(batch.Topic, batch.Payload, properties, retain: false, cancellationToken).ConfigureAwait(false);
        return result.IsSuccess ? BatchPublishResult.Accepted
            : new BatchPublishResult(result.IsTransient ? BatchPublishOutcome.Transient : BatchPublishOutcome.Refused, result.ToString());
    }

    private async Task ReadReceiptsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _publisher.ReceivedMessages.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!string.Equals(message.Topic, ReceiptTopic, StringComparison.Ordinal) || message.CorrelationData is not { } correlation
                    || !TryParseCorrelation(correlation.Span, out var identity))
                {
                    continue;
                }

                var verdict = Find(message.UserProperties, ReceiptProperty);
                if (string.Equals(verdict, "stored", StringComparison.Ordinal))
                {
                    _receipts.Writer.TryWrite(identity);
                }
                else
                {
                    Interlocked.Increment(ref _rejectedReceipts);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _receipts.Writer.TryComplete();
        }
    }

    private static string? Find(IReadOnlyList<KeyValuePair<string, string>> properties, string name)
    {
        foreach (var property in properties)
        {
            if (string.Equals(property.Key, name, StringComparison.Ordinal))
            {
                return property.Value;
            }
        }

        return null;
    }

    /// <summary>Parses our own Correlation Data back into an identity (the hub is this one's: receipts come on its own topic).</summary>
    private static bool TryParseCorrelation(ReadOnlySpan<byte> correlation, out BatchIdentity identity)
    {
        identity = default!;
        if (correlation.Length is 0 or > 512)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(correlation);
        var slash = text.LastIndexOf('/');
        if (slash <= 0 || !long.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
        {
            return false;
        }

        identity = new BatchIdentity("", text[..slash], sequence);
        return true;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _receiptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
