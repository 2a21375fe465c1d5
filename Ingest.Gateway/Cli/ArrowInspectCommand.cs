using System.CommandLine;
using System.Globalization;
using System.Text;
using Ingest.Arrow;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest arrow inspect FILE</c>: what a data engineer needs when a batch looks wrong — the format,
/// the schema with its metadata, batch and row counts, null counts and the first rows. It reads with the same
/// strict reader as the service, so a file it rejects is one other readers may misread.
/// </summary>
internal static class ArrowInspectCommand
{
    private const int DefaultRows = 10; // one screen
    private const int MaxCellWidth = 32; // keeps a row of a dozen columns readable on a wide terminal
    private const int MaxTableWidth = 160; // wider tables are printed one row per block instead
    private const int MaxBlockValueWidth = 120; // one value per line: room for a struct or a short list

    /// <summary>Creates the <c>arrow</c> command with its <c>inspect</c> subcommand.</summary>
    public static Command Create()
    {
        var file = new Argument<string>("FILE") { Description = "An Arrow IPC file (.arrow) or stream (.arrows), e.g. a spooled batch or a saved MQTT payload" };
        var rows = new Option<int>("--rows", "-n") { Description = "How many rows to print (0 = none)", DefaultValueFactory = _ => DefaultRows };
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
        if (rows < 0)
        {
            error.WriteLine("error: --rows must be 0 or more");
            return 2;
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            error.WriteLine($"error: cannot read {path}: {ex.Message}");
            return 2;
        }

        ArrowIpcContent content;
        try
        {
            content = ArrowIpcReader.Read(bytes);
        }
        catch (ArrowFormatException ex)
        {
            error.WriteLine($"error: {path} is not valid Arrow IPC (or uses a feature this reader does not support): {ex.Message}");
            return 1;
        }

        output.Write(Render(path, bytes.Length, content, rows));
        return 0;
    }

    internal static string Render(string path, long size, ArrowIpcContent content, int rows)
    {
        var text = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        text.Append(culture, $"file:     {path} ({size.ToString("N0", culture)} bytes)\n");
        text.Append("format:   ").Append(content.Format == ArrowIpcFormat.File
            ? "Arrow IPC file (random access, footer), metadata V5, little-endian\n"
            : "Arrow IPC stream, metadata V5, little-endian\n");

        var schema = content.Schema;
        text.Append(culture, $"schema:   {schema.Fields.Count} field(s)\n");
        var nulls = NullCounts(content);
        for (var i = 0; i < schema.Fields.Count; i++)
        {
            text.Append("  ").Append(schema.Fields[i]);
            text.Append(culture, $"    [nulls: {nulls[i].ToString("N0", culture)}]\n");
            AppendChildren(text, schema.Fields[i], "    ");
            AppendMetadata(text, schema.Fields[i].Metadata, "      ");
        }

        if (schema.Metadata.Count > 0)
        {
            text.Append("schema metadata:\n");
            AppendMetadata(text, schema.Metadata, "  ");
        }

        text.Append(culture, $"batches:  {content.RecordBatches.Count.ToString("N0", culture)} record batch(es)");
        if (content.DictionaryBatchCount > 0)
        {
            text.Append(culture, $", {content.DictionaryBatchCount} dictionary batch(es)");
        }

        text.Append('\n');
        text.Append(culture, $"rows:     {content.RowCount.ToString("N0", culture)}");
        if (content.RecordBatches.Count > 1)
        {
            text.Append(" (per batch: ");
            var shown = Math.Min(content.RecordBatches.Count, 20);
            for (var b = 0; b < shown; b++)
            {
                text.Append(b > 0 ? ", " : string.Empty).Append(content.RecordBatches[b].Length.ToString("N0", culture));
            }

            text.Append(content.RecordBatches.Count > shown ? ", …)" : ")");
        }

        text.Append('\n');
        for (var b = 0; b < content.RecordBatches.Count; b++)
        {
            if (content.RecordBatches[b].Metadata.Count > 0)
            {
                text.Append(culture, $"batch {b} metadata:\n");
                AppendMetadata(text, content.RecordBatches[b].Metadata, "  ");
            }
        }

        if (rows > 0 && content.RowCount > 0)
        {
            AppendRows(text, content, rows);
        }

        return text.ToString();
    }

    private static long[] NullCounts(ArrowIpcContent content)
    {
        var counts = new long[content.Schema.Fields.Count];
        foreach (var batch in content.RecordBatches)
        {
            for (var c = 0; c < counts.Length; c++)
            {
                counts[c] += batch.Columns[c].Type.Id == ArrowTypeId.Null ? batch.Length : batch.Columns[c].NullCount;
            }
        }

        return counts;
    }

    private static void AppendChildren(StringBuilder text, ArrowField field, string indent)
    {
        foreach (var child in field.Type.Children)
        {
            if (child.Metadata.Count > 0)
            {
                text.Append(indent).Append(field.Name).Append('.').Append(child.Name).Append(" metadata:\n");
                AppendMetadata(text, child.Metadata, indent + "  ");
            }

            AppendChildren(text, child, indent);
        }
    }

    private static void AppendMetadata(StringBuilder text, IReadOnlyList<KeyValuePair<string, string>> metadata, string indent)
    {
        foreach (var (key, value) in metadata)
        {
            text.Append(indent).Append(key).Append(" = ").Append(Printable(value, 200)).Append('\n');
        }
    }

    private static void AppendRows(StringBuilder text, ArrowIpcContent content, int rows)
    {
        var fields = content.Schema.Fields;
        var cells = new List<string[]>();
        foreach (var batch in content.RecordBatches)
        {
            for (var r = 0; r < batch.Length && cells.Count < rows; r++)
            {
                var row = new string[fields.Count];
                for (var c = 0; c < row.Length; c++)
                {
                    row[c] = Printable(batch.Columns[c].FormatValue(r), MaxBlockValueWidth);
                }

                cells.Add(row);
            }
        }

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

        text.Append("  ");
        for (var c = 0; c < widths.Length; c++)
        {
            text.Append(c > 0 ? " | " : string.Empty).Append(Printable(fields[c].Name, MaxCellWidth).PadRight(widths[c]));
        }

        text.Append("\n  ");
        for (var c = 0; c < widths.Length; c++)
        {
            text.Append(c > 0 ? "-+-" : string.Empty).Append('-', widths[c]);
        }

        text.Append('\n');
        foreach (var row in cells)
        {
            text.Append("  ");
            for (var c = 0; c < row.Length; c++)
            {
                text.Append(c > 0 ? " | " : string.Empty).Append(Printable(row[c], MaxCellWidth).PadRight(widths[c]));
            }

            text.Append('\n');
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
