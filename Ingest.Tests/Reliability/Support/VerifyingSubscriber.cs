using System.Globalization;
using System.Text;
using Ingest.Pipeline.Publishing;
using Ingest.Pipeline.Publishing.Mqtt;
using Ingest.Pipeline.Service;

namespace Ingest.Reliability;

/// <summary>
/// The platform side of the fault tests: subscribes to <c>wearables/#</c> at QoS 1 (MQTT 5, a persistent session so a
/// broker restart does not lose what was queued for it), records every data batch by its identity
/// (<c>wearable.hub</c>, <c>wearable.stream</c>, <c>wearable.sequence</c>) after checking its SHA-256, and, when a batch
/// carries a Response Topic, answers with a "stored" receipt as docs/wire/mqtt-contract.md says (after recording it).
/// While <see cref="Holding"/> is set it behaves as a receiver that crashed before storing: batches are counted and
/// dropped, no receipt. Shared by Ingest.Tests (Reliability) and Ingest.Bench (crash mode); no test framework here.
/// </summary>
internal sealed class VerifyingSubscriber : IAsyncDisposable
{
    private readonly MqttPublisher _client;
    private readonly Dictionary<string, StreamRecord> _streams = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly List<byte[]> _gapPayloads = [];
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _messages;
    private long _hashMismatches;
    private long _held;
    private long _receiptsSent;
    private long _nonBatch;

    private VerifyingSubscriber(MqttPublisher client)
    {
        _client = client;
    }

    /// <summary>While true, batches are dropped unrecorded and unreceipted (a receiver that dies before storing).</summary>
    public bool Holding { get; set; }

    /// <summary>Whether the subscriber's connection is up (it reconnects by itself after a broker restart).</summary>
    public bool IsConnected => _client.IsConnected;

