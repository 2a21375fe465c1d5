using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Diagnostics.CodeAnalysis;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest arrow inspect FILE</c>: what a data engineer needs when a batch looks wrong — the format,
/// the schema with its metadata, batch and row counts, null counts and the first rows. It reads with
/// Apache.Arrow (LZ4 and zstd bodies included), and says in one line what is wrong with a file it cannot read.
/// </summary>
internal static class ArrowInspectCommand
{
    private const int DefaultRows = 10; // one screen

    /// <summary>Most rows --rows may ask for: more than a few screens is a job for DuckDB or pyarrow, and the rows shown are kept as text.</summary>
    internal const int MaxRows = 1000;

    private const int MaxCellWidth = 32; // keeps a row of a dozen columns readable on a wide terminal
    private const int MaxTableWidth = 160; // wider tables are printed one row per block instead
    private const int MaxBlockValueWidth = 120; // one value per line: room for a struct or a short list

    /// <summary>Creates the <c>arrow</c> command with its <c>inspect</c> subcommand.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "An Arrow IPC file (.arrow) or stream (.arrows), e.g. a spooled batch or a saved MQTT payload" };
        var rows = new Option<int>("--rows", "-n") { Description = $"How many rows to print, 0 to {MaxRows} (0 = none)", DefaultValueFactory = _ => DefaultRows };
        var inspect = new Command("inspect", "Print an Arrow IPC file's or stream's format, schema and metadata, batch and row counts, null counts and first rows.")
        {
            file, rows,
        };
        inspect.SetAction(parse => Execute(parse.GetValue(file)!, parse.GetValue(rows), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return new Command("arrow", "Tools for the Arrow IPC data this service writes.") { inspect };
    }

    /// <summary>Runs the command: 0 when the file was read, 1 when it is not valid Arrow IPC, 2 when it cannot be opened.</summary>
    internal static int Execute(string path, int rows, TextWriter output, TextWriter error)
    {
        if (rows is < 0 or > MaxRows)
        {
            error.WriteLine($"error: --rows {rows} is out of range; give 0 to {MaxRows} (0 prints no rows); see 'wearable-ingest arrow inspect --help'");
            return ExitCodes.UsageError;
        }

        try
        {
            using var stream = OpenInput(path);
            var size = stream.Length;
            var shown = new ShownRows(rows);
            using var content = ArrowIpcContent.Read(stream, shown.Add);
            output.Write(Render(path, size, content, shown));
            return ExitCodes.Success;
        }
        catch (CliException ex)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitCodes.UsageError;
        }
        catch (InvalidDataException ex)
        {
            error.WriteLine($"error: {path} is not valid Arrow IPC: {ex.Message}");
            return ExitCodes.InputRejected;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: FILE '{path}' cannot be read: {ex.Message}");
            return ExitCodes.UsageError;
        }
    }

    private static FileStream OpenInput(string path)
    {
        CliFiles.RequireInputFile("FILE", path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 64 << 10);
        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw new CliException($"FILE '{path}' is a pipe or device, not a file; save the data to a file first");
        }

