using Ingest.Tests.Support;

namespace Ingest.Tests.Gateway;

/// <summary><c>wearable-ingest run</c> as a person and a service manager use it: the real executable, the real service.</summary>
public class RunCommandTests
{
    [Fact]
    public async Task Run_Simulate3ForFiveSeconds_WritesReadableArrowFilesWithEverySampleAndExitsZero()
    {
        var data = Peers.NewScratchDirectory("run-outbox");

        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--duration", "5s", "--data-dir", data]);

        Assert.True(exit == 0, output);
        Assert.Contains("intake: simulated radio (1 adapter(s)), 3 virtual tracker(s) enrolled as sim-001", output, StringComparison.Ordinal);
        Assert.Contains("radio: tracker sim-003 connected", output, StringComparison.Ordinal);
        Assert.Contains("spool: new, in " + Path.Combine(data, "spool"), output, StringComparison.Ordinal);
        Assert.Contains("summary after", output, StringComparison.Ordinal);
        Assert.Contains("nothing left unsent", output, StringComparison.Ordinal);
        var (files, rows) = Gateway.ReadOutbox(Path.Combine(data, "outbox"));
        Assert.True(files > 0, output);
        // Every decoded sample is in exactly one Arrow file (a file written twice would have the same name).
        Assert.Equal(Gateway.SummarySamples(output) + Gateway.SummaryGaps(output), rows);
        Assert.True(rows > 0, output);
    }

    [Fact]
    public async Task Run_Sigterm_SealsSpoolsWritesEverythingAndExitsZero()
    {
        var data = Peers.NewScratchDirectory("run-sigterm");
        using var gateway = Gateway.Start(["run", "--simulate", "4", "--data-dir", data]);
        await gateway.WaitForOutputAsync("running;", TimeSpan.FromSeconds(30));
        // Past the 1 s batch age, so some batches were sealed by age and others are open when the signal comes.
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        await gateway.SignalAsync(15);
        var exit = await gateway.WaitForExitAsync(TimeSpan.FromSeconds(30));

        var output = gateway.Output;
        Assert.True(exit == 0, output);
        Assert.Contains("stopping (SIGTERM)", output, StringComparison.Ordinal);
        Assert.Contains("nothing left unsent", output, StringComparison.Ordinal);
        var (_, rows) = Gateway.ReadOutbox(Path.Combine(data, "outbox"));
        Assert.Equal(Gateway.SummarySamples(output) + Gateway.SummaryGaps(output), rows);
        Assert.True(rows > 0, output);
    }

