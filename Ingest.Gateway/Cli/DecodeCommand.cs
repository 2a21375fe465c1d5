using System.CommandLine;
using System.Runtime.InteropServices;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Output;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest decode</c>: decodes notifications from --hex or a capture file into rows (docs/decode-output.md).
/// Rows go to standard output or --out, and nothing else does; rejected notifications and unreadable lines go one line
/// each to standard error (or as JSON lines to --rejections), and the closing summary is the one <c>error:</c> line
/// when any was rejected (exit 1). The capture is read in bounded memory (one line of at most
/// ProfileLimits.MaxCaptureLineChars at a time); an over-long line is an unreadable line and reading continues; a
/// binary file is refused as a whole (exit 2); a capture without notifications exits 1.
/// </summary>
internal static class DecodeCommand
{
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
        var values = new Option<string>("--values")
        {
            Description = "jsonl/csv values: physical (stored × scale + offset, the unit in each key, e.g. rr_interval_s) or stored (the tracker's integers, plain names: the .expected.jsonl form)",
            DefaultValueFactory = _ => "physical",
        };
        values.AcceptOnlyFromAmong("physical", "stored");
        var output = new Option<string?>("--out") { Description = "Write rows to this file instead of standard output (written in full or not at all)" };
        var rejections = new Option<string?>("--rejections") { Description = "Write rejected notifications and unreadable lines to this file as JSON lines instead of standard error" };
        var start = new Option<string?>("--start") { Description = "Receive time for untimed lines (ISO 8601 UTC); default 1970-01-01T00:00:00Z" };
        var profilesDir = new Option<string?>("--profiles-dir") { Description = "Folder of firmware profiles for a --profile id (default: ./firmware-profiles, else the shipped ones)" };
        var compression = CompressionOption.Create();

        var command = new Command("decode",
            "Decode tracker notifications into rows (JSON lines, CSV or Arrow). Rows go to standard output or --out; " +
            "rejected notifications go to standard error (or --rejections) and the exit code is 1 when any was rejected. " +
            "This is how a new tracker is added: capture, decode, compare.")
        {
            profile, stream, uuid, decoder, setting, hex, capture, format, values, output, rejections, start, profilesDir, compression,
        };

