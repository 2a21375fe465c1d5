#!/usr/bin/env bash
# MQTT QoS 1 throughput at 1/16/128 KiB, paired rounds: our MQTTnet layer and MQTTnet alone against a raw-socket
# reference, pinned (performance.md G3). Exits 1 when the layer allocates more than 4 KB per publish; rates and CPU
# are reported. Extra arguments go to the harness (e.g. --rounds 31 --sizes 1024).
exec "$(dirname "$0")/bench-pinned.sh" mqtt-paired "$@"
