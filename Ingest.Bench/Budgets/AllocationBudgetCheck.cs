using System.Text.Json;

namespace Ingest.Bench.Budgets;

/// <summary>
/// Compares BenchmarkDotNet JSON reports with <c>allocation-budgets.json</c>: every budgeted benchmark that ran
/// must allocate no more than its budget per operation (style.md §12). Run by <c>scripts/bench.sh</c>.
/// </summary>
internal static class AllocationBudgetCheck
{
    public static int Run(string budgetsPath, string resultsDirectory)
    {
        using var budgetsDocument = JsonDocument.Parse(File.ReadAllText(budgetsPath));
        var budgets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var budget in budgetsDocument.RootElement.GetProperty("budgets").EnumerateArray())
        {
            budgets[budget.GetProperty("benchmark").GetString()!] = budget.GetProperty("maxBytesPerOperation").GetInt64();
        }

        var reports = Directory.Exists(resultsDirectory)
            ? Directory.GetFiles(resultsDirectory, "*-report*.json", SearchOption.AllDirectories)
            : [];
        if (reports.Length == 0)
        {
            Console.Error.WriteLine($"check-budgets: no BenchmarkDotNet JSON reports in {resultsDirectory}; run with --exporters json");
            return 2;
        }

        var violations = 0;
        var checkedCount = 0;
        var seenBenchmarks = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in reports)
        {
            using var document = JsonDocument.Parse(File.ReadAllText(report));
            foreach (var benchmark in document.RootElement.GetProperty("Benchmarks").EnumerateArray())
            {
                var type = benchmark.GetProperty("Type").GetString();
                var name = $"{type}.{benchmark.GetProperty("Method").GetString()}";
                seenBenchmarks.Add(name);
                if (!budgets.TryGetValue(name, out var limit))
                {
                    continue;
                }

                if (!benchmark.TryGetProperty("Memory", out var memory)
                    || !memory.TryGetProperty("BytesAllocatedPerOperation", out var allocatedElement)
                    || allocatedElement.ValueKind != JsonValueKind.Number)
                {
                    // A budgeted benchmark that failed to run must not pass silently.
                    Console.WriteLine($"FAIL {name}: no allocation result (did the benchmark fail?)");
                    violations++;
                    continue;
                }

                checkedCount++;
                var allocated = allocatedElement.GetInt64();
                var parameters = benchmark.TryGetProperty("Parameters", out var p) ? p.GetString() : "";
                var verdict = allocated <= limit ? "ok  " : "OVER";
                Console.WriteLine($"{verdict} {name} [{parameters}]: {allocated} B/op (budget {limit} B/op)");
                if (allocated > limit)
                {
                    violations++;
                }
            }
        }

        // A budget naming a benchmark that no longer exists (renamed or removed) would otherwise pass silently forever.
        foreach (var name in budgets.Keys)
        {
            if (seenBenchmarks.Contains(name))
            {
                continue;
            }

            if (!BenchmarkExists(name))
            {
                Console.WriteLine($"FAIL {name}: budgeted, but Ingest.Bench has no such benchmark (renamed or removed? update allocation-budgets.json)");
                violations++;
            }
            else
            {
                Console.WriteLine($"skip {name}: not selected by this run's filter");
            }
        }

        Console.WriteLine($"check-budgets: {checkedCount} budgeted benchmark run(s), {violations} over budget or missing");
        return violations == 0 ? 0 : 1;
    }

    private static bool BenchmarkExists(string name)
    {
        var dot = name.LastIndexOf('.');
        if (dot <= 0)
        {
            return false;
        }

        foreach (var type in typeof(AllocationBudgetCheck).Assembly.GetTypes())
        {
            if (type.Name == name[..dot])
            {
                return type.GetMethod(name[(dot + 1)..]) is { } method
                    && method.IsDefined(typeof(BenchmarkDotNet.Attributes.BenchmarkAttribute), inherit: false);
            }
        }

        return false;
    }
}
