#!/usr/bin/env bash
# Installs wearable-ingest as a systemd service on a hub, once, as root, from an unpacked publish folder
# (scripts/publish.sh makes one: the executable, firmware-profiles/ and this deploy/ folder side by side).
#
#   sudo ./deploy/install.sh                  install, or upgrade in place (the data and the configuration are kept)
#   sudo ./deploy/install.sh --uninstall      remove the program and the unit; keep /etc/wearable-ingest, the data, the user
#   sudo ./deploy/install.sh --uninstall --purge   also remove the configuration, the data (registry, spool) and the user
#   options: --root DIR (install into DIR as if it were /, for tests and images; systemctl is not called),
#            --no-start (enable, do not start)
#
# What it does (idempotent: running it again changes nothing that is already right):
#   - system user wearable-ingest (own group, no login, no home) in group bluetooth (D-Bus access to BlueZ);
#   - /opt/wearable-ingest: this folder's program, replaced whole (stop, swap, start on an upgrade);
#   - /usr/local/bin/wearable-ingest -> /opt/wearable-ingest/wearable-ingest;
#   - /etc/systemd/system/wearable-ingest.service (local changes belong in a drop-in: systemctl edit wearable-ingest);
#   - /etc/wearable-ingest/wearable-ingest.json from deploy/wearable-ingest.json, only when there is none (never replaced);
#   - /var/lib/wearable-ingest (0700, the user's): the data directory, which systemd's StateDirectory= also makes;
#   - systemctl daemon-reload, enable, and start (or restart) unless the configuration still names broker.example.org.
# docs/operations.md explains install, upgrade, backup, restore and uninstall.
set -euo pipefail

readonly service_user=wearable-ingest
readonly unit_name=wearable-ingest.service
readonly placeholder_broker=broker.example.org

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bundle="$(cd "$here/.." && pwd)"
root=""
action=install
purge=no
start=yes

usage() {
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
  echo "install.sh: error: $*" >&2
  exit 2
}

while [ $# -gt 0 ]; do
  case "$1" in
    --root)
      [ $# -ge 2 ] || die "--root needs a folder"
      root="$(cd "$2" 2>/dev/null && pwd)" || die "--root $2: no such folder"
      shift 2
      ;;
    --uninstall) action=uninstall; shift ;;
    --purge) purge=yes; shift ;;
    --no-start) start=no; shift ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option '$1' (options: --uninstall [--purge], --root DIR, --no-start, --help)" ;;
  esac
done

[ "$purge" = no ] || [ "$action" = uninstall ] || die "--purge goes with --uninstall"
[ "$(id -u)" -eq 0 ] || die "run it as root (sudo $0): it creates a system user and writes /opt, /etc and /var/lib"

readonly opt_dir="$root/opt/wearable-ingest"
readonly bin_link="$root/usr/local/bin/wearable-ingest"
readonly unit_file="$root/etc/systemd/system/$unit_name"
readonly config_dir="$root/etc/wearable-ingest"
readonly config_file="$config_dir/wearable-ingest.json"
readonly state_dir="$root/var/lib/wearable-ingest"

# systemctl only for the real system, and only where systemd runs (not in a container, a chroot or an image build).
live_systemd() {
  [ -z "$root" ] && [ -d /run/systemd/system ]
}

# User and group lookups read ROOT/etc, so that --root works; a hub's system users are local files anyway.
user_exists() {
  grep -q "^${1}:" "$root/etc/passwd" 2>/dev/null
}

group_exists() {
  grep -q "^${1}:" "$root/etc/group" 2>/dev/null
}

group_has_member() {
  awk -F: -v g="$1" -v u="$2" '$1 == g { n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) found = 1 } END { exit !found }' "$root/etc/group"
}

numeric_id() {
  # numeric_id passwd|group NAME: the id in ROOT/etc/passwd or ROOT/etc/group (chown by number works inside --root too).
  awk -F: -v n="$2" '$1 == n { print $3; exit }' "$root/etc/$1"
}

