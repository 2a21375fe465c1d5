#!/usr/bin/env bash
# Installs the third-party peers the tests start (idempotent): mosquitto, dbus and python3-dbusmock from Debian, and the
# apache-arrow JS reader and aedes broker from npm (Ingest.Tests/Peers/node). The tests start them on free loopback ports.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

need_apt=()
command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || need_apt+=(mosquitto)
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
# BlueZ tests: a private dbus-daemon and python-dbusmock playing BlueZ. Debian's /usr/bin/python3 must import them
# (the pyenv python3 on PATH cannot; the tests call /usr/bin/python3 explicitly).
command -v dbus-daemon >/dev/null 2>&1 || need_apt+=(dbus)
if ! /usr/bin/python3 -c 'import dbus, gi, dbusmock' >/dev/null 2>&1; then
  need_apt+=(python3-dbusmock python3-dbus python3-gi)
fi
# Web page tests: Microsoft.Playwright drives Debian's chromium (never a downloaded browser).
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
# Metrics tests: promtool checks the scrape; a real prometheus evaluates the Grafana dashboard's queries.
command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1 || need_apt+=(prometheus)
# The systemd unit is checked with systemd-analyze verify (package systemd; no systemd needs to run).
command -v systemd-analyze >/dev/null 2>&1 || need_apt+=(systemd)
# deploy/install.sh and scripts/publish.sh are checked with shellcheck.
command -v shellcheck >/dev/null 2>&1 || need_apt+=(shellcheck)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-test-peers: need root to apt-get install ${need_apt[*]}" >&2
    exit 1
  fi
  echo "install-test-peers: apt-get install ${need_apt[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  # Debian's prometheus package starts a system prometheus on 9090 (and its node exporter on 9100) where it can;
  # the tests start their own on free ports.
  if [[ " ${need_apt[*]} " == *" prometheus "* ]]; then
    (systemctl stop prometheus prometheus-node-exporter 2>/dev/null || service prometheus stop 2>/dev/null || true) >/dev/null
  fi
  # Debian starts a system mosquitto on 1883; the tests start their own on free ports, so stop it.
  if [[ " ${need_apt[*]} " == *" mosquitto "* ]]; then
    (systemctl stop mosquitto 2>/dev/null || service mosquitto stop 2>/dev/null || true) >/dev/null
  fi
fi

node_dir="$root/Ingest.Tests/Peers/node"
if [ ! -d "$node_dir/node_modules/apache-arrow" ] || [ ! -d "$node_dir/node_modules/aedes" ] \
   || [ "$node_dir/package-lock.json" -nt "$node_dir/node_modules/.package-lock.json" ]; then
  echo "install-test-peers: npm ci in Ingest.Tests/Peers/node"
  (cd "$node_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi
