#!/usr/bin/env bash
# Runs one of Ingest.Bench's harness commands that start their own mosquitto (mqtt-paired, hub-path), pinned: with two
# or more CPUs the harness runs on CPU 0 and mosquitto on CPU 1, so neither steals the other's core.
# Usage: scripts/bench-pinned.sh COMMAND [harness options]
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command="${1:?usage: scripts/bench-pinned.sh mqtt-paired|hub-path [options]}"
shift
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { echo "mosquitto is not installed: scripts/install-test-peers.sh" >&2; exit 1; }
dotnet build -c Release Ingest.Bench --nologo -v q -clp:NoSummary
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  exec taskset -c 0 dotnet run -c Release --no-build --project Ingest.Bench -- "$command" --broker-cpu 1 "$@"
fi
exec dotnet run -c Release --no-build --project Ingest.Bench -- "$command" "$@"