    /// <summary>Waits until the subscriber is connected again (after a broker restart).</summary>
    public async Task WaitConnectedAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!_client.IsConnected)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("the verifying subscriber did not reconnect within " + timeout);
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }

    /// <summary>Data messages received (duplicates included, held ones included).</summary>
    public long Messages => Interlocked.Read(ref _messages);

    /// <summary>Payloads whose SHA-256 did not match their property (never recorded).</summary>
    public long HashMismatches => Interlocked.Read(ref _hashMismatches);

    /// <summary>Batches dropped while <see cref="Holding"/>.</summary>
    public long Held => Interlocked.Read(ref _held);

    /// <summary>Receipts sent.</summary>
    public long ReceiptsSent => Interlocked.Read(ref _receiptsSent);

    /// <summary>Messages on <c>wearables/#</c> that are not data batches (status, receipts).</summary>
    public long NonBatchMessages => Interlocked.Read(ref _nonBatch);

    /// <summary>Connects to mosquitto on 127.0.0.1:<paramref name="port"/> and subscribes.</summary>
    public static async Task<VerifyingSubscriber> StartAsync(int port, string clientId = "verifying-subscriber", CancellationToken cancellationToken = default)
    {
        if (!MqttBrokerUrl.TryParse(string.Create(CultureInfo.InvariantCulture, $"mqtt://127.0.0.1:{port}"), out var url, out var error))
        {
            throw new InvalidOperationException(error);
        }

#pragma warning disable CA2000 // Owned by the subscriber from here.
        var client = new MqttPublisher(new MqttPublisherOptions
        {
            Broker = url,
            ClientId = clientId,
            AllowFallbackToV311 = false,
            SessionExpirySeconds = 3600,
            ReceivedMessageCapacity = 1_000_000,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            ReconnectMaximumDelay = TimeSpan.FromMilliseconds(500),
        });
#pragma warning restore CA2000
        await client.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var granted = await client.SubscribeAsync("wearables/#", cancellationToken: cancellationToken).ConfigureAwait(false);
        if (granted != MQTTnet.MqttClientSubscribeResultCode.GrantedQoS1)
        {
            await client.DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException("the broker did not grant QoS 1 on wearables/#: " + granted);
        }

        var subscriber = new VerifyingSubscriber(client);
        subscriber._loop = Task.Run(() => subscriber.ReadAsync(subscriber._stop.Token), CancellationToken.None);
        return subscriber;
    }

    private async Task ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _client.ReceivedMessages.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await OnMessageAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private async Task OnMessageAsync(MqttReceivedMessage message, CancellationToken cancellationToken)
    {
        var hub = Find(message.UserProperties, "wearable.hub");
        var stream = Find(message.UserProperties, "wearable.stream");
        var sequenceText = Find(message.UserProperties, "wearable.sequence");
        if (hub is null || stream is null || sequenceText is null)
        {
            Interlocked.Increment(ref _nonBatch);
            return;
        }

        Interlocked.Increment(ref _messages);
        if (Holding)
        {
            Interlocked.Increment(ref _held);
            return;
        }

        var sequence = long.Parse(sequenceText, NumberStyles.None, CultureInfo.InvariantCulture);
        var sha = BatchMessage.Sha256Hex(message.Payload.Span);
        if (!string.Equals(sha, Find(message.UserProperties, BatchMessage.Sha256Property), StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _hashMismatches);
            return;
        }

        var rows = int.Parse(Find(message.UserProperties, BatchMessage.RowsProperty) ?? "0", NumberStyles.None, CultureInfo.InvariantCulture);
        lock (_lock)
        {
            var key = hub + "/" + stream;
            if (!_streams.TryGetValue(key, out var record))
            {
                _streams[key] = record = new StreamRecord();
            }

            if (record.Batches.TryGetValue(sequence, out var earlier))
            {
                record.Duplicates++;
                if (!string.Equals(earlier.Sha256, sha, StringComparison.Ordinal))
                {
                    record.Conflicts++;
                }
            }
            else
            {
                record.Batches[sequence] = new Landed(sha, rows);
                if (stream.EndsWith("." + Gaps.StreamId, StringComparison.Ordinal))
                {
                    _gapPayloads.Add(message.Payload.ToArray());
                }
            }
        }

        if (message.ResponseTopic is { } responseTopic && message.CorrelationData is { } correlation)
        {
            // After "storing" (recording above), as the contract asks of a receiver.
            var result = await _client.PublishAsync(responseTopic, ReadOnlyMemory<byte>.Empty, new MqttPublishProperties
            {
                CorrelationData = correlation,
                UserProperties = [KeyValuePair.Create(MqttBatchPublisher.ReceiptProperty, "stored")],
            }, retain: false, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                Interlocked.Increment(ref _receiptsSent);
            }
        }
    }

    /// <summary>What arrived so far, per stream key (<c>hub/stream</c>).</summary>
    public VerificationReport Report(IReadOnlyDictionary<string, long>? expectedNext = null)
    {
        lock (_lock)
        {
            var streams = new List<StreamVerdict>();
            var keys = new SortedSet<string>(_streams.Keys, StringComparer.Ordinal);
            if (expectedNext is not null)
            {
                keys.UnionWith(expectedNext.Keys);
            }

            foreach (var key in keys)
            {
                _streams.TryGetValue(key, out var record);
                record ??= new StreamRecord();
                var max = record.Batches.Count == 0 ? -1 : record.Batches.Keys.Max();
                var expected = expectedNext?.GetValueOrDefault(key, 0) ?? max + 1;
                var missing = new List<long>();
                for (var s = 0L; s < expected; s++)
                {
                    if (!record.Batches.ContainsKey(s))
                    {
                        missing.Add(s);
                    }
                }

                var unexpected = record.Batches.Keys.Count(s => s >= expected);
                streams.Add(new StreamVerdict(key, record.Batches.Count, expected, missing, unexpected, record.Duplicates, record.Conflicts,
                    record.Batches.Values.Sum(b => (long)b.Rows)));
            }

            return new VerificationReport(streams, HashMismatches);
        }
    }

    /// <summary>The payloads of the gaps streams' batches received (first copies), for tests that read the reasons.</summary>
    public IReadOnlyList<byte[]> GapPayloads()
    {
        lock (_lock)
        {
            return [.. _gapPayloads];
        }
    }

    /// <summary>Rows received per stream key (first copy of each batch).</summary>
    public long Rows(string key)
    {
        lock (_lock)
        {
            return _streams.TryGetValue(key, out var record) ? record.Batches.Values.Sum(b => (long)b.Rows) : 0;
        }
    }

    /// <summary>Whether the batch <paramref name="key"/>#<paramref name="sequence"/> arrived.</summary>
    public bool Has(string key, long sequence)
    {
        lock (_lock)
        {
            return _streams.TryGetValue(key, out var record) && record.Batches.ContainsKey(sequence);
        }
    }

    /// <summary>Waits until every stream in <paramref name="expectedNext"/> has all of 0..next-1; returns the last report.</summary>
    public async Task<VerificationReport> WaitForAllAsync(IReadOnlyDictionary<string, long> expectedNext, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var report = Report(expectedNext);
            if (report.Lost == 0 || DateTime.UtcNow > deadline)
            {
                return report;
            }

            await Task.Delay(100).ConfigureAwait(false);
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

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        await _client.DisposeAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private sealed class StreamRecord
    {
        public Dictionary<long, Landed> Batches { get; } = [];

        public long Duplicates { get; set; }

        public long Conflicts { get; set; }
    }

    private readonly record struct Landed(string Sha256, int Rows);
}

/// <summary>One stream's verdict: <paramref name="Missing"/> sequences below the expected next one never arrived.</summary>
internal sealed record StreamVerdict(string Key, long Received, long ExpectedNext, IReadOnlyList<long> Missing, long Unexpected, long Duplicates, long Conflicts, long Rows);

/// <summary>Every stream's verdict and the totals the closing note reports.</summary>
internal sealed record VerificationReport(IReadOnlyList<StreamVerdict> Streams, long HashMismatches)
{
    public long Batches => Streams.Sum(s => s.Received);

    public long Lost => Streams.Sum(s => s.Missing.Count);

    public long Unexpected => Streams.Sum(s => s.Unexpected);

    public long Duplicates => Streams.Sum(s => s.Duplicates);

    public long Conflicts => Streams.Sum(s => s.Conflicts);

    public long Rows => Streams.Sum(s => s.Rows);

    /// <summary>One line per problem stream, for assertion messages.</summary>
    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{Streams.Count} streams, {Batches} batches, {Rows} rows, lost {Lost}, unexpected {Unexpected}, duplicates {Duplicates}, conflicting duplicates {Conflicts}, hash mismatches {HashMismatches}");
        foreach (var stream in Streams.Where(s => s.Missing.Count > 0 || s.Unexpected > 0 || s.Conflicts > 0).Take(20))
        {
            text.Append(CultureInfo.InvariantCulture,
                $"\n  {stream.Key}: received {stream.Received} of 0..{stream.ExpectedNext - 1}, missing [{string.Join(",", stream.Missing.Take(20))}{(stream.Missing.Count > 20 ? ",…" : "")}], unexpected {stream.Unexpected}, conflicts {stream.Conflicts}");
        }

        return text.ToString();
    }
}
