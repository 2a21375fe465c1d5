using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Columns;

namespace Ingest.Pipeline.Batching;

/// <summary>
/// Seals a stream's columns into Arrow with Apache.Arrow: the fields (names, types, units, scales) are built once per
/// stream; each batch gets a <see cref="Apache.Arrow.Schema"/> with its identity, profile and time range in the
/// metadata, and arrays that wrap exact slices of the column buffers (no per-value work, no copy until the IPC
/// writer copies the bytes out). Not thread-safe: one per stream, used by one thread at a time.
/// </summary>
public sealed partial class ArrowBatchEncoder : IDisposable
{

    private readonly StreamDescription _description;
    private readonly Field[] _fields;
    private readonly IArrowType[] _valueTypes;
    private readonly IArrowArray[] _arrays;
    private readonly KeyValuePair<string, string>[] _batchMetadata;
    private readonly ReusedCodecFactory? _codecFactory;
    private readonly MemoryStream _payload = new();
    private Schema? _fileSchema;
    private bool _disposed;

    /// <summary>Prepares an encoder for <paramref name="schema"/> with <paramref name="options"/> (default: uncompressed).</summary>
    /// <exception cref="ArgumentException">The options are invalid (see <see cref="BatchEncodingOptions.Validate"/>).</exception>
    public ArrowBatchEncoder(StreamSchema schema, StreamDescription description, BatchEncodingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(description);
        options ??= BatchEncodingOptions.Default;
        options.Validate();
        Schema = schema;
        Options = options;
        _description = description;
        _batchMetadata = new KeyValuePair<string, string>[8 + OriginMetadata(description.Origin).Count];
        OriginMetadata(description.Origin).CopyTo(_batchMetadata, 8);

        var fields = new List<Field>(schema.Columns.Count + 2)
        {
            new(StreamSchema.HubTimeColumn, s_hubTimeType, nullable: false, [new(BatchMetadataKeys.Description, "hub receive time (UTC)")]),
        };
        if (schema.HasDeviceTime)
        {
            // The tracker's clock is not necessarily UTC (Polar counts local time after setLocalTime): no time zone.
            fields.Add(new Field(StreamSchema.DeviceTimeColumn, s_deviceTimeType, nullable: true,
                [new(BatchMetadataKeys.Description, "the tracker's own clock, converted to the Unix epoch")]));
        }

        _valueTypes = new IArrowType[schema.Columns.Count];
        for (var i = 0; i < schema.Columns.Count; i++)
        {
            var spec = schema.Columns[i];
            _valueTypes[i] = spec.Kind == ColumnKind.List
                ? new ListType(new Field("item", ToArrow(spec.ElementKind), nullable: false))
                : ToArrow(spec.Kind);
            fields.Add(new Field(spec.Name, _valueTypes[i], spec.Nullable, FieldMetadata(spec)));
        }

        _fields = [.. fields];
        _arrays = new IArrowArray[_fields.Length];
        if (options.Compression != BatchCompression.None)
        {
            _codecFactory = new ReusedCodecFactory(options.Compression, options.CompressionLevel);
            IpcOptions = new IpcOptions
            {
                CompressionCodec = ReusedCodecFactory.ToArrow(options.Compression),
                CompressionCodecFactory = _codecFactory,
                CompressionLevel = options.CompressionLevel,
            };
        }
        else
        {
            IpcOptions = new IpcOptions();
        }
    }

    /// <summary>The stream's shape.</summary>
    public StreamSchema Schema { get; }

    /// <summary>The encoding options (validated).</summary>
    public BatchEncodingOptions Options { get; }

    /// <summary>
    /// What to give Apache.Arrow's writers for these options (the compression codec and a factory that reuses one codec).
    /// Valid until this encoder is disposed.
    /// </summary>
    public IpcOptions IpcOptions { get; }

    /// <summary>The Arrow schema of a batch with <paramref name="identity"/> and the given time range.</summary>
    public Schema BatchSchema(BatchIdentity identity, long firstHubTimeNs, long lastHubTimeNs)
    {
        // Schema copies the metadata into its own dictionary, so one array serves every batch.
        _batchMetadata[0] = new(BatchMetadataKeys.Hub, identity.Hub);
        _batchMetadata[1] = new(BatchMetadataKeys.Stream, identity.Stream);
        _batchMetadata[2] = new(BatchMetadataKeys.Sequence, identity.Sequence.ToString(CultureInfo.InvariantCulture));
        _batchMetadata[3] = new(BatchMetadataKeys.ProfileId, _description.ProfileId);
        _batchMetadata[4] = new(BatchMetadataKeys.ProfileVersion, _description.ProfileVersion);
        _batchMetadata[5] = new(BatchMetadataKeys.Decoder, _description.Decoder);
        _batchMetadata[6] = new(BatchMetadataKeys.FirstHubTime, CaptureReader.FormatTime(firstHubTimeNs));
        _batchMetadata[7] = new(BatchMetadataKeys.LastHubTime, CaptureReader.FormatTime(lastHubTimeNs));
        return new Schema(_fields, _batchMetadata);
    }

