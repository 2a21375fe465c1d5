#!/usr/bin/env bash
# The test command (README): installs the test peers, then builds and runs every test in the solution.
# Extra arguments go to `dotnet test` (e.g. --filter "FullyQualifiedName~Arrow").
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-test-peers.sh"
cd "$root"
results="$root/TestResults"
rm -rf "$results"
status=0
dotnet test WearableIngest.sln -c Release --logger "console;verbosity=normal" \
  --logger "trx;LogFileName=tests.trx" --results-directory "$results" "$@" || status=$?

# One plain closing line for people and CI: "N passed, N failed".
trx=$(find "$results" -name '*.trx' 2>/dev/null | head -n 1)
if [ -n "$trx" ]; then
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  # The failed tests by name with the first line of their message, last, so a CI log's tail shows what failed.
  if [ "${failed:-0}" != "0" ]; then
    python3 - "$trx" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
for result in ET.parse(sys.argv[1]).getroot().iter("{%s}UnitTestResult" % ns["t"]):
    if result.get("outcome") == "Failed":
        message = result.find(".//t:Message", ns)
        first = (message.text or "").strip().splitlines()[:3] if message is not None else []
        print("failed:", result.get("testName"), "|", " / ".join(first)[:600])
PY
  fi
  echo "tests: ${passed:-0} passed, ${failed:-0} failed"
fi
exit $status
