using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ingest.Gateway.Registry;

/// <summary>
/// The enrollment registry: which tracker belongs to which participant, with which profile; the per-study hub-local
/// keys behind device pseudonyms; the service's per-device status; and the audit trail (<see cref="Audit"/>). One
/// SQLite file, <c>DATA_DIR/state/registry.db</c> (docs/registry.md), in WAL mode so <c>enroll</c> works while the
/// service runs: every change is one short immediate transaction, and a writer waits up to
/// <see cref="RegistryLimits.BusyTimeout"/> for another. It never takes the service's <c>state/lock</c>.
/// <para>
/// Thread-safety: any thread; calls are serialised on one connection. Dispose closes it.
/// </para>
/// </summary>
internal sealed partial class EnrollmentRegistry : IDisposable
{
    /// <summary>The file's name in the state directory.</summary>
    public const string FileName = "registry.db";

    /// <summary>The state directory's name in the data directory (the service's ledger and lock live there too).</summary>
    public const string StateDirectoryName = "state";

    private readonly SqliteConnection _connection;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private long _localChanges;
    private SqliteCommand? _dataVersion;

    private EnrollmentRegistry(SqliteConnection connection, string path, TimeProvider time)
    {
        _connection = connection;
        _time = time;
        Path = path;
        Audit = new AuditTrail(this);
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>The audit trail in the same database.</summary>
    public AuditTrail Audit { get; }

    /// <summary>The registry file of a data directory: <c>DATA_DIR/state/registry.db</c>.</summary>
    public static string PathIn(string dataDirectory) => System.IO.Path.Combine(dataDirectory, StateDirectoryName, FileName);

    /// <summary>
    /// Opens the registry at <paramref name="path"/>, creating it (and its folder) when <paramref name="create"/> is set,
    /// and brings its schema up to <see cref="SchemaVersion"/>.
    /// </summary>
    /// <exception cref="RegistryException">
    /// The file is missing (without <paramref name="create"/>), is not a SQLite database, is a database of something else,
    /// has a damaged schema, or was written by a newer wearable-ingest. The message says what to do.
    /// </exception>
    public static EnrollmentRegistry Open(string path, bool create, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fullPath = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(fullPath))
        {
            throw new RegistryException($"{fullPath} is a folder, not the registry file; move it aside (a new registry is created on the next enroll) or check --data-dir");
        }

        if (!File.Exists(fullPath))
        {
            if (!create)
            {
                throw new RegistryException($"there is no registry at {fullPath} yet (no tracker enrolled, no staff account added with this data directory): check --data-dir, or start with 'wearable-ingest enroll' or 'wearable-ingest staff add'");
            }

            var folder = System.IO.Path.GetDirectoryName(fullPath)!;
            try
            {
                Directory.CreateDirectory(folder);
                // False: another enroll created it at the same moment; SQLite sorts out who initialises it.
                TryCreatePrivateFile(fullPath);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new RegistryException($"cannot create the registry {fullPath} ({Configuration.DataDirectoryAccess.Reason(ex)}); check --data-dir, or run as the service's user");
            }
        }
        else
        {
            CheckHeader(fullPath);
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // No pool: a closed registry releases the file (tests delete it, backups copy it).
            Pooling = false,
            DefaultTimeout = (int)RegistryLimits.BusyTimeout.TotalSeconds,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            var registry = new EnrollmentRegistry(connection, fullPath, time ?? TimeProvider.System);
            registry.Prepare();
            return registry;
        }
        catch (SqliteException ex)
        {
            connection.Dispose();
            throw new RegistryException(Describe(fullPath, ex), ex);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates the empty file readable and writable by its owner only: it holds the study keys and the trackers'
    /// addresses. SQLite gives its -wal and -shm files the same permissions. An empty file becomes a new registry.
    /// </summary>
    /// <returns>False when the file existed already (another enroll created it at the same moment, or a backup's target is taken).</returns>
    internal static bool TryCreatePrivateFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            new FileStream(path, options).Dispose();
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>One line for a SQLite failure on <paramref name="path"/>.</summary>
    internal static string Describe(string path, SqliteException ex) => ex.SqliteErrorCode switch
    {
        // SQLITE_BUSY, SQLITE_LOCKED: another connection held the write lock past the busy timeout.
        5 or 6 => $"the registry {path} stayed busy for more than {RegistryLimits.BusyTimeout.TotalSeconds:0} s (another enroll, or the service, is writing); try again",
        // SQLITE_CORRUPT, SQLITE_NOTADB
        11 or 26 => $"{path} is damaged or not a registry database (SQLite: {FirstSentence(ex.Message)}); move it aside and restore the registry from a backup",
        // SQLITE_FULL
        13 => $"the disk holding {path} is full; free space and try again",
        // SQLITE_READONLY, SQLITE_CANTOPEN, SQLITE_PERM
        8 or 14 or 3 => $"cannot write {path} (SQLite: {FirstSentence(ex.Message)}); check the folder's permissions, or run as the service's user",
        _ => $"the registry {path} failed (SQLite: {FirstSentence(ex.Message)})",
    };

    private static string FirstSentence(string message)
    {
        var newline = message.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? message : message[..newline]).Replace("SQLite Error ", "error ", StringComparison.Ordinal).TrimEnd('.', '\r', ' ');
    }

    /// <summary>Refuses a non-empty file that does not start with SQLite's header, before SQLite is let near it.</summary>
    private static void CheckHeader(string path)
    {
        // SQLite file format §1.3: the first 16 bytes are "SQLite format 3\0".
        ReadOnlySpan<byte> header = "SQLite format 3\0"u8;
        Span<byte> start = stackalloc byte[16];
        int read;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            read = stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        }

        if (read == 0)
        {
            // An empty file is what SQLite itself leaves before the first write; it becomes a new registry.
            return;
        }

        if (read < start.Length || !start.SequenceEqual(header))
        {
            throw new RegistryException($"{path} is not a SQLite database (it lacks SQLite's header), so it is not the registry; move it aside (a new registry is created on the next enroll) or restore the registry from a backup");
        }
    }

