using System.Diagnostics;
using System.Globalization;
using System.Text;
using Ingest.Pipeline.Service;

namespace Ingest.Reliability;

/// <summary>What the crash harness does: how many kills, how long a child lives before one, and where things are.</summary>
/// <param name="Kills">SIGKILLs to deliver (each followed by a restart on the same data dir).</param>
/// <param name="Seed">Seeds the kill moments (and the fleet).</param>
/// <param name="MinUp">Shortest life of a child after it reported ready.</param>
/// <param name="MaxUp">Longest life of a child after it reported ready.</param>
/// <param name="EarlyKillShare">Share of kills delivered during start-up (spool recovery, first connect), before ready.</param>
/// <param name="ChildCommand">The gateway's command line without <c>--broker</c> and <c>--data-dir</c>, e.g. <c>dotnet wearable-ingest.dll run --simulate 4 --hub-id hub-crash …</c>.</param>
/// <param name="BrokerUrl">The broker the children publish to.</param>
/// <param name="DataDir">The data dir every child uses.</param>
/// <param name="FinalUp">How long the last child runs before its clean stop (SIGTERM).</param>
internal sealed record CrashHarnessOptions(int Kills, int Seed, TimeSpan MinUp, TimeSpan MaxUp, double EarlyKillShare, IReadOnlyList<string> ChildCommand,
    string BrokerUrl, string DataDir, TimeSpan FinalUp);

/// <summary>The closing note's figures.</summary>
internal sealed record CrashFigures(int Kills, int EarlyKills, int Starts, long QuarantinedRecords, long QuarantinedRegions, long TornTailBytes,
    int DamagedLedgers, VerificationReport Report, TimeSpan Elapsed, string LastChildOutput)
{
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"kills survived {Kills} ({EarlyKills} during start-up), starts {Starts}, elapsed {Elapsed.TotalSeconds:F0} s; verified {Report.Batches} batches / {Report.Rows} rows over {Report.Streams.Count} streams; lost {Report.Lost}, unexpected {Report.Unexpected}, duplicates {Report.Duplicates} (conflicting {Report.Conflicts}), hash mismatches {Report.HashMismatches}; recovery quarantined {QuarantinedRecords} records + {QuarantinedRegions} regions, torn tails {TornTailBytes} bytes, damaged ledgers {DamagedLedgers}");
}

