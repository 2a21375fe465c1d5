using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Decoding;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Service;

/// <summary>
/// One stream of one device on the decode loop: its decoder writing into the open batch's columns (or, for the gaps
/// and clock streams, columns the loop appends rows to), a spare set of columns to swap in when sealing, its encoder and its
/// next sequence. Owned by the decode loop; lives across reconnects so sequences continue.
/// </summary>
internal sealed class ServiceStream : IDisposable
{
    private StreamColumns _gapColumns;
    private StreamColumns _spare;

    private ServiceStream(string key, StreamOrigin origin, StreamDescription description, StreamSchema schema, StreamDecoder? decoder,
        BatchEncodingOptions encoding, int initialRows, IFrameLossReporter? lossReporter = null, IDeviceClockReporter? clockReporter = null)
    {
        LossReporter = lossReporter;
        ClockReporter = clockReporter;
        Key = key;
        Origin = origin;
        Decoder = decoder;
        Encoder = new ArrowBatchEncoder(schema, description, encoding);
        _spare = new StreamColumns(schema, initialRows);
        _gapColumns = decoder is null ? new StreamColumns(schema, 16) : null!;
    }

    /// <summary>The stream key: <c>{device}.{stream id}</c>.</summary>
    public string Key { get; }

    /// <summary>Whose data and which stream.</summary>
    public StreamOrigin Origin { get; }

    /// <summary>The decoder, or null for a gaps stream.</summary>
    public StreamDecoder? Decoder { get; }

    /// <summary>The decoder's report of frames lost inside a connection, when its frames carry the tracker's clock.</summary>
    public IFrameLossReporter? LossReporter { get; }

    /// <summary>The decoder's device-time readings, when its frames carry the tracker's clock (for the clock stream).</summary>
    public IDeviceClockReporter? ClockReporter { get; }

    /// <summary>The encoder (reused buffer: one batch at a time).</summary>
    public ArrowBatchEncoder Encoder { get; }

    /// <summary>The characteristic whose notifications this stream decodes (empty for gaps).</summary>
    public Guid Characteristic { get; private init; }

    /// <summary>For Polar PMD streams sharing one characteristic: the frame's measurement type; -1 otherwise.</summary>
    public int PmdMeasurement { get; private init; } = -1;

    /// <summary>The open batch.</summary>
    public StreamColumns Columns => Decoder?.Columns ?? _gapColumns;

    /// <summary>Next sequence number to assign (assigned at seal; durable only once the spool says so).</summary>
    public long NextSequence { get; set; }

    /// <summary>Monotonic timestamp (TimeProvider ticks) of the open batch's first row; 0 when empty.</summary>
    public long OpenedAt { get; set; }

    // Per-stream counters for IngestStatus.Streams: written by the decode loop only (a field increment per notification,
    // no allocation), read by status snapshots on other threads (64-bit reads are atomic; a snapshot may lag by a frame).

    /// <summary>Samples decoded into this stream since start.</summary>
    public long Samples { get; set; }

    /// <summary>Notifications routed to this stream that its decoder rejected.</summary>
    public long FramesRejected { get; set; }

    /// <summary>Hub time (Unix ns) of the last sample decoded; 0 before the first.</summary>
    public long LastSampleNs { get; set; }

    /// <summary>A data stream of <paramref name="definition"/> for a device.</summary>
    public static ServiceStream ForData(StreamDefinition definition, FirmwareProfile profile, StreamOrigin origin, IRejectedFrameSink? quarantine,
        BatchEncodingOptions encoding, int initialRows)
    {
        var frameDecoder = definition.CreateDecoder();
        var decoder = new StreamDecoder(frameDecoder, quarantine, initialRows);
        var description = new StreamDescription(profile.Id, profile.Version, definition.Decoder.Name) { Origin = origin };
        return new ServiceStream(origin.Device + "." + definition.Id, origin, description, decoder.Schema, decoder, encoding, initialRows,
            frameDecoder as IFrameLossReporter, frameDecoder as IDeviceClockReporter)
        {
            Characteristic = Guid.Parse(definition.Characteristic),
            PmdMeasurement = definition.Decoder.Name == Decoding.Polar.PolarPmdDecoder.Name
                ? (int)Decoding.Polar.PolarPmdSettings.Parse(definition.Settings).Measurement
                : -1,
        };
    }

    /// <summary>The gaps stream of a device.</summary>
    public static ServiceStream ForGaps(StreamOrigin origin, string version, BatchEncodingOptions encoding) =>
        new(origin.Device + "." + Gaps.StreamId, origin, Gaps.Describe(version, origin), Gaps.Schema, decoder: null, encoding, 16);

    /// <summary>The clock stream of a device (<see cref="ClockRows"/>).</summary>
    public static ServiceStream ForClock(StreamOrigin origin, string version, BatchEncodingOptions encoding) =>
        new(origin.Device + "." + ClockRows.StreamId, origin, ClockRows.Describe(version, origin), ClockRows.Schema, decoder: null, encoding, 16);

    /// <summary>Whether a notification on <paramref name="characteristic"/> with this payload belongs here.</summary>
    public bool Accepts(Guid characteristic, ReadOnlySpan<byte> payload) =>
        characteristic == Characteristic
        && (PmdMeasurement < 0 || (payload.Length > 0 && (payload[0] & Decoding.Polar.PmdFrameHeader.MeasurementTypeMask) == PmdMeasurement));

    /// <summary>
    /// Bytes the open batch's buffers hold (values, offsets, validity): what its Arrow body will take, within the IPC
    /// format's padding. Lets the decode loop seal a batch before it outgrows a spool segment.
    /// </summary>
    public long BufferedBytes()
    {
        var columns = Columns;
        long bytes = columns.HubTime.ValueMemory.Length + (columns.DeviceTime?.ValueMemory.Length ?? 0);
        for (var i = 0; i < columns.ValueColumnCount; i++)
        {
            var column = columns[i];
            bytes += column.ValidityMemory.Length + column switch
            {
                IListColumn list => list.OffsetMemory.Length + list.ElementColumn.ValueMemory.Length,
                IFixedWidthColumn values => values.ValueMemory.Length,
                _ => 0,
            };
        }

        return bytes;
    }

    /// <summary>Takes the open batch out (to encode) and continues in the spare columns.</summary>
    public StreamColumns TakeOpenBatch()
    {
        OpenedAt = 0;
        if (Decoder is not null)
        {
            return Decoder.SwapColumns(_spare);
        }

        var taken = _gapColumns;
        _gapColumns = _spare;
        return taken;
    }

    /// <summary>Gives back columns taken by <see cref="TakeOpenBatch"/>, emptied, as the next spare.</summary>
    public void ReturnColumns(StreamColumns columns)
    {
        columns.Clear();
        _spare = columns;
    }

    /// <inheritdoc />
    public void Dispose() => Encoder.Dispose();
}
