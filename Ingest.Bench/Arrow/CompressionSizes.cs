using System.Globalization;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Columns;

namespace Ingest.Bench.Arrow;

/// <summary>
/// <c>arrow-compression-sizes</c>: the bytes of one encoded batch (complete IPC stream message) uncompressed, LZ4 and
/// zstd, for the simulated streams at several batch sizes and for every shipped capture decoded whole, as a
/// Markdown table. Checks that every compressed batch reads back to the same rendering as the uncompressed one.
/// </summary>
internal static class CompressionSizes
{
    public static int Run(TextWriter output)
    {
        output.WriteLine("| Batch | Rows | Uncompressed B | LZ4 B (saved) | zstd B (saved) | zstd-9 B (saved) |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        foreach (var stream in CompressionStreams.Simulated)
        {
            foreach (var rows in new[] { 120, 1024, 8192 })
            {
                var (columns, description) = CompressionStreams.Simulate(stream, rows);
                Row(output, $"simulated {stream}", columns, description);
            }
        }

        foreach (var (name, columns, description) in CompressionStreams.Captures())
        {
            Row(output, $"capture {name}", columns, description);
        }

        return 0;
    }

    private static void Row(TextWriter output, string name, StreamColumns columns, StreamDescription description)
    {
        var identity = new BatchIdentity("hub-7", "p-0042/stream", 1234);
        var sizes = new long[4];
        BatchEncodingOptions[] options =
        [
            BatchEncodingOptions.Default,
            new() { Compression = BatchCompression.Lz4Frame },
            new() { Compression = BatchCompression.Zstd },
            new() { Compression = BatchCompression.Zstd, CompressionLevel = 9 },
        ];
        for (var i = 0; i < options.Length; i++)
        {
            using var encoder = new ArrowBatchEncoder(columns.Schema, description, options[i]);
            sizes[i] = encoder.EncodeStream(columns, identity).Length;
        }

        var culture = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(culture,
            $"| {name} | {columns.RowCount:N0} | {sizes[0]:N0} | {sizes[1]:N0} ({Saved(sizes[0], sizes[1])}) | {sizes[2]:N0} ({Saved(sizes[0], sizes[2])}) | {sizes[3]:N0} ({Saved(sizes[0], sizes[3])}) |"));
    }

    private static string Saved(long plain, long compressed) =>
        (1.0 - ((double)compressed / plain)).ToString("P0", CultureInfo.InvariantCulture).Replace(" ", "", StringComparison.Ordinal);
}
