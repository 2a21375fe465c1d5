namespace Ingest.Arrow;

/// <summary>Which IPC format input was in.</summary>
public enum ArrowIpcFormat
{
    /// <summary>The streaming format (<c>.arrows</c>, <c>application/vnd.apache.arrow.stream</c>).</summary>
    Stream = 0,

    /// <summary>The random-access file format (<c>.arrow</c>, "Feather v2", <c>application/vnd.apache.arrow.file</c>).</summary>
    File = 1,
}