root_args=()
[ -z "$root" ] || root_args=(--root "$root")

ensure_user() {
  if ! group_exists bluetooth; then
    die "there is no group 'bluetooth': install BlueZ first (apt-get install bluez); its D-Bus policy lets that group use the radio"
  fi

  if ! user_exists "$service_user"; then
    useradd "${root_args[@]}" --system --user-group --no-create-home --home-dir /var/lib/wearable-ingest \
      --shell /usr/sbin/nologin --comment "wearable-ingest hub service" --groups bluetooth "$service_user"
    echo "user: created system user $service_user in group bluetooth"
  elif ! group_has_member bluetooth "$service_user"; then
    usermod "${root_args[@]}" --append --groups bluetooth "$service_user"
    echo "user: added $service_user to group bluetooth"
  else
    echo "user: $service_user exists, in group bluetooth"
  fi
}

service_active() {
  live_systemd && systemctl is-active --quiet "$unit_name"
}

install_program() {
  [ -x "$bundle/wearable-ingest" ] || die "no executable at $bundle/wearable-ingest: run this script from an unpacked publish folder (scripts/publish.sh makes one: artifacts/publish/RID/)"
  [ -d "$bundle/firmware-profiles" ] || die "no firmware-profiles/ beside $bundle/wearable-ingest: the publish folder is incomplete"
  [ -f "$here/systemd/$unit_name" ] || die "no $here/systemd/$unit_name: the publish folder is incomplete"
  if [ "$bundle" = "$opt_dir" ]; then
    echo "program: running from $opt_dir itself; the program is left as it is"
    return
  fi

  mkdir -p "$(dirname "$opt_dir")"
  # Copy beside, then swap: a failed copy leaves the installed program as it was.
  local staging="$opt_dir.new"
  rm -rf "$staging"
  cp -a "$bundle/." "$staging/"
  chown -R 0:0 "$staging"
  chmod -R u=rwX,go=rX "$staging"
  chmod 0755 "$staging/wearable-ingest" "$staging/deploy/install.sh"
  if [ -d "$opt_dir" ]; then
    rm -rf "$opt_dir.old"
    mv "$opt_dir" "$opt_dir.old"
    mv "$staging" "$opt_dir"
    rm -rf "$opt_dir.old"
    echo "program: replaced $opt_dir (the data in $state_dir is kept)"
  else
    mv "$staging" "$opt_dir"
    echo "program: installed to $opt_dir"
  fi

  mkdir -p "$(dirname "$bin_link")"
  ln -sfn /opt/wearable-ingest/wearable-ingest "$bin_link"
}

install_unit() {
  mkdir -p "$(dirname "$unit_file")"
  install -m 0644 -o 0 -g 0 "$here/systemd/$unit_name" "$unit_file"
  echo "unit: $unit_file (local changes: systemctl edit wearable-ingest, a drop-in this script never touches)"
}

install_config() {
  local gid
  gid="$(numeric_id group "$service_user")"
  mkdir -p "$config_dir"
  chown "0:$gid" "$config_dir"
  chmod 0750 "$config_dir"
  if [ -e "$config_file" ]; then
    echo "configuration: kept $config_file (never replaced; the example is $opt_dir/deploy/wearable-ingest.json)"
  else
    install -m 0640 -o 0 -g "$gid" "$here/wearable-ingest.json" "$config_file"
    echo "configuration: installed the example to $config_file: set Hub:Id, Hub:Study, Hub:Site and the broker"
  fi
}

install_state() {
  local uid gid
  uid="$(numeric_id passwd "$service_user")"
  gid="$(numeric_id group "$service_user")"
  mkdir -p "$state_dir"
  chown "$uid:$gid" "$state_dir"
  chmod 0700 "$state_dir"
  echo "data: $state_dir (0700, $service_user): registry in state/, spool in spool/"
}

