namespace Ingest.Pipeline.Spool;

/// <summary>
/// The spool's whole access to the file system: one directory, names relative to it (one level of subdirectory,
/// e.g. <c>quarantine/…</c>). Behind this seam the tests put a disk that can lose power, fail a sync or fill up.
/// </summary>
internal interface ISpoolStorage
{
    /// <summary>Names of the regular files in the spool directory (not in subdirectories).</summary>
    IReadOnlyList<string> ListFiles();

    /// <summary>Whether a file exists.</summary>
    bool Exists(string name);

    /// <summary>Opens a file for reading and writing, creating it (empty) when <paramref name="create"/> and it is missing.</summary>
    ISpoolFile Open(string name, bool create);

    /// <summary>Renames a file, replacing any file already called <paramref name="to"/> (atomic on POSIX).</summary>
    void Rename(string from, string to);

    /// <summary>Deletes a file.</summary>
    void Delete(string name);

    /// <summary>Creates a subdirectory if missing.</summary>
    void CreateDirectory(string name);

    /// <summary>Makes creates, renames and deletes in a directory durable (fsync of the directory).</summary>
    void SyncDirectory(string? subdirectory = null);
}
