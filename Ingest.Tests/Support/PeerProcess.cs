using System.Diagnostics;
using System.Text;

namespace Ingest.Tests.Support;

/// <summary>
/// A real third-party peer (mosquitto, node, dbus-daemon …) started by a test on this machine and
/// stopped by PID when disposed. Its stdout and stderr are captured so a failing test can show them.
/// </summary>
public sealed class PeerProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _outputLock = new();

    private PeerProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The peer's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>The exit code (only after the process ended).</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Waits for the process to end; fails the test when it does not within <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"process {Pid} did not exit within {timeout}: {Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Sends a signal by number (15 SIGTERM, 2 SIGINT) with kill(1), as a service manager would.</summary>
    public async Task SignalAsync(int signal)
    {
        var (exit, output) = await RunAsync(Peers.Require("kill", "apt-get install procps"),
            ["-" + signal.ToString(System.Globalization.CultureInfo.InvariantCulture), Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));
        if (exit != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {Pid} failed: {output}");
        }
    }

    /// <summary>True while the peer runs.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>What the peer printed so far (stdout and stderr interleaved).</summary>
    public string Output
    {
        get
        {
            lock (_outputLock)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <paramref name="executable"/> (which must have been found by <see cref="Peers.Require"/>).</summary>
    public static PeerProcess Start(string executable, IEnumerable<string> arguments, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var peer = new PeerProcess(process);
        process.OutputDataReceived += (_, e) => peer.Append(e.Data);
        process.ErrorDataReceived += (_, e) => peer.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return peer;
    }

    /// <summary>
    /// Runs a command to completion and returns its exit code and output; fails the test when it
    /// does not finish within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string executable, IEnumerable<string> arguments,
        TimeSpan timeout, string? workingDirectory = null, string? standardInput = null)
    {
        using var peer = Start(executable, arguments, workingDirectory);
        if (standardInput is not null)
        {
            await peer._process.StandardInput.WriteAsync(standardInput);
        }

        peer._process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await peer._process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{executable} did not finish within {timeout}: {peer.Output}");
        }

        return (peer._process.ExitCode, peer.Output);
    }

    /// <summary>Waits until the peer prints a line containing <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Output.Contains(text, StringComparison.Ordinal))
            {
                return;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"peer exited with {_process.ExitCode} before printing '{text}': {Output}");
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"peer did not print '{text}' within {timeout}: {Output}");
    }

    /// <summary>Kills the peer (SIGKILL) without waiting for a clean shutdown: a crash.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        try
        {
            Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_outputLock)
        {
            _output.AppendLine(line);
        }
    }
}