participant_url() {
  # The port of the first Web:Urls entry in the configuration (default 8080), on the hub's first address.
  local port host
  port="$(grep -o '"Urls"[^,}]*' "$config_file" 2>/dev/null | grep -o ':[0-9]\{2,5\}' | head -n 1 | tr -d ':')"
  port="${port:-8080}"
  host="$(hostname -I 2>/dev/null | awk '{ print $1 }')"
  host="${host:-$(hostname)}"
  echo "http://$host:$port/"
}

do_install() {
  ensure_user
  local was_active=no
  if service_active; then
    was_active=yes
    echo "service: stopping it for the upgrade (open batches are sealed and spooled)"
    systemctl stop "$unit_name"
  fi

  install_program
  install_unit
  install_config
  install_state
  local placeholder=no
  grep -Eq "\"Url\"[[:space:]]*:[[:space:]]*\"[^\"]*${placeholder_broker//./\\.}" "$config_file" && placeholder=yes
  if live_systemd; then
    systemctl daemon-reload
    systemctl enable --quiet "$unit_name"
    if [ "$start" = yes ] && [ "$placeholder" = no ]; then
      systemctl restart "$unit_name"
      echo "service: enabled and started (journalctl -u wearable-ingest -f shows it)"
    else
      echo "service: enabled, not started$([ "$placeholder" = yes ] && echo ": $config_file still names $placeholder_broker")"
    fi
  else
    echo "service: systemd is not running here (or --root was given): on the hub run"
    echo "    systemctl daemon-reload && systemctl enable --now wearable-ingest"
  fi

  [ "$was_active" = no ] || [ "$placeholder" = no ] || echo "note: the service ran before this upgrade; start it again once the configuration is right"
  cat <<EOF

wearable-ingest is installed.
  participant page:  $(participant_url)   (on the hub's own network)
Next steps:
  1. Edit $config_file (hub id, study, site, broker) and check it:
       sudo -u $service_user wearable-ingest run --check-config --config /etc/wearable-ingest/wearable-ingest.json --data-dir /var/lib/wearable-ingest
  2. Check the broker with the hub's credentials:
       wearable-ingest broker check --broker mqtts://… --username … (see docs/operations.md)
  3. Start it: sudo systemctl restart wearable-ingest; watch it: journalctl -u wearable-ingest -f; systemctl status wearable-ingest
  4. Create the site's staff accounts (nurses sign in with a password and a one-time code):
       sudo -u $service_user wearable-ingest staff add --data-dir /var/lib/wearable-ingest …
  5. Take a backup of the registry after onboarding:
       sudo -u $service_user wearable-ingest backup --data-dir /var/lib/wearable-ingest --out /var/lib/wearable-ingest/registry-\$(date +%F).db
EOF
}

do_uninstall() {
  if live_systemd; then
    systemctl disable --now --quiet "$unit_name" 2>/dev/null || true
  fi

  rm -f "$unit_file"
  rm -rf "$opt_dir" "$opt_dir.new" "$opt_dir.old"
  if [ -L "$bin_link" ]; then
    rm -f "$bin_link"
  fi

  if live_systemd; then
    systemctl daemon-reload
  fi

  echo "removed: the program ($opt_dir), the unit, $bin_link"
  if [ "$purge" = yes ]; then
    rm -rf "$config_dir" "$state_dir"
    if user_exists "$service_user"; then
      userdel "${root_args[@]}" "$service_user"
    fi

    if group_exists "$service_user"; then
      groupdel "${root_args[@]}" "$service_user"
    fi

    echo "purged: $config_dir, $state_dir (registry, audit trail, spool) and the user $service_user"
  else
    echo "kept: $config_dir, $state_dir (registry, audit trail, spool) and the user $service_user; --uninstall --purge removes them"
  fi
}

if [ "$action" = install ]; then
  do_install
else
  do_uninstall
fi
