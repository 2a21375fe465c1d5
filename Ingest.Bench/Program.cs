using BenchmarkDotNet.Running;

// Benchmarks: `dotnet run -c Release --project Ingest.Bench -- --filter '*'` (BenchmarkDotNet switcher),
// harnesses by name as documented in the README.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
