using BenchmarkDotNet.Running;
using Ingest.Bench.Arrow;
using Ingest.Bench.Budgets;
using Ingest.Bench.Crash;
using Ingest.Bench.Hub;
using Ingest.Bench.Mqtt;
using Ingest.Bench.Pipeline.Service;
using Ingest.Bench.Spool;

// Benchmarks: `dotnet run -c Release --project Ingest.Bench -- --filter '*'` (BenchmarkDotNet's switcher).
// `check-budgets [budgets.json] [results folder]` compares the JSON reports with allocation-budgets.json.
if (args.Length > 0 && args[0] == "check-budgets")
{
    var budgets = args.Length > 1 ? args[1] : Path.Combine(AppContext.BaseDirectory, "allocation-budgets.json");
    var results = args.Length > 2 ? args[2] : Path.Combine("BenchmarkDotNet.Artifacts", "results");
    return AllocationBudgetCheck.Run(budgets, results);
}

// `arrow-compression-sizes` prints the batch sizes per body compression (docs/wire/arrow-ipc.md "Compression").
if (args.Length > 0 && args[0] == "arrow-compression-sizes")
{
    return CompressionSizes.Run(Console.Out);
}

// `mqtt-paired [options]` runs the MQTT throughput harness as paired rounds (scripts/bench-mqtt.sh runs it pinned).
if (args.Length > 0 && args[0] == "mqtt-paired")
{
    return await MqttPairedThroughputHarness.RunAsync(args[1..]);
}

// `hub-path [options]`: CPU of the whole path for a 20-tracker hub, paced and by stage (issue 8's 1 % budget).
if (args.Length > 0 && args[0] == "hub-path")
{
    return await HubPathHarness.RunAsync(args[1..]);
}

// `spool-write [options]`: durable MB/s against an fdatasync'd reference and disk bytes per payload byte (docs/wire/spool.md).
if (args.Length > 0 && args[0] == "spool-write")
{
    return await SpoolWriteHarness.RunAsync(args[1..]);
}

// `crash [options]`: kill -9 the service many times against mosquitto and verify every durable sequence arrived (scripts/bench-crash.sh).
if (args.Length > 0 && args[0] == "crash" && OperatingSystem.IsLinux())
{
    return await CrashBench.RunAsync(args[1..]);
}

// `pipeline [options]`: the whole service at saturation and at a fixed rate against its in-run references (issue 9 "Performance").
if (args.Length > 0 && args[0] == "pipeline" && OperatingSystem.IsLinux())
{
    return await PipelineHarness.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
