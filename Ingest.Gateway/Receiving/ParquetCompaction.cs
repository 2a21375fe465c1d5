using System.Globalization;
using Apache.Arrow;
using ParquetSharp;
using ParquetSharp.Arrow;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// Compacts closed days: in every <c>date=</c> partition before a given date, the per-batch files of each stream (hub +
/// stream key) become one file <c>{hub}_{stream key}_{date}.parquet</c>, duplicate sequences dropped, the first and last
/// sequence in the key-value metadata. The compacted file is written durably before the inputs are deleted, so a crash
/// leaves both (a re-run merges them, dropping the repeats); a re-run with nothing new is a no-op. A late batch lands as a
/// per-batch file again and joins the compacted file at the next run.
/// </summary>
internal static class ParquetCompaction
{
    /// <summary>Key-value metadata of a compacted file: "true".</summary>
    public const string CompactedKey = "wearable.compacted";

    /// <summary>Key-value metadata of a compacted file: its lowest sequence.</summary>
    public const string FirstSequenceKey = "wearable.sequence.first";

    /// <summary>Key-value metadata of a compacted file: its highest sequence.</summary>
    public const string LastSequenceKey = "wearable.sequence.last";

    /// <summary>Schema keys that describe one batch, meaningless for a compacted file.</summary>
    private static readonly string[] s_perBatchKeys =
    [
        Pipeline.Batching.BatchMetadataKeys.Sequence, Pipeline.Batching.BatchMetadataKeys.FirstHubTime, Pipeline.Batching.BatchMetadataKeys.LastHubTime,
        Pipeline.Publishing.BatchMessage.Sha256Property,
    ];

