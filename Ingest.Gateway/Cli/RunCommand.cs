using System.CommandLine;
using Ingest.Pipeline.Batching;
using Ingest.Pipeline.Captures;
using Ingest.Pipeline.Output;
using Ingest.Pipeline.Profiles;

namespace Ingest.Gateway.Cli;

/// <summary>
/// <c>wearable-ingest run</c>: the main job. Until the radio, simulator and broker stages land it replays every
/// shipped profile's captures through the decode path into a local output folder, so a newcomer sees the
/// pipeline turn notifications into rows with one command.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Local output folder", DefaultValueFactory = _ => "out" };
        var profilesDir = new Option<string?>("--profiles-dir") { Description = "Folder of firmware profiles (default: ./firmware-profiles, else the shipped ones)" };
        var compression = CompressionOption.Create();
        var command = new Command("run",
            "Run the hub. With no broker configured it writes to a local folder; this version replays the shipped " +
            "tracker captures through the decoders (live radio, simulator and MQTT publishing come next).")
        {
            output, profilesDir, compression,
        };
        command.SetAction(parse => CliRunner.Run(() => Execute(parse.GetValue(output)!, parse.GetValue(profilesDir), parse.GetValue(compression))));
        return command;
    }

    private static int Execute(string outputDirectory, string? profilesDir, string? compression)
    {
        var encoding = CompressionOption.Parse(compression);
        var directory = ProfileLoader.ResolveDirectory(profilesDir);
        if (!Directory.Exists(directory))
        {
            throw new CliException($"profiles folder '{directory}' does not exist");
        }

        var profiles = ProfileLoader.LoadAll(directory);
        Console.WriteLine($"wearable-ingest run: no broker configured, writing to {Path.GetFullPath(outputDirectory)}");
        Console.WriteLine($"replaying the captures of {profiles.Count} tracker profile(s) from {directory}");
        Console.WriteLine();
        Console.WriteLine($"{"stream",-44} {"notifications",13} {"rows",9} {"rejected",9}");
        long totalRows = 0;
        var totalRejected = 0;
        foreach (var profile in profiles)
        {
            foreach (var stream in profile.Streams)
            {
                if (stream.Captures.Count == 0)
                {
                    continue;
                }

                var folder = Path.Combine(outputDirectory, profile.Id);
                Directory.CreateDirectory(folder);
                var summary = new CaptureDecodeSummary();
                var description = new StreamDescription(profile.Id, profile.Version, stream.Decoder.Name);
                // The Arrow file is the data; the JSON lines beside it are for people (and list rejected notifications).
                using (var rows = new TeeRowOutput(
                           new ArrowFileRowOutput(File.Create(Path.Combine(folder, stream.Id + ".arrow")), TextWriter.Null, stream.Schema, description, encoding),
                           new JsonLinesRowOutput(File.Create(Path.Combine(folder, stream.Id + ".jsonl")), ownsStream: true)))
                {
                    foreach (var capture in stream.Captures)
                    {
                        using var reader = new StreamReader(capture.CapturePath);
                        var part = CaptureDecoding.Run(stream.CreateDecoder(), CaptureReader.Read(reader), rows);
                        summary.Add(part);
                    }
                }

                totalRows += summary.Rows;
                totalRejected += summary.Rejected;
                Console.WriteLine($"{profile.Id + "/" + stream.Id,-44} {summary.Frames,13} {summary.Rows,9} {summary.Rejected,9}");
            }
        }

        Console.WriteLine();
        Console.WriteLine($"{totalRows} rows written as Arrow IPC files (<profile>/<stream>.arrow) with a readable copy (.jsonl);");
        Console.WriteLine($"{totalRejected} notification(s) rejected, each listed with its reason in the .jsonl (the shipped captures include malformed frames on purpose).");
        return ExitCodes.Success;
    }
}