    private void Prepare()
    {
        Execute($"PRAGMA busy_timeout = {(int)RegistryLimits.BusyTimeout.TotalMilliseconds}");
        // WAL: readers (devices, the service's snapshot) never block the writer and the writer never blocks them.
        var mode = Scalar("PRAGMA journal_mode = WAL") as string;
        if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
        {
            throw new RegistryException($"{Path} cannot use SQLite's WAL journal (got '{mode}'); keep the data directory on a local file system (not NFS or a FAT stick)");
        }

        // FULL: a committed enrollment or audit entry survives a power cut (NORMAL may lose the last commits in WAL mode).
        Execute("PRAGMA synchronous = FULL");
        Migrate();
        CheckSchema();
    }

    /// <summary>
    /// Runs <paramref name="body"/> in one immediate (write) transaction and commits it. With <paramref name="durable"/>
    /// false the commit is not fsynced (WAL with synchronous NORMAL: still atomic and consistent, but a power cut may lose
    /// it): for the service's status rows, which the next report replaces anyway, so they cost no disk flush.
    /// </summary>
    internal T Write<T>(Func<SqliteTransaction, T> body, bool durable = true)
    {
        lock (_gate)
        {
            try
            {
                if (!durable)
                {
                    Execute("PRAGMA synchronous = NORMAL");
                }

                try
                {
                    return Commit(body);
                }
                finally
                {
                    if (!durable)
                    {
                        Execute("PRAGMA synchronous = FULL");
                    }
                }
            }
            catch (SqliteException ex)
            {
                throw new RegistryException(Describe(Path, ex), ex);
            }
        }
    }

    private T Commit<T>(Func<SqliteTransaction, T> body)
    {
        // deferred: false → BEGIN IMMEDIATE: take the write lock first, so the busy timeout applies to it and two
        // writers never deadlock upgrading a read lock.
        using var transaction = _connection.BeginTransaction(deferred: false);
        var result = body(transaction);
        transaction.Commit();
        return result;
    }

    /// <summary>Runs <paramref name="body"/> on the connection (reads see one consistent snapshot per statement).</summary>
    internal T Read<T>(Func<SqliteConnection, T> body)
    {
        lock (_gate)
        {
            try
            {
                return body(_connection);
            }
            catch (SqliteException ex)
            {
                throw new RegistryException(Describe(Path, ex), ex);
            }
        }
    }

    /// <summary>The registry's clock.</summary>
    internal DateTimeOffset Now() => _time.GetUtcNow();

    /// <summary>
    /// Changes whenever this or another process commits to the database (SQLite's <c>PRAGMA data_version</c> for other
    /// connections, plus a count of this connection's enrollment changes, which data_version does not see). Cheap.
    /// </summary>
    public (long DataVersion, long LocalChanges) ChangeStamp() => Read(connection =>
    {
        // One prepared statement, reused: the supervisor polls this often.
        if (_dataVersion is null)
        {
            _dataVersion = connection.CreateCommand();
            _dataVersion.CommandText = "PRAGMA data_version";
        }

        return (Convert.ToInt64(_dataVersion.ExecuteScalar(), CultureInfo.InvariantCulture), Interlocked.Read(ref _localChanges));
    });

    /// <summary>How many enrollment changes this instance has committed (no database access).</summary>
    public long LocalChanges => Interlocked.Read(ref _localChanges);

    private void NoteLocalChange() => Interlocked.Increment(ref _localChanges);

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private object? Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Dispose()
    {
        _dataVersion?.Dispose();
        _connection.Dispose();
    }
}
