using System.Text;
using Ingest.Pipeline.Output;
using Ingest.Pipeline.Profiles;

namespace Ingest.Pipeline.Captures;

/// <summary>Decodes every capture a profile ships and compares it with its expected file.</summary>
public static class ProfileCaptureCheck
{
    /// <summary>One capture's verdict.</summary>
    /// <param name="Stream">The stream the capture belongs to.</param>
    /// <param name="Capture">The capture.</param>
    /// <param name="Differences">Empty when the decode matches the expected file.</param>
    /// <param name="Summary">Decode totals.</param>
    public sealed record Result(StreamDefinition Stream, CaptureReference Capture, IReadOnlyList<string> Differences, CaptureDecodeSummary Summary);

    /// <summary>Checks every capture of <paramref name="profile"/>.</summary>
    public static IReadOnlyList<Result> Run(FirmwareProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var results = new List<Result>();
        foreach (var stream in profile.Streams)
        {
            foreach (var capture in stream.Captures)
            {
                results.Add(Check(stream, capture));
            }
        }

        return results;
    }

    /// <summary>Decodes one capture and compares it with its expected file.</summary>
    public static Result Check(StreamDefinition stream, CaptureReference capture)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(capture);
        foreach (var path in new[] { capture.CapturePath, capture.ExpectedPath })
        {
            if (new FileInfo(path).Length > ProfileLimits.MaxCaptureFileBytes)
            {
                return new Result(stream, capture, [$"{path} is larger than {ProfileLimits.MaxCaptureFileBytes} bytes"], new CaptureDecodeSummary());
            }
        }

        using var rows = new MemoryStream();
        using var rejected = new MemoryStream();
        CaptureDecodeSummary summary;
        try
        {
            using var output = new JsonLinesRowOutput(rows, ownsStream: false, RowValues.Stored);
            using var rejections = new JsonLinesRejectionOutput(rejected, ownsStream: false);
            using var file = File.OpenRead(capture.CapturePath);
            summary = CaptureDecoding.Run(stream.CreateDecoder(), CaptureReader.Read(file), output, rejections);
        }
        catch (CaptureFormatException ex)
        {
            return new Result(stream, capture, [$"{capture.CapturePath} {ex.Message}"], new CaptureDecodeSummary());
        }

        // An expected file holds the rows and the rejection records; CaptureVerifier compares each kind in order.
        var actual = Encoding.UTF8.GetString(rows.ToArray()).Split('\n')
            .Concat(Encoding.UTF8.GetString(rejected.ToArray()).Split('\n')).ToList();
        var expected = File.ReadAllLines(capture.ExpectedPath);
        var differences = new List<string>(summary.UnreadableLines);
        differences.AddRange(CaptureVerifier.Compare(stream.Schema, expected, actual));
        return new Result(stream, capture, differences, summary);
    }
}
