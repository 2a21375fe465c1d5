#!/usr/bin/env bash
# Publishes wearable-ingest for a hub: self-contained (no .NET on the hub), not trimmed (docs/adr/0011-publish.md says why),
# one folder per runtime with the executable, the firmware profiles and deploy/ (install.sh, the systemd unit, the
# example configuration). Copy the folder to the hub and run `sudo ./deploy/install.sh` there (docs/operations.md).
#
#   scripts/publish.sh [linux-x64|linux-arm64|all] [--out DIR]     (default: linux-arm64 and linux-x64, into artifacts/publish/RID/)
#
# The build's intermediate files go to artifacts/build/, apart from the developer build's obj/ folders.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

target=all
out_base="$root/artifacts/publish"
while [ $# -gt 0 ]; do
  case "$1" in
    linux-x64|linux-arm64|all) target="$1"; shift ;;
    --out)
      [ $# -ge 2 ] || { echo "publish.sh: --out needs a folder" >&2; exit 2; }
      out_base="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "publish.sh: unknown argument '$1': use linux-x64, linux-arm64 or all, and optionally --out DIR" >&2; exit 2 ;;
  esac
done

case "$target" in
  all) rids=(linux-arm64 linux-x64) ;;
  *) rids=("$target") ;;
esac

# ELF e_machine (bytes 18-19, little-endian) of each runtime: the executable must be built for the hub's CPU.
elf_machine() {
  case "$1" in
    linux-x64) echo "3e00" ;;
    linux-arm64) echo "b700" ;;
  esac
}

for rid in "${rids[@]}"; do
  out="$out_base/$rid"
  echo "publish.sh: $rid -> $out"
  rm -rf "$out"
  # The publish properties (self-contained, trimming) live in Ingest.Gateway.csproj, for any runtime identifier.
  dotnet publish "$root/Ingest.Gateway/Ingest.Gateway.csproj" -c Release -r "$rid" --self-contained \
    --artifacts-path "$root/artifacts/build" -o "$out" -nologo -v:quiet
  mkdir -p "$out/deploy"
  cp -a "$root/deploy/." "$out/deploy/"
  chmod 0755 "$out/deploy/install.sh"

  # What a hub needs in the folder: the executable for its CPU, the native libraries, the profiles.
  for needed in wearable-ingest ParquetSharpNative.so libe_sqlite3.so firmware-profiles/README.md deploy/install.sh \
      deploy/systemd/wearable-ingest.service deploy/wearable-ingest.json; do
    [ -e "$out/$needed" ] || { echo "publish.sh: $rid: $needed is missing from $out" >&2; exit 1; }
  done
  for native in wearable-ingest ParquetSharpNative.so libe_sqlite3.so; do
    machine="$(od -An -tx1 -j18 -N2 "$out/$native" | tr -d ' \n')"
    [ "$machine" = "$(elf_machine "$rid")" ] || { echo "publish.sh: $rid: $native is not built for $rid (ELF machine $machine)" >&2; exit 1; }
  done
  echo "publish.sh: $rid: $(du -sh "$out" | cut -f1) in $(find "$out" -type f | wc -l) files"
done
