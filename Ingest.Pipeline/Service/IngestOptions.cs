namespace Ingest.Pipeline.Service;

/// <summary>
/// Settings of the ingestion service (<see cref="IngestService"/>). Immutable; each default is a named constant with its
/// reason; checked in one place, <see cref="Validate"/>, whose messages name the configuration key (<c>Hub:Id</c>,
/// <c>Batching:MaxRows</c>, ...) so the gateway can report bad configuration in one line.
/// </summary>
public sealed record IngestOptions
{
    /// <summary>
    /// Default rows per batch: 1,024 rows encode in about 18 µs (ArrowBatchEncodeBenchmarks), so per-batch costs (schema,
    /// hash, publish) are spread over enough samples, and even a 200 Hz stream seals by age (1 s) long before by rows.
    /// </summary>
    public const int DefaultBatchMaxRows = 1024;

    /// <summary>
    /// Default batch age: one second keeps the notification→platform latency near a second (the participant's "it works"
    /// light and the nurse's live check) while a 1 Hz heart-rate stream still gets whole batches.
    /// </summary>
    public static readonly TimeSpan DefaultBatchMaxAge = TimeSpan.FromSeconds(1);

    /// <summary>Default capacity of each bounded channel between stages (notifications, sealed batches).</summary>
    public const int DefaultChannelCapacity = 1024;

    /// <summary>Default time a stop waits for the broker to take what is spooled before exiting anyway (it stays spooled).</summary>
    public static readonly TimeSpan DefaultShutdownGrace = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Default wait for the platform's receipt before a batch is published again: long enough for a receiver to land a
    /// batch under load, short enough that a receiver that lost a batch (or a broker that lost it after its PUBACK) does
    /// not hold it for long. A broker reconnect re-sends everything still awaiting a receipt at once.
    /// </summary>
    public static readonly TimeSpan DefaultReceiptTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Largest batch: the spool's and MQTT's limits are far above it; this bounds the columns' memory.</summary>
    public const int MaxBatchRows = 1_000_000;

    /// <summary>Hub id: 1–64 bytes, topic-level safe (letters, digits, '-', '_', '.').</summary>
    public required string HubId { get; init; }

    /// <summary>Study code (topic level).</summary>
    public required string Study { get; init; }

    /// <summary>Site id (topic level).</summary>
    public required string Site { get; init; }

    /// <summary>A stream's open batch is sealed when it reaches this many rows.</summary>
    public int BatchMaxRows { get; init; } = DefaultBatchMaxRows;

    /// <summary>... or when its first row is this old.</summary>
    public TimeSpan BatchMaxAge { get; init; } = DefaultBatchMaxAge;

    /// <summary>Capacity of the bounded channels between stages.</summary>
    public int ChannelCapacity { get; init; } = DefaultChannelCapacity;

    /// <summary>How long a stop waits for publishing to drain.</summary>
    public TimeSpan ShutdownGrace { get; init; } = DefaultShutdownGrace;

    /// <summary>
    /// When true the gateway asks for the platform's receipt (Response Topic + Correlation Data) and the spool releases a
    /// batch only after it; when false, after the broker's PUBACK.
    /// </summary>
    public bool RequireReceipts { get; init; }

    /// <summary>With receipts required: how long to wait for one before publishing the batch again.</summary>
    public TimeSpan ReceiptTimeout { get; init; } = DefaultReceiptTimeout;

    /// <summary>Throws <see cref="ArgumentException"/> whose message names the first bad key and what to change.</summary>
    public void Validate()
    {
        CheckLevel("Hub:Id", HubId);
        CheckLevel("Hub:Study", Study);
        CheckLevel("Hub:Site", Site);
        if (BatchMaxRows is < 1 or > MaxBatchRows)
        {
            throw new ArgumentException($"Batching:MaxRows is {BatchMaxRows}; set it from 1 to {MaxBatchRows}", nameof(BatchMaxRows));
        }

        if (BatchMaxAge < TimeSpan.FromMilliseconds(10) || BatchMaxAge > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"Batching:MaxAge is {BatchMaxAge}; set it from 00:00:00.010 to 01:00:00", nameof(BatchMaxAge));
        }

        if (ChannelCapacity is < 1 or > 1_000_000)
        {
            throw new ArgumentException($"Pipeline:ChannelCapacity is {ChannelCapacity}; set it from 1 to 1000000", nameof(ChannelCapacity));
        }

        if (ReceiptTimeout < TimeSpan.FromSeconds(1) || ReceiptTimeout > TimeSpan.FromHours(24))
        {
            throw new ArgumentException($"Pipeline:ReceiptTimeout is {ReceiptTimeout}; set it from 00:00:01 to 1.00:00:00", nameof(ReceiptTimeout));
        }

        if (ShutdownGrace < TimeSpan.Zero || ShutdownGrace > TimeSpan.FromMinutes(10))
        {
            throw new ArgumentException($"Pipeline:ShutdownGrace is {ShutdownGrace}; set it from 00:00:00 to 00:10:00", nameof(ShutdownGrace));
        }
    }

    /// <summary>Checks a value that becomes an MQTT topic level and part of file names.</summary>
    internal static void CheckLevel(string key, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"{key} is missing; set it to 1-64 letters, digits, '-', '_' or '.'", key);
        }

        if (value.Length > 64 || value is "." or ".." || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ArgumentException($"{key} is '{value}'; use 1-64 letters, digits, '-', '_' or '.' (it becomes an MQTT topic level and a folder name)", key);
        }
    }
}
