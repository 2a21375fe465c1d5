#!/usr/bin/env bash
# Runs the BenchmarkDotNet benchmarks (default: all) with a short job and JSON reports, then checks
# Ingest.Bench/allocation-budgets.json. Usage: scripts/bench.sh ['*Polar*' ...]; BENCH_JOB=default for a full run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
filters=("$@")
[ ${#filters[@]} -gt 0 ] || filters=('*')
artifacts="$root/BenchmarkDotNet.Artifacts"
rm -rf "$artifacts/results"
dotnet run -c Release --project Ingest.Bench -- --filter "${filters[@]}" --job "${BENCH_JOB:-short}" \
  --exporters json --artifacts "$artifacts"
dotnet run -c Release --project Ingest.Bench --no-build -- check-budgets \
  "$root/Ingest.Bench/allocation-budgets.json" "$artifacts/results"
