#!/usr/bin/env bash
# Builds the gopo image's base offline: a minimal Debian root filesystem (debootstrap) with a headless Java 17
# runtime and the shared libraries DJL's PyTorch native library loads, saved as a `docker save` style tar
# (manifest.json + config + one layer) that Jib takes as a base image: -Dgopo.image.base=tar://<this tar>.
#
# Only for machines that cannot pull eclipse-temurin:17-jre (the default base): needs root, debootstrap and
# a Debian mirror, nothing else (no Docker engine, no registry).
#
# Usage: base-image.sh [OUT_TAR=deploy/target/base-image/gopo-base.tar]
# Env:   GOPO_BASE_SUITE (bookworm), GOPO_BASE_MIRROR (http://deb.debian.org/debian),
#        GOPO_BASE_TAG (gopo-base:<suite>-jre17, the name in the tar's manifest)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$(realpath -m "${1:-$root/deploy/target/base-image/gopo-base.tar}")"
suite="${GOPO_BASE_SUITE:-bookworm}"
mirror="${GOPO_BASE_MIRROR:-http://deb.debian.org/debian}"
tag="${GOPO_BASE_TAG:-gopo-base:$suite-jre17}"
# openjdk-17-jre-headless: the JVM. libstdc++6 (with libgcc-s1): the C++ runtime libtorch links against (DJL's
# pytorch-native-cpu unpacks libtorch into DJL_CACHE_DIR at the first engine use; `ldd` in the image finds all of
# its libraries). libgomp1: the system OpenMP runtime; DJL 0.35.1's libtorch brings its own copy
# (libgomp-98b21ff3.so.1), this one serves builds that do not. ca-certificates: TLS to brokers and registries
# with public CAs. zlib1g is part of minbase.
packages="openjdk-17-jre-headless,libgomp1,libstdc++6,ca-certificates"

[ "$(id -u)" = 0 ] || { echo "base-image.sh: needs root (debootstrap and chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "base-image.sh: install debootstrap first (apt-get install debootstrap)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/gopo-base.XXXXXX")"
# debootstrap mounts /proc and /sys in the target while it configures packages; a failed run can leave them.
trap 'for m in proc sys dev/pts; do umount -l "$work/rootfs/$m" 2>/dev/null || true; done; rm -rf --one-file-system "$work"' EXIT
trap 'echo "base-image.sh: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
rootfs="$work/rootfs"
image="$work/image"
mkdir -p "$image" "$(dirname "$out")"

start=$(date +%s)
echo "base-image.sh: debootstrap $suite ($packages) from $mirror" >&2
debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$work/debootstrap.log" 2>&1 \
  || { tail -30 "$work/debootstrap.log" >&2; exit 1; }

# The JVM must start in the new root; a base that cannot run java is useless to Jib's entrypoint.
# The JVM reads /proc (its own executable, cgroup limits), as it will in a container.
mount -t proc proc "$rootfs/proc"
java_version="$(chroot "$rootfs" /usr/bin/java -version 2>&1 | head -1)"
umount "$rootfs/proc"
echo "base-image.sh: $java_version" >&2

# Slim down: package caches, lists, docs, man pages and locales are of no use at run time.
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* \
       "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* \
       "$rootfs"/tmp/* "$rootfs"/var/tmp/*
find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
chmod 1777 "$rootfs/tmp"

# One layer; /dev, /proc and /sys stay empty (the container runtime provides them).
tar --numeric-owner --sort=name -C "$rootfs" \
    --exclude='./dev/*' --exclude='./proc/*' --exclude='./sys/*' -cf "$image/layer.tar" .
diff_id="sha256:$(sha256sum "$image/layer.tar" | cut -d' ' -f1)"
arch="$(chroot "$rootfs" dpkg --print-architecture)"
java_home="$(dirname "$(dirname "$(chroot "$rootfs" readlink -f /usr/bin/java)")")"
created="$(date -u +%Y-%m-%dT%H:%M:%SZ)"

# Docker image config (what `docker save` writes): layer diff ids, environment, platform.
cat >"$image/config.json" <<EOF
{"architecture":"$arch","os":"linux","created":"$created",
 "config":{"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","JAVA_HOME=$java_home","LANG=C.UTF-8"],
           "Cmd":["/bin/bash"]},
 "rootfs":{"type":"layers","diff_ids":["$diff_id"]},
 "history":[{"created":"$created","created_by":"deploy/scripts/base-image.sh: debootstrap --variant=minbase $suite + $packages"}]}
EOF
cat >"$image/manifest.json" <<EOF
[{"Config":"config.json","RepoTags":["$tag"],"Layers":["layer.tar"]}]
EOF
tar -C "$image" -cf "$out" manifest.json config.json layer.tar

echo "base-image.sh: wrote $out ($(du -h "$out" | cut -f1), $tag, $arch, $(( $(date +%s) - start )) s)" >&2
echo "base-image.sh: build the image with  mvn -B -Pimage -pl launcher -am package -DskipTests -Dgopo.image.base=tar://$out" >&2
