using System.Text.Json;

namespace Ingest.Pipeline.Service;

/// <summary>
/// The service's own small durable state, beside the spool: each stream's next batch sequence, the devices seen (so a
/// restart can record hub downtime in their gaps streams) and the hub's last sign of life. Replaced atomically
/// (temporary file, fdatasync, rename, directory fsync).
/// <para>
/// Why it exists: the spool forgets a stream's records once they are released and their segment is reclaimed, so its
/// recovery alone cannot say where a stream's sequence stands. The service writes the ledger (covering every durable
/// sequence) <i>before</i> it releases anything, so whatever the spool may reclaim is always covered by the ledger, and
/// a restart never reuses a sequence number: next = max(ledger, spool recovery).
/// </para>
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class ServiceLedger : IDisposable
{
    /// <summary>File name in the state directory.</summary>
    public const string FileName = "ledger.json";

    /// <summary>
    /// The second copy. Writes alternate between the two, and the service releases a batch only once both copies cover
    /// it, so one damaged copy (bit rot, a bad sector) never loses a sequence the spool may already have reclaimed.
    /// </summary>
    public const string SecondFileName = "ledger.2.json";

    /// <summary>Largest ledger read back: far above 100,000 streams' entries; a bigger file is not ours.</summary>
    public const int MaxFileBytes = 16 * 1024 * 1024;

    /// <summary>Most streams a ledger may name.</summary>
    public const int MaxStreams = 100_000;

    private const int FormatVersion = 1;

    /// <summary>File whose exclusive lock says a service is running on this data directory.</summary>
    public const string LockFileName = "lock";

    private readonly string[] _paths;
    private int _nextCopy;
    private FileStream? _lock;

    private ServiceLedger(string directory)
    {
        Directory = directory;
        _paths = [Path.Combine(directory, FileName), Path.Combine(directory, SecondFileName)];
    }

    /// <summary>The state directory.</summary>
    public string Directory { get; }

    /// <summary>Next sequence per stream key.</summary>
    public Dictionary<string, long> NextSequences { get; } = new(StringComparer.Ordinal);

    /// <summary>Devices seen, by pseudonym.</summary>
    public Dictionary<string, LedgerDevice> Devices { get; } = new(StringComparer.Ordinal);

    /// <summary>Hub time (UTC ns) of the last ledger write of the previous run, or null for a first start.</summary>
    public long? PreviousAliveNs { get; private set; }

    /// <summary>What was wrong with the file at open, if anything (it was moved aside and the spool's recovery used instead).</summary>
    public string? Problem { get; private set; }

    /// <summary>
    /// Takes the data directory's lock and reads the ledger in <paramref name="directory"/> (created when missing). A damaged
    /// file is moved aside, never trusted.
    /// </summary>
    /// <exception cref="DataDirectoryInUseException">Another service holds the lock: two writers would corrupt the spool.</exception>
    public static ServiceLedger Open(string directory)
    {
        System.IO.Directory.CreateDirectory(directory);
        var ledger = new ServiceLedger(directory);
        try
        {
            // .NET takes an advisory flock for FileShare.None on Linux; the kernel drops it when the process dies (kill -9 included).
            ledger._lock = new FileStream(Path.Combine(directory, LockFileName), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new DataDirectoryInUseException($"another wearable-ingest is running on this data directory ({directory}); stop it or use another --data-dir", ex);
        }

        var problems = new List<string>();
        var intact = 0;
        foreach (var path in ledger._paths)
        {
            File.Delete(path + ".tmp");
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                var info = new FileInfo(path);
                if (info.Length > MaxFileBytes)
                {
                    throw new InvalidDataException($"it is {info.Length} bytes, more than the {MaxFileBytes} a ledger can be");
                }

                ledger.Merge(File.ReadAllBytes(path));
                intact++;
            }
            catch (Exception ex) when (ex is InvalidDataException or JsonException or FormatException or OverflowException or InvalidOperationException or KeyNotFoundException)
            {
                var aside = path + ".damaged-" + DateTime.UtcNow.ToString("yyyyMMddTHHmmss", System.Globalization.CultureInfo.InvariantCulture);
                File.Move(path, aside, overwrite: true);
                problems.Add($"{path} was damaged ({ex.Message}) and moved to {aside}");
            }
        }

        if (problems.Count > 0)
        {
            ledger.Problem = string.Join("; ", problems) + (intact > 0
                ? "; the other copy covers every released batch, so sequences continue safely"
                : "; no intact copy: sequences continue from the spool's records, and batches already reclaimed may see their numbers again");
        }

        return ledger;
    }

    /// <summary>Releases the data directory's lock.</summary>
    public void Close()
    {
        _lock?.Dispose();
        _lock = null;
    }

    /// <inheritdoc />
    public void Dispose() => Close();

    /// <summary>Writes the ledger durably to the older of its two copies, with <paramref name="aliveNs"/> as the sign of life.</summary>
    public void Write(long aliveNs)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", FormatVersion);
            json.WriteNumber("alive_ns", aliveNs);
            json.WriteStartObject("streams");
            foreach (var (stream, next) in NextSequences)
            {
                json.WriteNumber(stream, next);
            }

            json.WriteEndObject();
            json.WriteStartObject("devices");
            foreach (var (device, entry) in Devices)
            {
                json.WriteStartObject(device);
                json.WriteString("participant", entry.Participant);
                json.WriteString("profile", entry.ProfileId);
                json.WriteString("profile_version", entry.ProfileVersion);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        DurableFile.Write(Directory, _paths[_nextCopy], buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
        _nextCopy ^= 1;
    }

    /// <summary>Takes in one copy: the larger next sequence per stream, every device, the later sign of life. Throws on anything malformed, changing nothing.</summary>
    private void Merge(byte[] bytes)
    {
        var streams = new Dictionary<string, long>(StringComparer.Ordinal);
        var devices = new Dictionary<string, LedgerDevice>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 8 });
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || version.GetInt32() != FormatVersion)
        {
            throw new InvalidDataException($"it is not a version {FormatVersion} ledger");
        }

        var alive = root.GetProperty("alive_ns").GetInt64();
        foreach (var stream in root.GetProperty("streams").EnumerateObject())
        {
            var next = stream.Value.GetInt64();
            if (next < 0 || stream.Name.Length is 0 or > 256 || streams.Count >= MaxStreams)
            {
                throw new InvalidDataException($"stream entry '{stream.Name}' is out of range");
            }

            streams[stream.Name] = next;
        }

        foreach (var device in root.GetProperty("devices").EnumerateObject())
        {
            if (device.Name.Length is 0 or > 64 || devices.Count >= MaxStreams)
            {
                throw new InvalidDataException($"device entry '{device.Name}' is out of range");
            }

            devices[device.Name] = new LedgerDevice(
                device.Value.GetProperty("participant").GetString() ?? throw new InvalidDataException("a device has no participant"),
                device.Value.GetProperty("profile").GetString() ?? throw new InvalidDataException("a device has no profile"),
                device.Value.GetProperty("profile_version").GetString() ?? "");
        }

        foreach (var (stream, next) in streams)
        {
            NextSequences[stream] = Math.Max(next, NextSequences.GetValueOrDefault(stream));
        }

        foreach (var (device, entry) in devices)
        {
            Devices[device] = entry;
        }

        PreviousAliveNs = Math.Max(alive, PreviousAliveNs ?? long.MinValue);
    }
}

/// <summary>Another service holds the data directory's lock: a usage problem, not a disk fault.</summary>
public sealed class DataDirectoryInUseException : IOException
{
    /// <summary>Creates the exception.</summary>
    public DataDirectoryInUseException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    public DataDirectoryInUseException()
    {
    }

    /// <summary>Creates the exception.</summary>
    public DataDirectoryInUseException(string message)
        : base(message)
    {
    }
}

/// <summary>A device the ledger remembers.</summary>
/// <param name="Participant">Participant pseudonym.</param>
/// <param name="ProfileId">Firmware profile.</param>
/// <param name="ProfileVersion">Its version.</param>
internal sealed record LedgerDevice(string Participant, string ProfileId, string ProfileVersion);
