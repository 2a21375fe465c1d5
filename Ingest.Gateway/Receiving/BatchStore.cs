using System.Globalization;
using System.Text;
using System.Text.Json;
using Apache.Arrow;
using Apache.Arrow.Types;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// The receiver's disk: stages each batch's raw Arrow IPC bytes durably under its identity
/// (<c>staging/{hub}/{stream key}/{sequence}.arrows</c>, the durability point a receipt stands for), writes its Parquet
/// partitions (<see cref="ParquetLanding"/>), keeps the ledger of sequences, rows and gaps (<c>ledger.json</c>), and
/// quarantines bad payloads with a reason (<c>quarantine/</c>). Staging is the truth: on open, a staged batch the ledger
/// does not know (a crash between staging and the ledger's next save) is landed again, identically.
/// </summary>
/// <remarks>Thread-safety: <see cref="Land"/>, <see cref="Quarantine"/> and <see cref="SaveLedger"/> are called by one loop;
/// <see cref="Snapshot"/> may be called from any thread.</remarks>
internal sealed class BatchStore
{
    /// <summary>Folder of staged raw batches.</summary>
    public const string StagingFolder = "staging";

    /// <summary>Folder of rejected payloads and their reasons.</summary>
    public const string QuarantineFolder = "quarantine";

    /// <summary>File name of the ledger.</summary>
    public const string LedgerFileName = "ledger.json";

    private const string StagedExtension = ".arrows";

    private readonly Lock _sync = new();
    private readonly Dictionary<(string Hub, string Stream), StreamLedger> _streams = [];

    private BatchStore(string outputDirectory)
    {
        OutputDirectory = outputDirectory;
    }

    public string OutputDirectory { get; }

    /// <summary>Batches landed again from staging on open (the ledger had not been saved after them).</summary>
    public int RecoveredOnOpen { get; private set; }

    /// <summary>Opens (or creates) the store in <paramref name="outputDirectory"/>: loads the ledger and reconciles it with staging.</summary>
    public static BatchStore Open(string outputDirectory)
    {
        Directory.CreateDirectory(outputDirectory);
        var store = new BatchStore(Path.GetFullPath(outputDirectory));
        store.LoadLedger();
        store.Reconcile();
        return store;
    }

    /// <summary>Lands <paramref name="batch"/> idempotently by its identity; durable when this returns.</summary>
    public LandingOutcome Land(ReceivedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var identity = batch.Identity;
        var staged = StagedPath(identity);
        var ledger = LedgerOf(batch);
        bool known;
        lock (_sync)
        {
            known = ledger.Contains(identity.Sequence);
        }

        if (File.Exists(staged))
        {
            var existing = File.ReadAllBytes(staged);
            if (!existing.AsSpan().SequenceEqual(batch.Payload.Span))
            {
                // Same identity, different bytes: the hub broke the contract. Keep the newcomer beside the first for whoever investigates.
                DurableFile.Write(OutputDirectory, staged[..^StagedExtension.Length] + ".conflict-" + batch.Sha256[..16] + StagedExtension, batch.Payload);
                lock (_sync)
                {
                    ledger.Conflicts++;
                }

                return LandingOutcome.Conflict;
            }

            if (known)
            {
                lock (_sync)
                {
                    ledger.Duplicates++;
                }

                return LandingOutcome.Duplicate;
            }

            // Staged by a run that stopped before recording it: finish the landing (Parquet rewrites identical bytes).
        }
        else
        {
            DurableFile.Write(OutputDirectory, staged, batch.Payload);
        }

        ParquetLanding.Write(OutputDirectory, batch);
        Record(ledger, batch);
        return LandingOutcome.Stored;
    }

    /// <summary>Keeps a rejected payload and why, under <c>quarantine/</c>: never deleted, never landed.</summary>
    public string Quarantine(string topic, ReadOnlyMemory<byte> payload, IReadOnlyList<KeyValuePair<string, string>> userProperties, string reason)
    {
        ArgumentNullException.ThrowIfNull(userProperties);
        var name = string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:yyyyMMdd'T'HHmmss.fffffff'Z'}-{Pipeline.Publishing.BatchMessage.Sha256Hex(payload.Span)[..16]}");
        var directory = Path.Combine(OutputDirectory, QuarantineFolder);
        DurableFile.Write(OutputDirectory, Path.Combine(directory, name + ".payload"), payload);
        var text = new StringBuilder();
        text.Append("reason: ").AppendLine(reason);
        text.Append("topic: ").AppendLine(BatchInspector.Excerpt(topic));
        text.Append("bytes: ").AppendLine(payload.Length.ToString(CultureInfo.InvariantCulture));
        foreach (var (key, value) in userProperties)
        {
            text.Append("property ").Append(BatchInspector.Excerpt(key)).Append(": ").AppendLine(BatchInspector.Excerpt(value));
        }

