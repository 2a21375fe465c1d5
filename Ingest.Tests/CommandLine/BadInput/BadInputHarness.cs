namespace Ingest.Tests.CommandLine.BadInput;

/// <summary>Runs <see cref="BadInputCase"/> rows against the real executable (see <see cref="BadInputCase"/>).</summary>
public static class BadInputHarness
{
    /// <summary>
    /// The GC heap hard limit each run gets (DOTNET_GCHeapHardLimit): a hub has 1–4 GB, and a command must stay bounded
    /// by its own limits (line length, file size) whatever it is given; going over ends the run with OutOfMemory.
    /// </summary>
    public const long HeapLimitBytes = 256L << 20;
}
