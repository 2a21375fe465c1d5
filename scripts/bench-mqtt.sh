#!/usr/bin/env bash
# MQTT QoS 1 throughput, paired rounds against the raw-socket reference (performance.md G3.1/G3.4).
# With two or more CPUs the client runs pinned to CPU 0 and mosquitto to CPU 1, so neither steals the other's core
# and the ratio measures the client's own cost. Extra arguments go to the harness (e.g. --rounds 31 --sizes 244).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { echo "mosquitto is not installed: scripts/install-test-peers.sh" >&2; exit 1; }
dotnet build -c Release Ingest.Bench --nologo -v q -clp:NoSummary
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  exec taskset -c 0 dotnet run -c Release --no-build --project Ingest.Bench -- mqtt-paired --broker-cpu 1 "$@"
fi
exec dotnet run -c Release --no-build --project Ingest.Bench -- mqtt-paired "$@"