        return stream;
    }

    /// <summary>What is kept of the batches once they are released: null counts and the first rows as text.</summary>
    private sealed class ShownRows(int rows)
    {
        public long[] NullCounts { get; private set; } = [];

        public List<string[]> Cells { get; } = [];

        public void Add(RecordBatch batch)
        {
            if (NullCounts.Length == 0)
            {
                NullCounts = new long[batch.ColumnCount];
            }

            for (var c = 0; c < NullCounts.Length && c < batch.ColumnCount; c++)
            {
                var column = batch.Column(c);
                // Apache.Arrow reads some buffers lazily: a bad offset or dictionary index shows only when a value is read.
                NullCounts[c] += column.Data.DataType.TypeId == ArrowTypeId.Null ? column.Length : column.NullCount;
            }

            for (var r = 0; r < batch.Length && Cells.Count < rows; r++)
            {
                var row = new string[batch.ColumnCount];
                for (var c = 0; c < row.Length; c++)
                {
                    row[c] = Printable(FormatValue(batch.Column(c), r), MaxBlockValueWidth);
                }

                Cells.Add(row);
            }
        }
    }

    private static string Render(string path, long size, ArrowIpcContent content, ShownRows shown)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"file:     {Printable(path, 400)} ({size.ToString("N0", culture)} bytes)\n");
        text.Append("format:   ").Append(content.IsFile ? "Arrow IPC file (random access, footer)" : "Arrow IPC stream").Append(", little-endian")
            .Append(content.Compressions.Count == 0
                ? ", uncompressed bodies\n"
                : $", {CompressionNames(content.Compressions)}-compressed bodies (apache-arrow JS cannot read them)\n");

        var fields = content.Schema.FieldsList;
        text.Append(culture, $"schema:   {fields.Count} field(s)\n");
        for (var i = 0; i < fields.Count; i++)
        {
            text.Append("  ");
            ArrowTypeText.AppendField(text, fields[i]);
            var nulls = i < shown.NullCounts.Length ? shown.NullCounts[i] : 0;
            text.Append(culture, $"    [nulls: {nulls.ToString("N0", culture)}]\n");
            AppendChildren(text, fields[i], "    ");
            AppendMetadata(text, fields[i].Metadata, "      ");
        }

        if (content.Schema.HasMetadata)
        {
            text.Append("schema metadata:\n");
            AppendMetadata(text, content.Schema.Metadata, "  ");
        }

        text.Append(culture, $"batches:  {content.BatchCount.ToString("N0", culture)} record batch(es)\n");
        text.Append(culture, $"rows:     {content.RowCount.ToString("N0", culture)}");
        if (content.BatchCount > 1)
        {
            text.Append(" (per batch: ");
            for (var b = 0; b < content.FirstBatchLengths.Count; b++)
            {
                text.Append(b > 0 ? ", " : string.Empty).Append(content.FirstBatchLengths[b].ToString("N0", culture));
            }

            text.Append(content.BatchCount > content.FirstBatchLengths.Count ? ", …)" : ")");
        }

        text.Append('\n');
        if (shown.Cells.Count > 0)
        {
            AppendRows(text, fields, shown.Cells);
        }

        return text.ToString();
    }

    private static string CompressionNames(IReadOnlySet<CompressionCodecType> codecs)
    {
        var names = new List<string>();
        foreach (var codec in codecs)
        {
            names.Add(codec == CompressionCodecType.Zstd ? "zstd" : "LZ4");
        }

        names.Sort(StringComparer.Ordinal);
        return string.Join("/", names);
    }

    private static void AppendChildren(StringBuilder text, Field field, string indent)
    {
        if (field.DataType is not NestedType nested)
        {
            return;
        }

        foreach (var child in nested.Fields)
        {
            if (child.HasMetadata)
            {
                text.Append(indent).Append(field.Name).Append('.').Append(child.Name).Append(" metadata:\n");
                AppendMetadata(text, child.Metadata, indent + "  ");
            }

            AppendChildren(text, child, indent);
        }
    }

    private static void AppendMetadata(StringBuilder text, IReadOnlyDictionary<string, string>? metadata, string indent)
    {
        if (metadata is null)
        {
            return;
        }

        foreach (var (key, value) in metadata)
        {
            text.Append(indent).Append(Printable(key, 200)).Append(" = ").Append(Printable(value, 200)).Append('\n');
        }
    }

    private static void AppendRows(StringBuilder text, IReadOnlyList<Field> fields, List<string[]> cells)
    {
        text.Append(CultureInfo.InvariantCulture, $"first {cells.Count} row(s):\n");
        var widths = new int[fields.Count];
        var total = 0;
        for (var c = 0; c < widths.Length; c++)
        {
            widths[c] = Printable(fields[c].Name, MaxCellWidth).Length;
            foreach (var row in cells)
            {
                widths[c] = Math.Max(widths[c], Math.Min(row[c].Length, MaxCellWidth));
            }

            total += widths[c] + 3;
        }

        if (total > MaxTableWidth)
        {
            // Too wide for a table: one block per row, one line per column.
            var nameWidth = fields.Max(f => Printable(f.Name, MaxCellWidth).Length);
            for (var r = 0; r < cells.Count; r++)
            {
                text.Append(CultureInfo.InvariantCulture, $"  -- row {r} --\n");
                for (var c = 0; c < fields.Count; c++)
                {
                    text.Append("  ").Append(Printable(fields[c].Name, MaxCellWidth).PadRight(nameWidth)).Append(" : ").Append(cells[r][c]).Append('\n');
                }
            }

            return;
        }

        var line = new StringBuilder("  ");
        for (var c = 0; c < widths.Length; c++)
        {
            line.Append(c > 0 ? " | " : string.Empty).Append(Printable(fields[c].Name, MaxCellWidth).PadRight(widths[c]));
        }

        text.Append(line.ToString().TrimEnd()).Append("\n  ");
        for (var c = 0; c < widths.Length; c++)
        {
            text.Append(c > 0 ? "-+-" : string.Empty).Append('-', widths[c]);
        }

        text.Append('\n');
        foreach (var row in cells)
        {
            line.Clear().Append("  ");
            for (var c = 0; c < row.Length; c++)
            {
                line.Append(c > 0 ? " | " : string.Empty).Append(Printable(row[c], MaxCellWidth).PadRight(widths[c]));
            }

            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }

    // A value whose offsets or indices point outside its buffers makes Apache.Arrow throw when it is read.
    [SuppressMessage("Design", "CA1031:Do not catch general exception types", Justification = "Translated into one line about the input.")]
    private static string FormatValue(IArrowArray column, int row)
    {
        try
        {
            return ArrowValueText.Format(column, row);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            throw new InvalidDataException($"row {row} of a {column.Data.DataType.Name} column cannot be read ({ex.GetType().Name}: {ex.Message})", ex);
        }
    }

    /// <summary>Escapes control characters (a value must not break the layout) and shortens long values.</summary>
    private static string Printable(string value, int maxLength)
    {
        var builder = new StringBuilder(Math.Min(value.Length, maxLength + 1));
        foreach (var rune in value.EnumerateRunes())
        {
            if (builder.Length >= maxLength)
            {
                builder.Length = maxLength - 1;
                builder.Append('…');
                break;
            }

            if (Rune.IsControl(rune))
            {
                builder.Append(rune.Value switch { '\n' => "\\n", '\t' => "\\t", '\r' => "\\r", _ => $"\\u{rune.Value:x4}" });
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }
}