        DurableFile.Write(OutputDirectory, Path.Combine(directory, name + ".reason.txt"), Encoding.UTF8.GetBytes(text.ToString()));
        return Path.Combine(directory, name + ".payload");
    }

    /// <summary>Writes the ledger durably (the receiver does this every second and on exit; staging covers a crash in between).</summary>
    public void SaveLedger()
    {
        byte[] json;
        lock (_sync)
        {
            json = JsonSerializer.SerializeToUtf8Bytes(new LedgerFile { Streams = [.. _streams.Values] }, ReceiverJsonContext.Default.LedgerFile);
        }

        DurableFile.Write(OutputDirectory, Path.Combine(OutputDirectory, LedgerFileName), json);
    }

    /// <summary>Per-stream reports from the ledger (totals across runs), with completeness against each device's gaps.</summary>
    public List<StreamReport> Snapshot()
    {
        lock (_sync)
        {
            var reports = new List<StreamReport>(_streams.Count);
            foreach (var stream in _streams.Values)
            {
                List<GapInterval> gaps = [];
                foreach (var other in _streams.Values)
                {
                    if (string.Equals(other.StreamId, ReceivedBatch.GapsStreamId, StringComparison.Ordinal)
                        && string.Equals(other.Hub, stream.Hub, StringComparison.Ordinal) && string.Equals(other.Device, stream.Device, StringComparison.Ordinal))
                    {
                        gaps.AddRange(other.Gaps);
                    }
                }

                reports.Add(Completeness.Of(stream, gaps));
            }

            reports.Sort(static (a, b) => string.CompareOrdinal(a.Hub + "/" + a.Stream, b.Hub + "/" + b.Stream));
            return reports;
        }
    }

    private string StagedPath(BatchIdentity identity) => Path.Combine(OutputDirectory, StagingFolder, PathSegment.Escape(identity.Hub),
        PathSegment.Escape(identity.Stream), identity.Sequence.ToString(CultureInfo.InvariantCulture) + StagedExtension);

    private StreamLedger LedgerOf(ReceivedBatch batch)
    {
        lock (_sync)
        {
            var key = (batch.Identity.Hub, batch.Identity.Stream);
            if (!_streams.TryGetValue(key, out var ledger))
            {
                ledger = new StreamLedger
                {
                    Hub = key.Hub,
                    Stream = key.Stream,
                    Study = batch.Origin.Study,
                    Site = batch.Origin.Site,
                    Participant = batch.Origin.Participant,
                    Device = batch.Origin.Device,
                    StreamId = batch.Origin.StreamId,
                    NominalRateHz = batch.Origin.NominalRateHz,
                };
                _streams.Add(key, ledger);
            }

            return ledger;
        }
    }

    private void Record(StreamLedger ledger, ReceivedBatch batch)
    {
        var gaps = batch.IsGapsStream ? GapsOf(batch.Batch) : [];
        lock (_sync)
        {
            if (!ledger.Add(batch.Identity.Sequence))
            {
                return;
            }

            ledger.Batches++;
            ledger.Rows += batch.Rows;
            ledger.FirstHubTimeNs = Math.Min(ledger.FirstHubTimeNs, batch.FirstHubTimeNs);
            ledger.LastHubTimeNs = Math.Max(ledger.LastHubTimeNs, batch.LastHubTimeNs);
            ledger.NominalRateHz ??= batch.Origin.NominalRateHz;
            ledger.Gaps.AddRange(gaps);
        }
    }

    /// <summary>
    /// The intervals of a gaps batch as main's service writes them: <c>hub_time</c> is the start, <c>end_time</c> (timestamp or
    /// int64 ns) the end, <c>reason</c> a uint8 (1 disconnected, 2 intake paused, 3 hub down, 4 frames lost) or a string. Read by name and
    /// tolerantly (an older <c>end</c> column is taken too): a gaps batch of another shape yields no intervals rather than an
    /// error, and completeness then uses the whole span.
    /// </summary>
    internal static List<GapInterval> GapsOf(RecordBatch batch)
    {
        var intervals = new List<GapInterval>();
        var schema = batch.Schema;
        var startIndex = schema.GetFieldIndex(Pipeline.Columns.StreamSchema.HubTimeColumn);
        var endIndex = schema.GetFieldIndex("end_time") is var index and >= 0 ? index : schema.GetFieldIndex("end");
        if (startIndex < 0 || endIndex < 0 || batch.Column(startIndex) is not TimestampArray starts)
        {
            return intervals;
        }

        var ends = batch.Column(endIndex);
        var reasonIndex = schema.GetFieldIndex("reason");
        var reasons = reasonIndex >= 0 ? batch.Column(reasonIndex) : null;
        for (var i = 0; i < batch.Length; i++)
        {
            long? endNs = ends switch
            {
                TimestampArray timestamps => timestamps.GetValue(i) is { } end ? ToNanoseconds(end, ((TimestampType)timestamps.Data.DataType).Unit) : null,
                Int64Array int64 => int64.GetValue(i),
                _ => null,
            };
            if (starts.GetValue(i) is not { } start || endNs is not { } stop || stop <= start)
            {
                continue;
            }

            var reason = reasons switch
            {
                StringArray text => text.GetString(i),
                UInt8Array code => code.GetValue(i) switch
                {
                    1 => "disconnected",
                    2 => "intake-paused",
                    3 => "hub-down",
                    4 => "frames-lost",
                    var other => other?.ToString(CultureInfo.InvariantCulture),
                },
                _ => null,
            };
            intervals.Add(new GapInterval(start, stop, reason));
        }

        return intervals;
    }

    private static long ToNanoseconds(long value, TimeUnit unit) => unit switch
    {
        TimeUnit.Second => value * 1_000_000_000L,
        TimeUnit.Millisecond => value * 1_000_000L,
        TimeUnit.Microsecond => value * 1_000L,
        _ => value,
    };

    private void LoadLedger()
    {
        var path = Path.Combine(OutputDirectory, LedgerFileName);
        if (!File.Exists(path))
        {
            return;
        }

        LedgerFile? file;
        try
        {
            file = JsonSerializer.Deserialize(File.ReadAllBytes(path), ReceiverJsonContext.Default.LedgerFile);
        }
        catch (JsonException ex)
        {
            // A damaged ledger is rebuilt from staging (counts of duplicates and conflicts are lost, data is not); keep it for a look.
            File.Move(path, path + ".damaged-" + DateTime.UtcNow.ToString("yyyyMMddTHHmmss", CultureInfo.InvariantCulture), overwrite: true);
            Console.Error.WriteLine($"receive: {path} could not be read ({ex.Message}); rebuilding it from {StagingFolder}/");
            return;
        }

        foreach (var stream in file?.Streams ?? [])
        {
            _streams[(stream.Hub, stream.Stream)] = stream;
        }
    }

    /// <summary>Lands every staged batch the ledger does not know (see the class remarks).</summary>
    private void Reconcile()
    {
        var staging = Path.Combine(OutputDirectory, StagingFolder);
        if (!Directory.Exists(staging))
        {
            return;
        }

        var known = new Dictionary<(string, string), StreamLedger>();
        foreach (var ((hub, stream), ledger) in _streams)
        {
            known[(PathSegment.Escape(hub), PathSegment.Escape(stream))] = ledger;
        }

        foreach (var hubDirectory in Directory.EnumerateDirectories(staging))
        {
            foreach (var streamDirectory in Directory.EnumerateDirectories(hubDirectory))
            {
                known.TryGetValue((Path.GetFileName(hubDirectory), Path.GetFileName(streamDirectory)), out var ledger);
                foreach (var file in Directory.EnumerateFiles(streamDirectory, "*" + StagedExtension))
                {
                    // Conflict copies ("7.conflict-….arrows") and temporary files do not parse as a sequence.
                    if (!long.TryParse(Path.GetFileNameWithoutExtension(file), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                        || (ledger is not null && ledger.Contains(sequence)))
                    {
                        continue;
                    }

                    var inspection = BatchInspector.InspectStaged(File.ReadAllBytes(file));
                    if (inspection.Batch is not { } batch)
                    {
                        Console.Error.WriteLine($"receive: staged {file} cannot be read again ({inspection.Reason}); left where it is");
                        continue;
                    }

                    using (batch.Batch)
                    {
                        ParquetLanding.Write(OutputDirectory, batch);
                        Record(LedgerOf(batch), batch);
                    }

                    RecoveredOnOpen++;
                }
            }
        }
    }
}
