#!/usr/bin/env bash
# The long mode of the kill -9 harness (docs/reliability.md): kill the service at seeded random moments against a private
# mosquitto, restart it on the same data dir, then stop it cleanly and verify that every durable sequence of every
# stream arrived. Not part of CI. Usage: scripts/bench-crash.sh [--kills 200] [--seed 1] [--receipts] [...]
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release Ingest.Bench -v q >/dev/null
exec dotnet Ingest.Bench/bin/Release/net10.0/Ingest.Bench.dll crash "${@:---kills 200}"
