#!/usr/bin/env bash
# CPU of the whole path for a 20-tracker hub (decode, Apache.Arrow encode, SHA-256, QoS 1 publish through the MQTTnet
# layer to a private mosquitto), at the real rate against an idle baseline, then unpaced by stage (issue 8's 1 % of one
# core). Reported, not gated: CPU time moves with this shared box. Extra arguments go to the harness
# (e.g. --paced-seconds 60 --compression zstd).
exec "$(dirname "$0")/bench-pinned.sh" hub-path "$@"