    [Fact]
    public async Task Run_CtrlCOnce_StopsCleanlyExitsZero_CtrlCTwice_QuitsAtOnceWith130KeepingTheSpool()
    {
        var once = Peers.NewScratchDirectory("run-sigint-once");
        var twice = Peers.NewScratchDirectory("run-sigint-twice");
        using var stopped = Gateway.Start(["run", "--simulate", "2", "--data-dir", once]);
        using var forced = Gateway.Start(["run", "--simulate", "2", "--data-dir", twice]);
        await stopped.WaitForOutputAsync("running;", TimeSpan.FromSeconds(30));
        await forced.WaitForOutputAsync("running;", TimeSpan.FromSeconds(30));

        await stopped.SignalAsync(2);
        // The second Ctrl+C right behind the first (kill(2) directly: no process start between them), while the stop is
        // still sealing and spooling.
        Assert.Equal(0, Kill(forced.Pid, 2));
        await Task.Delay(TimeSpan.FromMilliseconds(20));
        Assert.Equal(0, Kill(forced.Pid, 2));
        var cleanExit = await stopped.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var forcedExit = await forced.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(cleanExit == 0, stopped.Output);
        Assert.Contains("stopping (Ctrl+C)", stopped.Output, StringComparison.Ordinal);
        Assert.Contains("summary after", stopped.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("error:", stopped.Output, StringComparison.Ordinal);
        Assert.True(forcedExit == 130, forced.Output);
        Assert.Contains("forced exit: every batch already spooled stays in " + Path.Combine(twice, "spool"), forced.Output, StringComparison.Ordinal);
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [Fact]
    public void Summary_RejectedFrames_CountsThemAndSaysWhereTheyAreKept()
    {
        var status = new Ingest.Pipeline.Service.IngestStatus
        {
            At = DateTimeOffset.UnixEpoch.AddSeconds(5),
            StartedAt = DateTimeOffset.UnixEpoch,
            FramesRejected = 1234,
            Destination = "outbox /data/outbox",
            DestinationState = "local",
        };

        var lines = Ingest.Gateway.Hosting.StatusText.Summary(status, "/data/spool", "/data/quarantine/frames.jsonl").ToList();
        var clean = Ingest.Gateway.Hosting.StatusText.Summary(status with { FramesRejected = 0 }, "/data/spool", "/data/quarantine/frames.jsonl").ToList();

        Assert.Contains(lines, l => l.EndsWith("frames rejected 1,234 (kept with their bytes and reasons in /data/quarantine/frames.jsonl)", StringComparison.Ordinal));
        Assert.Contains(clean, l => l.EndsWith("frames rejected 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_RestartOnSameDataDirectory_ContinuesSequencesWithoutOverwriting()
    {
        var data = Peers.NewScratchDirectory("run-restart");
        var (first, firstOutput) = await Gateway.RunAsync(["run", "--simulate", "3", "--duration", "3s", "--data-dir", data]);
        Assert.True(first == 0, firstOutput);
        var (_, firstRows) = Gateway.ReadOutbox(Path.Combine(data, "outbox"));

        var (second, secondOutput) = await Gateway.RunAsync(["run", "--simulate", "3", "--duration", "3s", "--data-dir", data]);

        Assert.True(second == 0, secondOutput);
        Assert.Contains("nothing left unsent by the last run", secondOutput, StringComparison.Ordinal);
        // The hub's downtime between the runs becomes one gap row per device (each device's gaps stream).
        Assert.Equal(3, Gateway.SummaryGaps(secondOutput));
        var (_, totalRows) = Gateway.ReadOutbox(Path.Combine(data, "outbox"));
        Assert.Equal(firstRows + Gateway.SummarySamples(secondOutput) + Gateway.SummaryGaps(secondOutput), totalRows);
    }

    [Fact]
    public async Task Run_ZstdCompression_WritesFilesApacheArrowReadsBack()
    {
        var data = Peers.NewScratchDirectory("run-zstd");

        var (exit, output) = await Gateway.RunAsync(["run", "--simulate", "3", "--duration", "3s", "--data-dir", data, "--compression", "zstd"]);

        Assert.True(exit == 0, output);
        var files = Directory.GetFiles(Path.Combine(data, "outbox"), "*.arrows", SearchOption.AllDirectories);
        Assert.NotEmpty(files);
        long rows = 0;
        foreach (var file in files)
        {
            using var content = Ingest.Gateway.Cli.ArrowIpcContent.Read(await File.ReadAllBytesAsync(file));
            rows += content.RowCount;
        }

        Assert.Equal(Gateway.SummarySamples(output) + Gateway.SummaryGaps(output), rows);
    }

    [Fact]
    public async Task Run_SecondGatewayOnTheSameDataDirectory_ExitsTwoWithTheReason()
    {
        var data = Peers.NewScratchDirectory("run-twice");
        using var first = Gateway.Start(["run", "--simulate", "3", "--data-dir", data]);
        await first.WaitForOutputAsync("running;", TimeSpan.FromSeconds(30));

        var (exit, text) = await Gateway.RunAsync(["run", "--simulate", "3", "--data-dir", data, "--duration", "2s"]);

        Assert.True(exit == 2, text);
        Assert.Contains($"cannot start on {data}: another wearable-ingest is running on this data directory", text, StringComparison.Ordinal);
        await first.SignalAsync(15);
        Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Run_MissingProfilesFolder_ExplainsAndExitsTwo()
    {
        var (exit, text) = await Gateway.RunAsync(["run", "--simulate", "3", "--profiles-dir", "/nonexistent/profiles", "--data-dir", Peers.NewScratchDirectory("run")]);

        Assert.Equal(2, exit);
        Assert.Contains("profiles folder '/nonexistent/profiles' does not exist", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BadDuration_ExitsTwo()
    {
        var (exit, text) = await Gateway.RunAsync(["run", "--simulate", "3", "--duration", "forever", "--data-dir", Peers.NewScratchDirectory("run")]);

        Assert.Equal(2, exit);
        Assert.Contains("error: --duration 'forever' is not a positive duration", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_BrokerUnreachableAtStart_ExitsThreeWithOneClearLine()
    {
        var port = Peers.FreeTcpPort();

        var (exit, text) = await Gateway.RunAsync(["run", "--simulate", "3", "--broker", $"mqtt://127.0.0.1:{port}", "--data-dir", Peers.NewScratchDirectory("run-nobroker")]);

        Assert.True(exit == 3, text);
        Assert.Contains($"error: cannot connect to the broker mqtt://127.0.0.1:{port} (Broker:Url)", text, StringComparison.Ordinal);
        Assert.Contains("Nothing was started.", text, StringComparison.Ordinal);
    }
}
