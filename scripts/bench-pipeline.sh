#!/usr/bin/env bash
# The whole service (issue 9 "Performance"): simulator at saturation → pipeline → spool (fdatasync on this disk) → MQTTnet →
# a private mosquitto, against its in-run references (simulator alone, no broker, the naive path, the disk's fsync'd write
# rate), then a fixed 50 k notifications/s replay for notification → PUBACK latency. Exits 1 on a correctness failure
# (a lost or failed batch) or when the naive path does not cost at least 1.2x the pipeline's CPU and 4x its allocation per
# notification in the same run (rates move too much on this shared box to gate); timings are reported.
# Not pinned: the pipeline's stages are threads of their own and need both cores; mosquitto shares them.
# Extra arguments go to the harness (e.g. --short for CI, --seconds 30, --alloc-profile).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
command -v mosquitto >/dev/null || [ -x /usr/sbin/mosquitto ] || { echo "mosquitto is not installed: scripts/install-test-peers.sh" >&2; exit 1; }
dotnet build -c Release Ingest.Bench --nologo -v q -clp:NoSummary
exec dotnet run -c Release --no-build --project Ingest.Bench -- pipeline "$@"
