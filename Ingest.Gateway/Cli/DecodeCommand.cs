using System.CommandLine;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Output;

namespace Ingest.Gateway.Cli;

/// <summary><c>wearable-ingest decode</c>: decodes notifications from --hex or a capture file and prints the rows.</summary>
internal static class DecodeCommand
{
    // A capture given on the command line may be a long recording; decoding streams it in bounded memory.
    private const long MaxCaptureBytes = 1L << 30;

    public static Command Create()
    {
        var profile = new Option<string?>("--profile") { Description = "Profile folder, profile.json, or profile id (e.g. polar-h10)" };
        var stream = new Option<string?>("--stream") { Description = "Stream of the profile to decode (e.g. ecg); needed when the profile has several" };
        var uuid = new Option<string?>("--uuid") { Description = "A standard Bluetooth SIG characteristic to decode without a profile (e.g. 2a37)" };
        var decoder = new Option<string?>("--decoder") { Description = "A built-in decoder by name, without a profile (see: profiles decoders)" };
        var setting = new Option<string[]>("--setting") { Description = "Decoder setting key=value, overriding the profile's (repeatable), e.g. --setting sampleRateHz=130", AllowMultipleArgumentsPerToken = false };
        var hex = new Option<string[]>("--hex") { Description = "A notification as hex bytes, e.g. \"16 48 00 04\" (repeatable)" };
        var capture = new Option<string?>("--capture") { Description = "Capture file: one hex notification per line, optionally after its receive time ('-' reads stdin)" };
        var format = new Option<string>("--format") { Description = "Output format: jsonl, csv, or arrow (an Arrow IPC file; needs --out)", DefaultValueFactory = _ => "jsonl" };
        format.AcceptOnlyFromAmong("jsonl", "csv", "arrow");
        var output = new Option<string?>("--out") { Description = "Write rows to this file instead of standard output" };
        var start = new Option<string?>("--start") { Description = "Receive time for untimed lines (ISO 8601 UTC); default 1970-01-01T00:00:00Z" };
        var profilesDir = new Option<string?>("--profiles-dir") { Description = "Folder of firmware profiles (default: ./firmware-profiles, else the shipped ones)" };
        var compression = CompressionOption.Create();

        var command = new Command("decode",
            "Decode tracker notifications into rows (JSON lines or CSV). Rejected notifications are reported with their " +
            "reason and the exit code is 1 when any was rejected. This is how a new tracker is added: capture, decode, compare.")
        {
            profile, stream, uuid, decoder, setting, hex, capture, format, output, start, profilesDir, compression,
        };

        command.SetAction(parse => CliRunner.Run(() => Execute(
            parse.GetValue(profile), parse.GetValue(stream), parse.GetValue(uuid), parse.GetValue(decoder),
            parse.GetValue(setting) ?? [], parse.GetValue(hex) ?? [], parse.GetValue(capture), parse.GetValue(format)!,
            parse.GetValue(output), parse.GetValue(start), parse.GetValue(profilesDir), parse.GetValue(compression),
            parse.GetResult(compression) is { Implicit: false })));
        return command;
    }

    private static int Execute(string? profile, string? streamId, string? uuid, string? decoderName, string[] settings,
        string[] hex, string? capture, string format, string? outputPath, string? start, string? profilesDir,
        string? compression, bool compressionGiven)
    {
        var encoding = CompressionOption.Parse(compression);
        if (compressionGiven && format != "arrow")
        {
            throw new CliException($"--compression applies to --format arrow only (the format is {format})");
        }

        if ((hex.Length == 0) == (capture is null))
        {
            throw new CliException("give the notifications with either --hex (repeatable) or --capture FILE");
        }

        long? startNs = null;
        if (start is not null)
        {
            if (CaptureReader.TryParseTime(start, out var parsed) is { } problem)
            {
                throw new CliException($"--start: {problem}");
            }

            startNs = parsed;
        }

        if (format == "arrow" && outputPath is null)
        {
            throw new CliException("--format arrow writes a binary Arrow IPC file: give it a path with --out FILE");
        }

        var (decoder, label, description) = DecoderSelection.Select(profile, streamId, uuid, decoderName, settings, profilesDir);
        var lines = hex.Length > 0 ? HexLines(hex, startNs) : CaptureLines(capture!, startNs);

        Stream rowsStream = outputPath is null ? Console.OpenStandardOutput() : File.Create(outputPath);
        CaptureDecodeSummary summary;
        using (IRowOutput rows = format switch
               {
                   "csv" => new CsvRowOutput(new StreamWriter(rowsStream), Console.Error, ownsRows: true),
                   "arrow" => new ArrowFileRowOutput(rowsStream, Console.Error, decoder.Schema, description, encoding),
                   _ => new JsonLinesRowOutput(rowsStream, ownsStream: true),
               })
        {
            summary = CaptureDecoding.Run(decoder, lines, rows);
        }

        foreach (var problem in summary.UnreadableLines)
        {
            Console.Error.WriteLine($"{capture ?? "--hex"}: {problem}");
        }

        var verdict = $"{label}: {summary.Frames} notification(s), {summary.Rows} row(s), {summary.Rejected} rejected" +
            (summary.UnreadableLines.Count > 0 ? $", {summary.UnreadableLines.Count} unreadable line(s)" : "");
        if (outputPath is not null || !summary.AllDecoded)
        {
            Console.Error.WriteLine(verdict);
        }

        return summary.AllDecoded ? ExitCodes.Success : ExitCodes.InputRejected;
    }

    private static IEnumerable<CaptureLine> HexLines(string[] hex, long? startNs)
    {
        long? previous = null;
        for (var i = 0; i < hex.Length; i++)
        {
            // Each --hex is one notification, possibly written with a receive time first like a capture line.
            yield return CaptureReader.ParseLine(hex[i], i + 1, ref previous, startNs)
                ?? new CaptureLine(i + 1, 0, [], "empty --hex value");
        }
    }

    private static IEnumerable<CaptureLine> CaptureLines(string path, long? startNs)
    {
        // Checked here, before any output file is created, not when the lines are first enumerated.
        if (path != "-" && !File.Exists(path))
        {
            throw new CliException($"--capture '{path}' does not exist");
        }

        if (path != "-" && new FileInfo(path).Length > MaxCaptureBytes)
        {
            throw new CliException($"--capture '{path}' is larger than {MaxCaptureBytes} bytes; split it");
        }

        return ReadCapture(path, startNs);
    }

    private static IEnumerable<CaptureLine> ReadCapture(string path, long? startNs)
    {
        using var reader = path == "-" ? new StreamReader(Console.OpenStandardInput()) : new StreamReader(path);
        foreach (var line in CaptureReader.Read(reader, startNs))
        {
            yield return line;
        }
    }
}