    /// <summary>The schema metadata of <paramref name="origin"/>: fixed for a stream, so computed once per encoder.</summary>
    private static List<KeyValuePair<string, string>> OriginMetadata(StreamOrigin? origin)
    {
        if (origin is null)
        {
            return [];
        }

        List<KeyValuePair<string, string>> metadata =
        [
            new(BatchMetadataKeys.Study, origin.Study),
            new(BatchMetadataKeys.Site, origin.Site),
            new(BatchMetadataKeys.Participant, origin.Participant),
            new(BatchMetadataKeys.Device, origin.Device),
            new(BatchMetadataKeys.StreamId, origin.StreamId),
        ];
        if (origin.NominalRateHz is { } rate)
        {
            metadata.Add(new(BatchMetadataKeys.NominalRateHz, rate.ToString("R", CultureInfo.InvariantCulture)));
        }

        return metadata;
    }

    /// <summary>
    /// The Arrow schema of a file or stream of many batches: provenance (profile, version, decoder, stream id, and the
    /// origin when known), no per-batch identity. Built once.
    /// </summary>
    public Schema FileSchema() => _fileSchema ??= new Schema(_fields, FileMetadata(_description));

    private static List<KeyValuePair<string, string>> FileMetadata(StreamDescription description)
    {
        List<KeyValuePair<string, string>> metadata =
        [
            new(BatchMetadataKeys.ProfileId, description.ProfileId),
            new(BatchMetadataKeys.ProfileVersion, description.ProfileVersion),
            new(BatchMetadataKeys.Decoder, description.Decoder),
        ];
        if (description.Origin is { } origin)
        {
            metadata.AddRange(OriginMetadata(origin));
        }
        else if (description.StreamId is { } streamId)
        {
            metadata.Add(new(BatchMetadataKeys.StreamId, streamId));
        }

        return metadata;
    }

    /// <summary>
    /// Writes <paramref name="columns"/>' committed rows as one complete IPC stream (schema, one record batch, end
    /// marker): what one MQTT message or spool record carries. The same rows with the same identity always give the
    /// same bytes. The returned memory is this encoder's reused buffer: valid until the next call or
    /// <see cref="Dispose"/>; copy it to keep it.
    /// </summary>
    /// <exception cref="ArgumentException">The columns are not of this encoder's stream.</exception>
    /// <exception cref="InvalidOperationException">A frame is half appended (a column's length differs from the committed rows).</exception>
    public ReadOnlyMemory<byte> EncodeStream(StreamColumns columns, BatchIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var (first, last) = TimeRange(columns);
        var schema = BatchSchema(identity, first, last);
        using var batch = ToRecordBatch(columns, schema);
        _payload.SetLength(0);
        using (var writer = new ArrowStreamWriter(_payload, schema, leaveOpen: true, IpcOptions))
        {
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }

        return new ReadOnlyMemory<byte>(_payload.GetBuffer(), 0, checked((int)_payload.Length));
    }

    /// <summary>
    /// The committed rows as a record batch of <paramref name="schema"/> (from <see cref="BatchSchema"/> or
    /// <see cref="FileSchema"/>) whose arrays sit on the column buffers: valid until the columns are next appended
    /// to or cleared.
    /// </summary>
    public RecordBatch ToRecordBatch(StreamColumns columns, Schema schema)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(schema);
        if (!ReferenceEquals(columns.Schema, Schema)
            && (columns.Schema.Columns.Count != Schema.Columns.Count || columns.Schema.HasDeviceTime != Schema.HasDeviceTime))
        {
            throw new ArgumentException("the columns are not of this encoder's stream", nameof(columns));
        }

        var rows = columns.RowCount;
        var index = 0;
        _arrays[index++] = Timestamps(s_hubTimeType, columns.HubTime, rows);
        if (columns.DeviceTime is { } deviceTime)
        {
            _arrays[index++] = Timestamps(s_deviceTimeType, deviceTime, rows);
        }

        for (var i = 0; i < columns.ValueColumnCount; i++)
        {
            _arrays[index++] = Array(columns[i], _valueTypes[i], rows);
        }

        return new RecordBatch(schema, _arrays, rows);
    }

    /// <summary>Smallest and largest hub time of the committed rows (0, 0 when empty).</summary>
    public static (long First, long Last) TimeRange(StreamColumns columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var times = columns.HubTime.Values[..columns.RowCount];
        if (times.IsEmpty)
        {
            return (0, 0);
        }

        // Rows are in arrival order, but spreading multi-sample frames backwards can overlap the previous frame.
        var first = times[0];
        var last = times[0];
        foreach (var t in times)
        {
            first = Math.Min(first, t);
            last = Math.Max(last, t);
        }

        return (first, last);
    }

    /// <summary>Releases the reused payload buffer and the compression codec.</summary>
    public void Dispose()
    {
        _disposed = true;
        _payload.Dispose();
        _codecFactory?.Dispose();
    }
}
