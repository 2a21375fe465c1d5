#!/usr/bin/env bash
# CPU of the whole path for a 20-tracker hub (decode, Apache.Arrow encode, SHA-256, QoS 1 publish through the MQTTnet
# layer to a private mosquitto), at the real rate against an idle baseline, then unpaced by stage (issue 8's 1 % of one
# core). Reported, not gated: CPU time moves with this shared box. With two or more CPUs the hub process runs on CPU 0
# and mosquitto on CPU 1. Extra arguments go to the harness (e.g. --paced-seconds 60 --compression zstd).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { echo "mosquitto is not installed: scripts/install-test-peers.sh" >&2; exit 1; }
dotnet build -c Release Ingest.Bench --nologo -v q -clp:NoSummary
if [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  exec taskset -c 0 dotnet run -c Release --no-build --project Ingest.Bench -- hub-path --broker-cpu 1 "$@"
fi
exec dotnet run -c Release --no-build --project Ingest.Bench -- hub-path "$@"
