#!/usr/bin/env bash
# Runs the gopo image without a container engine: unpacks the image tar's layers (in manifest order, with OCI
# whiteouts) into a root filesystem and runs the image's own entrypoint + environment + working directory, exactly
# as its config says, with chroot. Proves that the image starts the launcher (java on PATH, classpath, main class)
# and, with a command that loads PyTorch, that libtorch finds its shared libraries.
#
# Usage: check-image.sh [IMAGE_TAR=launcher/target/gopo-image.tar] [-- GOPO_ARGS...]
#   Without GOPO_ARGS it runs `gopo --help` and `gopo ranker --help`. Each run prints its exit code, time and
#   output size; the output itself goes to deploy/target/check-image/run-N.out.
# Env: GOPO_CHECK_KEEP=1 keeps the root filesystem (deploy/target/check-image/rootfs) for inspection.
# Needs root (chroot, mount) and python3 (reads the JSON manifest and config).
set -euo pipefail
trap 'echo "check-image.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
tarball="$(realpath "${1:-$root/launcher/target/gopo-image.tar}")"
shift || true
[ "${1:-}" = "--" ] && shift
runs=()
if [ $# -gt 0 ]; then
  runs+=("$(printf '%q ' "$@")")
else
  runs+=("--help" "ranker --help")
fi

[ "$(id -u)" = 0 ] || { echo "check-image.sh: needs root (chroot, mount)" >&2; exit 1; }
[ -f "$tarball" ] || { echo "check-image.sh: no image tar at $tarball (mvn -Pimage -pl launcher -am package -DskipTests)" >&2; exit 1; }

out="$root/deploy/target/check-image"
rootfs="$out/rootfs"
image="$out/image"
cleanup() {
  for m in proc dev; do umount -l "$rootfs/$m" 2>/dev/null || true; done
  rm -rf "$image"
  [ "${GOPO_CHECK_KEEP:-0}" = 1 ] || rm -rf --one-file-system "$rootfs"
}
trap cleanup EXIT
cleanup
mkdir -p "$rootfs" "$image"

tar -xf "$tarball" -C "$image"
# manifest.json (docker save format; Jib writes lower-case keys, docker capitalised ones) -> config and layers.
read_manifest='
import json, sys
m = {k.lower(): v for k, v in json.load(open(sys.argv[1]))[0].items()}
print(m["config"]); [print(layer) for layer in m["layers"]]
'
mapfile -t entries < <(python3 -c "$read_manifest" "$image/manifest.json")
config="$image/${entries[0]}"
layers=("${entries[@]:1}")

# Seconds (one decimal) since a `date +%s%N` reading.
seconds_since() {
  local ms=$(( ($(date +%s%N) - $1) / 1000000 ))
  printf '%d.%d' $((ms / 1000)) $((ms % 1000 / 100))
}

start=$(date +%s%N)
for layer in "${layers[@]}"; do
  # OCI whiteouts: .wh.NAME deletes NAME of the layers below, .wh..wh..opq empties the directory.
  while IFS= read -r entry; do
    entry="${entry#./}"
    dir="$(dirname "$entry")"; base="$(basename "$entry")"
    if [ "$base" = ".wh..wh..opq" ]; then
      find "$rootfs/$dir" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
    elif [[ "$base" == .wh.* ]]; then
      rm -rf "${rootfs:?}/$dir/${base#.wh.}"
    fi
  done < <(tar --warning=no-unknown-keyword -tf "$image/$layer" | grep -E '(^|/)\.wh\.' || true)
  tar --warning=no-unknown-keyword -xf "$image/$layer" -C "$rootfs" --numeric-owner --exclude='.wh.*' --exclude='*/.wh.*'
done
unpacked="$(seconds_since "$start")"

# Entrypoint, Cmd, Env, WorkingDir and User of the image config, NUL-separated for bash arrays.
read_config='
import json, sys
c = json.load(open(sys.argv[1])).get("config") or {}
part = sys.argv[2]
values = {"entrypoint": c.get("Entrypoint") or [], "cmd": c.get("Cmd") or [], "env": c.get("Env") or [],
          "workdir": [c.get("WorkingDir") or "/"], "user": [c.get("User") or "0"]}[part]
sys.stdout.write("".join(v + "\0" for v in values))
'
mapfile -d '' -t entrypoint < <(python3 -c "$read_config" "$config" entrypoint)
mapfile -d '' -t env < <(python3 -c "$read_config" "$config" env)
mapfile -d '' -t workdir < <(python3 -c "$read_config" "$config" workdir)
mapfile -d '' -t user < <(python3 -c "$read_config" "$config" user)
echo "check-image.sh: $tarball: ${#layers[@]} layers, rootfs $(du -sh "$rootfs" | cut -f1), unpacked in ${unpacked} s" >&2
echo "check-image.sh: entrypoint: ${entrypoint[*]}" >&2
echo "check-image.sh: env: ${env[*]}; workdir: ${workdir[0]}; user: ${user[0]}" >&2

# What a container runtime provides: /proc, a minimal /dev, the working directory.
mkdir -p "$rootfs/proc" "$rootfs/dev" "$rootfs/tmp" "$rootfs/${workdir[0]#/}"
chmod 1777 "$rootfs/tmp"
mount -t proc proc "$rootfs/proc"
mount -t tmpfs -o mode=755 tmpfs "$rootfs/dev"
for node in "null c 1 3" "zero c 1 5" "random c 1 8" "urandom c 1 9"; do
  set -- $node
  mknod -m 666 "$rootfs/dev/$1" "$2" "$3" "$4"
done
mkdir -p "$rootfs/dev/shm"

status=0
n=0
for run in "${runs[@]}"; do
  n=$((n + 1))
  eval "args=($run)"
  log="$out/run-$n.out"
  t0=$(date +%s%N)
  set +e
  chroot --userspec="${user[0]}" "$rootfs" /usr/bin/env -i -C "${workdir[0]}" "${env[@]}" "${entrypoint[@]}" "${args[@]}" >"$log" 2>&1
  code=$?
  set -e
  seconds="$(seconds_since "$t0")"
  echo "check-image.sh: gopo ${args[*]}: exit $code, ${seconds} s, $(wc -l <"$log") lines / $(wc -c <"$log") bytes of output ($log)" >&2
  head -3 "$log" | sed 's/^/    | /' >&2
  [ "$code" = 0 ] || status=1
done
exit $status
