#!/usr/bin/env bash
# The long mode of the kill -9 harness (docs/reliability.md): kill `wearable-ingest run --simulate N --broker URL` at
# seeded random moments against a private mosquitto, restart it on the same data dir, then stop it cleanly and verify that
# every durable sequence of every stream arrived. Not part of CI.
# Usage: scripts/bench-crash.sh [--kills 200] [--seed 1] [--receipts] [--min-up 1] [--max-up 8] [--early 0.15] [--trackers 6]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ $# -eq 0 ]; then set -- --kills 200; fi
dotnet build -c Release Ingest.Gateway -v q >/dev/null
dotnet build -c Release Ingest.Bench -v q >/dev/null
exec dotnet Ingest.Bench/bin/Release/net10.0/Ingest.Bench.dll crash --gateway Ingest.Gateway/bin/Release/net10.0/wearable-ingest.dll "$@"
