namespace Ingest.Pipeline.Profiles;

/// <summary>
/// A firmware profile (or a decoder setting given on the command line) is wrong. The message names the file,
/// the JSON path and the problem in one line: <c>firmware-profiles/x/profile.json: $.streams[1].decoder: unknown decoder 'hrm'; known: …</c>.
/// </summary>
public sealed class ProfileException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProfileException(string file, string jsonPath, string problem)
        : base($"{file}: {jsonPath}: {problem}")
    {
        File = file;
        JsonPath = jsonPath;
        Problem = problem;
    }

    /// <summary>The profile file (or "command line").</summary>
    public string File { get; }

    /// <summary>Where in the document: <c>$.streams[0].settings.sampleRateHz</c>.</summary>
    public string JsonPath { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