/// <summary>
/// kill -9 the gateway at seeded random moments, restart it on the same data dir against the same broker, then stop it
/// cleanly and check with the <see cref="VerifyingSubscriber"/> that every sequence of every stream the ledger calls
/// durable arrived. Samples a child held in memory (not yet spooled) when it was killed are legitimately gone; the claim is
/// about what reached the spool: every sequence from 0 to the last durable one. Shared by the test and the bench mode.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal static class CrashHarness
{
    public static async Task<CrashFigures> RunAsync(CrashHarnessOptions options, VerifyingSubscriber subscriber, string hubId, TextWriter log)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(log);
        var random = new Random(options.Seed);
        var clock = Stopwatch.StartNew();
        int starts = 0, early = 0, damagedLedgers = 0;
        long quarantinedRecords = 0, quarantinedRegions = 0, torn = 0;
        var lastOutput = string.Empty;
        for (var kill = 1; kill <= options.Kills; kill++)
        {
            using var child = Child.Start(options);
            starts++;
            if (random.NextDouble() < options.EarlyKillShare)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(0, 1500))).ConfigureAwait(false);
                early++;
            }
            else
            {
                var ready = await child.WaitForReadyAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
                Tally(ready, ref quarantinedRecords, ref quarantinedRegions, ref torn, ref damagedLedgers);
                var up = options.MinUp + TimeSpan.FromMilliseconds(random.NextDouble() * (options.MaxUp - options.MinUp).TotalMilliseconds);
                await Task.Delay(up).ConfigureAwait(false);
            }

            child.Kill();
            lastOutput = child.Output;
            await log.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"kill {kill}/{options.Kills} at {clock.Elapsed.TotalSeconds:F1} s; receiver has {subscriber.Report().Batches} batches")).ConfigureAwait(false);
        }

        // The last child: recovery, some live data, then a clean stop that seals, spools and publishes what is open.
        using (var final = Child.Start(options))
        {
            starts++;
            var ready = await final.WaitForReadyAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            Tally(ready, ref quarantinedRecords, ref quarantinedRegions, ref torn, ref damagedLedgers);
            await Task.Delay(options.FinalUp).ConfigureAwait(false);
            var exit = await final.TerminateAsync(TimeSpan.FromSeconds(90)).ConfigureAwait(false);
            lastOutput = final.Output;
            if (exit != 0)
            {
                throw new InvalidOperationException($"the final child exited with {exit} after SIGTERM:\n{final.Output}");
            }
        }

        using var ledger = ServiceLedger.Open(Path.Combine(options.DataDir, "state"));
        if (ledger.Problem is not null)
        {
            throw new InvalidOperationException("the ledger after the final clean stop is damaged: " + ledger.Problem);
        }

        var expected = ledger.NextSequences.ToDictionary(p => hubId + "/" + p.Key, p => p.Value, StringComparer.Ordinal);
        var report = await subscriber.WaitForAllAsync(expected, TimeSpan.FromSeconds(60)).ConfigureAwait(false);
        return new CrashFigures(options.Kills, early, starts, quarantinedRecords, quarantinedRegions, torn, damagedLedgers, report, clock.Elapsed, lastOutput);
    }

    /// <summary>Reads what recovery found from the gateway's start-up lines (Ingest.Gateway/Hosting/StatusText.Recovery).</summary>
    private static void Tally(string startup, ref long records, ref long regions, ref long torn, ref int damagedLedgers)
    {
        records += Number(startup, @"WARNING ([\d,]+) corrupt batch");
        regions += Number(startup, @"and ([\d,]+) unreadable region");
        torn += Number(startup, @"; ([\d,]+) byte\(s\) of it were never acknowledged");
        if (startup.Contains("ledger", StringComparison.OrdinalIgnoreCase) && startup.Contains("damaged", StringComparison.OrdinalIgnoreCase))
        {
            damagedLedgers++;
        }
    }

    private static long Number(string text, string pattern)
    {
        var match = System.Text.RegularExpressions.Regex.Match(text, pattern, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
        return match.Success ? long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>One child process, its output captured; killed with SIGKILL or stopped with SIGTERM by its PID.</summary>
    private sealed class Child : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly Lock _lock = new();

        private Child(Process process) => _process = process;

        public string Output
        {
            get
            {
                lock (_lock)
                {
                    return _output.ToString();
                }
            }
        }

        public static Child Start(CrashHarnessOptions options)
        {
            var info = new ProcessStartInfo(options.ChildCommand[0])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in options.ChildCommand.Skip(1))
            {
                info.ArgumentList.Add(argument);
            }

            foreach (var argument in new[] { "--broker", options.BrokerUrl, "--data-dir", options.DataDir })
            {
                info.ArgumentList.Add(argument);
            }

            var process = new Process { StartInfo = info };
            var child = new Child(process);
            process.OutputDataReceived += (_, e) => child.Append(e.Data);
            process.ErrorDataReceived += (_, e) => child.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        public async Task<string> WaitForReadyAsync(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            while (DateTime.UtcNow < deadline)
            {
                var text = Output;
                // `wearable-ingest run` prints "running" once the service has started; what recovery found comes before it.
                var at = text.IndexOf("\nrunning", StringComparison.Ordinal);
                if (at >= 0)
                {
                    return text[..at];
                }

                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"the child exited with {_process.ExitCode} before it was ready:\n{text}");
                }

                await Task.Delay(20).ConfigureAwait(false);
            }

            throw new TimeoutException($"the child was not ready within {timeout}:\n{Output}");
        }

        /// <summary>SIGKILL: no handler runs, nothing is flushed; a crash.</summary>
        public void Kill()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            _process.WaitForExit(10_000);
        }

        /// <summary>SIGTERM, then waits for the exit code.</summary>
        public async Task<int> TerminateAsync(TimeSpan timeout)
        {
            using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
            {
                await kill!.WaitForExitAsync().ConfigureAwait(false);
            }

            using var cts = new CancellationTokenSource(timeout);
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return _process.ExitCode;
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill();
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Never started or already gone.
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_lock)
            {
                _output.AppendLine(line);
            }
        }
    }
}