    /// <summary>Compacts every partition dated before <paramref name="before"/>; returns (files written, files removed).</summary>
    public static async Task<(int Written, int Removed)> CompactAsync(string outputDirectory, DateOnly before, CancellationToken cancellationToken = default)
    {
        var root = Path.Combine(outputDirectory, ParquetLanding.Folder);
        if (!Directory.Exists(root))
        {
            return (0, 0);
        }

        int written = 0, removed = 0;
        foreach (var partition in Directory.EnumerateDirectories(root, "date=*", SearchOption.AllDirectories))
        {
            if (!DateOnly.TryParseExact(Path.GetFileName(partition)["date=".Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || date >= before)
            {
                continue;
            }

            var groups = new Dictionary<(string Hub, string Stream), List<string>>();
            foreach (var file in Directory.EnumerateFiles(partition, "*.parquet"))
            {
                using var reader = new FileReader(file);
                var metadata = reader.Schema.Metadata ?? new Dictionary<string, string>();
                if (metadata.TryGetValue(Pipeline.Batching.BatchMetadataKeys.Hub, out var hub) && metadata.TryGetValue(Pipeline.Batching.BatchMetadataKeys.Stream, out var stream))
                {
                    var key = (hub, stream);
                    if (!groups.TryGetValue(key, out var files))
                    {
                        groups[key] = files = [];
                    }

                    files.Add(file);
                }
            }

            foreach (var ((hub, stream), files) in groups)
            {
                var target = Path.Combine(partition, string.Create(CultureInfo.InvariantCulture,
                    $"{PathSegment.Escape(hub)}_{PathSegment.Escape(stream)}_{date:yyyy-MM-dd}.parquet"));
                if (files.Count == 1 && files[0] == target)
                {
                    continue;
                }

                if (await CompactGroupAsync(outputDirectory, target, files, cancellationToken).ConfigureAwait(false))
                {
                    written++;
                    foreach (var file in files)
                    {
                        if (file != target)
                        {
                            File.Delete(file);
                            removed++;
                        }
                    }
                }
            }
        }

        return (written, removed);
    }

    /// <summary>Merges <paramref name="files"/> into <paramref name="target"/>; false (and a line on stderr) when their columns differ.</summary>
    private static async Task<bool> CompactGroupAsync(string outputDirectory, string target, List<string> files, CancellationToken cancellationToken)
    {
        // The compacted file first: its sequences are taken as they are, and a per-batch file repeating one is dropped.
        files.Sort((a, b) => a == target ? -1 : b == target ? 1 : string.CompareOrdinal(a, b));
        var taken = new HashSet<long>();
        var batches = new List<RecordBatch>();
        var readers = new List<FileReader>();
        Schema? schema = null;
        try
        {
            foreach (var file in files)
            {
                var reader = new FileReader(file);
                readers.Add(reader);
                var fileSchema = reader.Schema;
                if (schema is null)
                {
                    schema = fileSchema;
                }
                else if (!SameColumns(schema, fileSchema))
                {
                    await Console.Error.WriteLineAsync($"receive compact: {file} has other columns than {files[0]}; partition left as it is").ConfigureAwait(false);
                    return false;
                }

                var fileBatches = new List<RecordBatch>();
                using var stream = reader.GetRecordBatchReader();
                while (await stream.ReadNextRecordBatchAsync(cancellationToken).ConfigureAwait(false) is { } batch)
                {
                    fileBatches.Add(batch);
                }

                var sequences = new HashSet<long>();
                foreach (var batch in fileBatches)
                {
                    foreach (var sequence in ((Int64Array)batch.Column(ParquetLanding.SequenceColumn)).Values)
                    {
                        sequences.Add(sequence);
                    }
                }

                // A file is one batch (or a compacted set): keep it whole unless its sequences are already in.
                if (sequences.Overlaps(taken))
                {
                    fileBatches.ForEach(static b => b.Dispose());
                    continue;
                }

                taken.UnionWith(sequences);
                batches.AddRange(fileBatches);
            }

            if (schema is null || batches.Count == 0)
            {
                return false;
            }

            // Rows in sequence order, then time order (a batch split at midnight has one part per partition).
            var ordered = batches.OrderBy(static b => ((Int64Array)b.Column(ParquetLanding.SequenceColumn)).GetValue(0))
                .ThenBy(static b => ((TimestampArray)b.Column(Pipeline.Columns.StreamSchema.HubTimeColumn)).GetValue(0)).ToList();

            var metadata = new Dictionary<string, string>(schema.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            foreach (var key in s_perBatchKeys)
            {
                metadata.Remove(key);
            }

            metadata[CompactedKey] = "true";
            metadata[FirstSequenceKey] = taken.Min().ToString(CultureInfo.InvariantCulture);
            metadata[LastSequenceKey] = taken.Max().ToString(CultureInfo.InvariantCulture);
            var output = new Schema(schema.FieldsList, metadata);
            DurableFile.Write(outputDirectory, target, file =>
            {
                using var writerProperties = new WriterPropertiesBuilder().Compression(Compression.Zstd).CompressionLevel(3).CreatedBy("wearable-ingest receive compact").Build();
                using var arrowProperties = new ArrowWriterPropertiesBuilder().StoreSchema().Build();
                using var writer = new FileWriter(file, output, writerProperties, arrowProperties, leaveOpen: true);
                foreach (var batch in ordered)
                {
                    // Not disposed here: the arrays belong to the batches read above, disposed below.
#pragma warning disable CA2000
                    writer.WriteBufferedRecordBatch(new RecordBatch(output, batch.Arrays, batch.Length));
#pragma warning restore CA2000
                }

                writer.Close();
            });
            return true;
        }
        finally
        {
            batches.ForEach(static b => b.Dispose());
            readers.ForEach(static r => r.Dispose());
        }
    }

    private static bool SameColumns(Schema a, Schema b)
    {
        if (a.FieldsList.Count != b.FieldsList.Count)
        {
            return false;
        }

        for (var i = 0; i < a.FieldsList.Count; i++)
        {
            if (a.FieldsList[i].Name != b.FieldsList[i].Name || a.FieldsList[i].DataType.TypeId != b.FieldsList[i].DataType.TypeId
                || a.FieldsList[i].DataType.Name != b.FieldsList[i].DataType.Name)
            {
                return false;
            }
        }

        return true;
    }
}