        command.SetAction(parse => CliRunner.Run(() => Execute(new Request(
            parse.GetValue(profile), parse.GetValue(stream), parse.GetValue(uuid), parse.GetValue(decoder),
            parse.GetValue(setting) ?? [], parse.GetValue(hex) ?? [], parse.GetValue(capture), parse.GetValue(format)!,
            parse.GetValue(values)!, parse.GetResult(values) is { Implicit: false }, parse.GetValue(output), parse.GetValue(rejections),
            parse.GetValue(start), parse.GetValue(profilesDir), parse.GetValue(compression), parse.GetResult(compression) is { Implicit: false }))));
        return command;
    }

    private sealed record Request(string? Profile, string? StreamId, string? Uuid, string? DecoderName, string[] Settings,
        string[] Hex, string? Capture, string Format, string Values, bool ValuesGiven, string? Output, string? Rejections,
        string? Start, string? ProfilesDir, string? Compression, bool CompressionGiven);

    private static int Execute(Request request)
    {
        var encoding = CompressionOption.Parse(request.Compression);
        if (request.CompressionGiven && request.Format != "arrow")
        {
            throw new CliException($"--compression applies to --format arrow only (the format is {request.Format}); leave it out or add --format arrow");
        }

        if (request.ValuesGiven && request.Format == "arrow")
        {
            throw new CliException("--values applies to --format jsonl and csv; an Arrow file keeps the stored values with each column's unit and scale in its field metadata");
        }

        if (request.Hex.Length > 0 && request.Capture is not null)
        {
            throw new CliException("--hex and --capture both give notifications; give one of them");
        }

        if (request.Hex.Length == 0 && request.Capture is null)
        {
            throw new CliException("give the notifications with either --hex (repeatable) or --capture FILE ('-' for standard input)");
        }

        long? startNs = null;
        if (request.Start is not null)
        {
            if (CaptureReader.TryParseTime(request.Start, out var parsed) is { } problem)
            {
                throw new CliException($"--start: {problem}");
            }

            startNs = parsed;
        }

        var capture = request.Capture is null or "-" ? request.Capture : CliFiles.RequireInputFile("--capture", request.Capture);
        if (request.Format == "arrow" && request.Output is null)
        {
            throw new CliException("--format arrow writes a binary Arrow IPC file: give it a path with --out FILE");
        }

        var outputPath = request.Output is null ? null : CliFiles.RequireOutputFile("--out", request.Output, capture);
        var rejectionsPath = request.Rejections is null
            ? null
            : CliFiles.RequireOutputFile("--rejections", request.Rejections, capture, outputPath);

        // Everything the person gave is checked before any output is created.
        var (decoder, label, description) = DecoderSelection.Select(request.Profile, request.StreamId, request.Uuid,
            request.DecoderName, request.Settings, request.ProfilesDir);
        var source = capture is null ? "--hex" : capture == "-" ? "standard input" : capture;
        var rowValues = request.Values == "stored" ? RowValues.Stored : RowValues.Physical;

        using var interrupt = new Interrupt();
        using var rowsFile = outputPath is null ? null : OutputFile.Create("--out", outputPath);
        using var rejectionsFile = rejectionsPath is null ? null : OutputFile.Create("--rejections", rejectionsPath);
        using var standardOutput = rowsFile is null ? Console.OpenStandardOutput() : null;
        var rowsStream = rowsFile?.Stream ?? standardOutput!;

        CaptureDecodeSummary summary;
        using (var captureStream = capture is null ? null : capture == "-" ? Console.OpenStandardInput() : OpenCapture(capture))
        using (var rejectionOutput = rejectionsFile is null ? null : new JsonLinesRejectionOutput(rejectionsFile.Stream, ownsStream: false))
        {
            var lines = captureStream is null ? HexLines(request.Hex, startNs) : CaptureReader.Read(captureStream, startNs);
            using IRowOutput rows = request.Format switch
            {
                "csv" => new CsvRowOutput(new StreamWriter(rowsStream, leaveOpen: true), ownsRows: true, rowValues),
                "arrow" => new ArrowFileRowOutput(rowsStream, decoder.Schema, description, encoding, leaveOpen: true),
                _ => new JsonLinesRowOutput(rowsStream, ownsStream: false, rowValues),
            };
            try
            {
                summary = CaptureDecoding.Run(decoder, interrupt.Until(lines), rows,
                    (IRejectionOutput?)rejectionOutput ?? new TextRejectionOutput(Console.Error, source));
            }
            catch (CaptureFormatException ex)
            {
                throw new CliException($"--capture '{InputText.Printable(source)}' {ex.Message}; give a text file of hex notifications, one per line");
            }
        }

        if (interrupt.Requested)
        {
            Console.Error.WriteLine($"error: interrupted (Ctrl+C) after {summary.Frames} notification(s); {(outputPath is null ? "the rows above are incomplete" : $"--out '{outputPath}' was not written")}");
            return ExitCodes.Interrupted;
        }

        if (summary.Frames == 0 && summary.Unreadable == 0)
        {
            Console.Error.WriteLine($"error: {InputText.Printable(source)} has no notifications (only blank or comment lines); a capture has one hex notification per line, e.g. 16 48 00 04");
            return ExitCodes.InputRejected;
        }

        if (summary.Frames == 0)
        {
            Console.Error.WriteLine($"error: {InputText.Printable(source)} has no notifications: all {summary.Unreadable} line(s) are unreadable (see above); fix them, see firmware-profiles/README.md \"Capture files\"");
            return ExitCodes.InputRejected;
        }

        rowsFile?.Commit();
        rejectionsFile?.Commit();
        var totals = $"{label}: {summary.Frames} notification(s), {summary.Rows} row(s), {summary.Rejected} rejected" +
            (summary.Unreadable > 0 ? $", {summary.Unreadable} unreadable line(s)" : "");
        if (!summary.AllDecoded)
        {
            var where = rejectionsPath is null ? "listed above" : $"in {rejectionsPath}";
            Console.Error.WriteLine($"error: {InputText.Printable(source)}: not every notification decoded ({totals}); the rejected and unreadable lines are {where}");
            return ExitCodes.InputRejected;
        }

        if (outputPath is not null)
        {
            Console.Error.WriteLine($"{totals} → {outputPath}");
        }

        return ExitCodes.Success;
    }

    private static FileStream OpenCapture(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, BoundedLineReader.ReadBufferBytes);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--capture '{path}' cannot be read: {ex.Message}");
        }
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

    /// <summary>
    /// Ctrl+C stops the decode after the current line, so --out is left as it was (never half written) and the
    /// command says so; a second Ctrl+C ends the process at once (e.g. while waiting for standard input).
    /// </summary>
    private sealed class Interrupt : IDisposable
    {
        private readonly PosixSignalRegistration _registration;
        private volatile bool _requested;

        public Interrupt()
        {
            _registration = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
            {
                context.Cancel = !_requested;
                _requested = true;
            });
        }

        public bool Requested => _requested;

        public IEnumerable<CaptureLine> Until(IEnumerable<CaptureLine> lines)
        {
            foreach (var line in lines)
            {
                if (_requested)
                {
                    yield break;
                }

                yield return line;
            }
        }

        public void Dispose() => _registration.Dispose();
    }
}
