using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Ingest.Tests.Support;

namespace Ingest.Tests.CommandLine.BadInput;

/// <summary>Runs <see cref="BadInputCase"/> rows against the real executable (see <see cref="BadInputCase"/>).</summary>
public static partial class BadInputHarness
{
    /// <summary>
    /// The GC heap hard limit each run gets (DOTNET_GCHeapHardLimit): a hub has 1–4 GB, and a command must stay bounded
    /// by its own limits (line length, file size) whatever it is given; going over ends the run with OutOfMemory.
    /// </summary>
    public const long HeapLimitBytes = 256L << 20;

    /// <summary>The most resident memory a run may reach (heap limit plus the runtime and its code).</summary>
    public const long PeakResidentLimitBytes = 512L << 20;

    /// <summary>How much of each output stream the harness keeps (a command that dumps a huge input is still caught).</summary>
    private const int MaxKeptOutputChars = 64 * 1024;

    private static readonly Lazy<SilentBroker> Silent = new(() => new SilentBroker());

    /// <summary>What one run did.</summary>
    public sealed record Outcome(int ExitCode, string StandardOutput, string StandardError, long PeakResidentBytes,
        IReadOnlyList<string> ChangedFiles, IReadOnlyList<string> NewFiles);

    /// <summary>Runs <paramref name="row"/> in a new scratch folder and reports what it did (assertions are the caller's).</summary>
    public static async Task<Outcome> RunAsync(BadInputCase row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var directory = Peers.NewScratchDirectory("bad-input");
        row.Arrange?.Invoke(directory);
        var before = Snapshot(directory);

        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Cli.Assembly);
        foreach (var argument in row.Args)
        {
            info.ArgumentList.Add(Expand(argument, directory));
        }

        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("WEARABLE_INGEST_", StringComparison.Ordinal)).ToList())
        {
            info.Environment.Remove(key);
        }

        info.Environment["DOTNET_GCHeapHardLimit"] = HeapLimitBytes.ToString("X", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var (key, value) in row.Environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = Expand(value, directory);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
        var stdout = new BoundedText();
        var stderr = new BoundedText();
        var reading = Task.WhenAll(Pump(process.StandardOutput, stdout), Pump(process.StandardError, stderr));
        var feeding = FeedAsync(process, row, directory);

        long peak = 0;
        var interrupted = false;
        var deadline = DateTime.UtcNow + row.Timeout;
        while (!process.HasExited)
        {
            peak = Math.Max(peak, PeakResident(process.Id));
            if (!interrupted && row.InterruptWhen is { } cue && (stdout.Contains(cue) || stderr.Contains(cue)))
            {
                interrupted = true;
                _ = Kill(process.Id, SignalInterrupt);
            }

            if (DateTime.UtcNow > deadline)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                throw new TimeoutException($"'{row}' did not finish within {row.Timeout}\nstdout:\n{stdout}\nstderr:\n{stderr}");
            }

            await Task.Delay(20);
        }

        await process.WaitForExitAsync();
        await reading;
        await feeding;
        if (row.InterruptWhen is not null && !interrupted)
        {
            throw new InvalidOperationException($"'{row}' ended before printing '{row.InterruptWhen}', so it was never interrupted\nstdout:\n{stdout}\nstderr:\n{stderr}");
        }

        var after = Snapshot(directory);
        var changed = before.Where(b => !after.TryGetValue(b.Key, out var hash) || hash != b.Value).Select(b => b.Key).ToList();
        var created = after.Keys.Where(path => !before.ContainsKey(path)
            && !row.MayCreate.Any(allowed => path == allowed || path.StartsWith(allowed.TrimEnd('/') + "/", StringComparison.Ordinal))).ToList();
        var outcome = new Outcome(process.ExitCode, stdout.ToString(), stderr.ToString(), peak, changed, created);
        TryDelete(directory);
        return outcome;
    }

    /// <summary>The lines of <paramref name="text"/> that look like a .NET stack trace or an unhandled exception.</summary>
    public static IReadOnlyList<string> StackTraceLines(string text) =>
        text.Split('\n').Where(line => StackFrame().IsMatch(line)
            || line.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase)
            || line.Contains("--- End of stack trace", StringComparison.Ordinal)).ToList();

    /// <summary>Characters a terminal would act on rather than show (raw bytes of a binary input echoed back).</summary>
    public static IReadOnlyList<string> ControlCharacterLines(string text) =>
        text.Split('\n').Where(line => line.Any(c => (c < ' ' && c is not '\t' and not '\r' and not '\u001b') || c == '\u007f')).ToList();

    private static string Expand(string text, string directory)
    {
        if (text.Contains("{closed-port}", StringComparison.Ordinal))
        {
            text = text.Replace("{closed-port}", ClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        if (text.Contains("{silent-broker}", StringComparison.Ordinal))
        {
            text = text.Replace("{silent-broker}", Silent.Value.Address, StringComparison.Ordinal);
        }

        return text.Replace("{dir}", directory, StringComparison.Ordinal)
            .Replace("{profiles}", Path.Combine(Peers.RepositoryRoot, "firmware-profiles"), StringComparison.Ordinal);
    }

    private static async Task FeedAsync(Process process, BadInputCase row, string directory)
    {
        try
        {
            if (row.StandardInputFile is { } file)
            {
                await using var source = File.OpenRead(Path.Combine(directory, file));
                await source.CopyToAsync(process.StandardInput.BaseStream);
            }
            else if (row.StandardInput is { } text)
            {
                await process.StandardInput.WriteAsync(Expand(text, directory));
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command stopped reading (it refused the input): that is what many rows test.
        }
    }

    private static async Task Pump(StreamReader reader, BoundedText into)
    {
        var buffer = new char[8192];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            into.Append(buffer.AsSpan(0, read));
        }
    }

    private static Dictionary<string, string> Snapshot(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories).ToDictionary(
            path => Path.GetRelativePath(directory, path),
            path =>
            {
                using var stream = File.OpenRead(path);
                return Convert.ToHexString(SHA256.HashData(stream));
            },
            StringComparer.Ordinal);

    // VmHWM: the resident set's high-water mark (proc(5)); read while the child lives.
    private static long PeakResident(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (IOException)
        {
            // It just exited.
        }

        return 0;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A scratch folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private const int SignalInterrupt = 2;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"^\s+at [\w.`<>\[\]|]+[.(]")]
    private static partial Regex StackFrame();

    /// <summary>Text kept up to <see cref="MaxKeptOutputChars"/>, with a marker when more came.</summary>
    private sealed class BoundedText
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _lock = new();
        private long _dropped;

        public void Append(ReadOnlySpan<char> chunk)
        {
            lock (_lock)
            {
                var room = Math.Max(0, MaxKeptOutputChars - _text.Length);
                _text.Append(chunk[..Math.Min(room, chunk.Length)]);
                _dropped += Math.Max(0, chunk.Length - room);
            }
        }

        public bool Contains(string text)
        {
            lock (_lock)
            {
                return _text.ToString().Contains(text, StringComparison.Ordinal);
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return _dropped == 0 ? _text.ToString() : $"{_text}\n[… {_dropped} more characters]";
            }
        }
    }

    /// <summary>A loopback listener that accepts connections and never answers: a broker that hangs.</summary>
    private sealed class SilentBroker : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly List<Socket> _held = [];

        public SilentBroker()
        {
            _listener.Start();
            Address = $"127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            _ = AcceptForeverAsync();
        }

        public string Address { get; }

        // Lives as long as the test process; Dispose is for completeness.
        public void Dispose()
        {
            _listener.Dispose();
            lock (_held)
            {
                _held.ForEach(s => s.Dispose());
            }
        }

        private async Task AcceptForeverAsync()
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync();
                lock (_held)
                {
                    _held.Add(socket);
                }
            }
        }
    }
}
