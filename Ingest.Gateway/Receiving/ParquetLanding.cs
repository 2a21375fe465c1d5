using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Types;
using Ingest.Pipeline.Columns;
using Ingest.Pipeline.Publishing;
using ParquetSharp;
using ParquetSharp.Arrow;
using Ingest.Pipeline.Service;

namespace Ingest.Gateway.Receiving;

/// <summary>
/// Writes a received batch as Parquet where data engineers query it:
/// <c>parquet/study=S/participant=P/stream=ID/date=YYYY-MM-DD/{hub}_{stream key}_{sequence}.parquet</c>, one file per
/// batch and UTC date (a batch crossing midnight is split, so every row sits in the partition of its own date). Written by
/// ParquetSharp (Arrow C++) straight from the Apache.Arrow batch, so every type stays exact (ns, UTC). Parquet has no
/// field metadata, so each column's (unit, scale, offset, description) is flattened into the file's key-value metadata as
/// <c>{column}.{key}</c> beside the batch's <c>wearable.*</c> keys; three identity columns let a query deduplicate.
/// </summary>
internal static class ParquetLanding
{
    /// <summary>Identity column: hub id.</summary>
    public const string HubColumn = "wearable_hub";

    /// <summary>Identity column: stream key on the hub.</summary>
    public const string StreamColumn = "wearable_stream";

    /// <summary>Identity column: batch sequence number.</summary>
    public const string SequenceColumn = "wearable_sequence";

    /// <summary>Folder under the output directory that holds the partitions.</summary>
    public const string Folder = "parquet";

    private const long NanosecondsPerDay = 86_400_000_000_000L;

    /// <summary>Writes (or rewrites, identically) the Parquet files of <paramref name="batch"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(string outputDirectory, ReceivedBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var source = batch.Batch;
        var schema = OutputSchema(source.Schema, batch);
        var hubTimes = (TimestampArray)source.Column(source.Schema.GetFieldIndex(StreamSchema.HubTimeColumn));
        var runs = DateRuns(hubTimes.Values);
        var written = new List<string>(runs.Count);
        for (var part = 0; part < runs.Count; part++)
        {
            var (day, offset, length) = runs[part];
            var path = PathOf(outputDirectory, batch, day, runs.Count == 1 ? null : part);
            using var slice = offset == 0 && length == source.Length ? null : source.Slice(offset, length);
            var rows = slice ?? source;
            using var hub = Constant(batch.Identity.Hub, rows.Length);
            using var streamKey = Constant(batch.Identity.Stream, rows.Length);
            using var sequence = Constant(batch.Identity.Sequence, rows.Length);
            // Not disposed: the batch borrows the received columns (the payload's memory) and the three arrays above.
#pragma warning disable CA2000 // see above: its arrays have other owners
            var output = WithIdentity(schema, rows, hub, streamKey, sequence);
#pragma warning restore CA2000
            DurableFile.Write(outputDirectory, path, stream =>
            {
                using var writerProperties = new WriterPropertiesBuilder().Compression(Compression.Zstd).CompressionLevel(3).CreatedBy("wearable-ingest receive").Build();
                using var arrowProperties = new ArrowWriterPropertiesBuilder().StoreSchema().Build();
                using var writer = new FileWriter(stream, schema, writerProperties, arrowProperties, leaveOpen: true);
                writer.WriteRecordBatch(output);
                writer.Close();
            });
            written.Add(path);
        }

        return written;
    }

    /// <summary>The partition folder and file name of one part of a batch (<paramref name="part"/> null when the batch is one part).</summary>
    public static string PathOf(string outputDirectory, ReceivedBatch batch, long day, int? part)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var date = DateOnly.FromDayNumber(checked((int)(day + DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber))).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var name = string.Create(CultureInfo.InvariantCulture,
            $"{PathSegment.Escape(batch.Identity.Hub)}_{PathSegment.Escape(batch.Identity.Stream)}_{batch.Identity.Sequence}{(part is { } p ? "_" + p.ToString(CultureInfo.InvariantCulture) : string.Empty)}.parquet");
        return Path.Combine(outputDirectory, Folder, "study=" + PathSegment.Escape(batch.Origin.Study), "participant=" + PathSegment.Escape(batch.Origin.Participant),
            "stream=" + PathSegment.Escape(batch.Origin.StreamId), "date=" + date, name);
    }

    /// <summary>Contiguous runs of rows with the same UTC day (days since the Unix epoch), in row order.</summary>
    internal static List<(long Day, int Offset, int Length)> DateRuns(ReadOnlySpan<long> hubTimesNs)
    {
        var runs = new List<(long, int, int)>(1);
        var start = 0;
        var day = DayOf(hubTimesNs[0]);
        for (var i = 1; i < hubTimesNs.Length; i++)
        {
            var next = DayOf(hubTimesNs[i]);
            if (next != day)
            {
                runs.Add((day, start, i - start));
                start = i;
                day = next;
            }
        }

        runs.Add((day, start, hubTimesNs.Length - start));
        return runs;
    }

    private static long DayOf(long ns)
    {
        var (quotient, remainder) = Math.DivRem(ns, NanosecondsPerDay);
        return remainder < 0 ? quotient - 1 : quotient;
    }

    private static Schema OutputSchema(Schema source, ReceivedBatch batch)
    {
        var metadata = new Dictionary<string, string>(source.Metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        var fields = new List<Field>(source.FieldsList.Count + 3);
        foreach (var field in source.FieldsList)
        {
            if (field.Metadata is { } fieldMetadata)
            {
                foreach (var (key, value) in fieldMetadata)
                {
                    metadata[field.Name + "." + key] = value;
                }
            }

            fields.Add(field);
        }

        metadata[BatchMessage.Sha256Property] = batch.Sha256;
        fields.Add(new Field(HubColumn, StringType.Default, nullable: false));
        fields.Add(new Field(StreamColumn, StringType.Default, nullable: false));
        fields.Add(new Field(SequenceColumn, Int64Type.Default, nullable: false));
        return new Schema(fields, metadata);
    }

    private static StringArray Constant(string value, int length)
    {
        var builder = new StringArray.Builder();
        builder.Reserve(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(value);
        }

        return builder.Build();
    }

    private static Int64Array Constant(long value, int length)
    {
        var builder = new Int64Array.Builder();
        builder.Reserve(length);
        for (var i = 0; i < length; i++)
        {
            builder.Append(value);
        }

        return builder.Build();
    }

    private static RecordBatch WithIdentity(Schema schema, RecordBatch rows, IArrowArray hub, IArrowArray stream, IArrowArray sequence)
    {
        var arrays = new List<IArrowArray>(rows.ColumnCount + 3);
        for (var i = 0; i < rows.ColumnCount; i++)
        {
            arrays.Add(rows.Column(i));
        }

        arrays.Add(hub);
        arrays.Add(stream);
        arrays.Add(sequence);
        return new RecordBatch(schema, arrays, rows.Length);
    }
}
