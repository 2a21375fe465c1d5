#!/usr/bin/env bash
# The test command (README): installs the test peers, then builds and runs every test in the solution.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Arrow").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-test-peers.sh"
cd "$root"
dotnet test WearableIngest.sln -c Release --logger "console;verbosity=normal" "$@"
