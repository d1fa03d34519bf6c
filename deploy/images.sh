#!/usr/bin/env bash
# Container images of the four services, built by Quarkus's Jib extension: no Docker daemon, no Dockerfile.
#
#   deploy/images.sh build            build every image; with TELLONCE_REGISTRY set (e.g. registry.example.org/tellonce)
#                                     push them there, otherwise write each as an OCI tarball to target/images/
#   deploy/images.sh verify           unpack each tarball and start it (chroot, as user 185) against the local stack:
#                                     ready on /q/health/ready, then stopped
#
# The base image is made here, not pulled: a Java runtime linked (jlink) from the Temurin JDK beside the build and the
# GNU C library from Debian's libc6 package, a user 185 and nothing else (no shell, no package manager). It is written
# as an image tarball and given to Jib as tar://. To build on a vendor base instead (e.g. a UBI OpenJDK runtime), set
# TELLONCE_BASE_IMAGE to its reference.
#
# Without a registry, the images are pushed to a registry started on loopback for the build (Debian's docker-registry,
# taken from the Debian archive into .tellonce/dist) and copied from it into OCI tarballs by Jib's own library.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${TELLONCE_HOME:-$ROOT/.tellonce}"
DIST="$HOME_DIR/dist"
WORK="$HOME_DIR/images"
OUT="$ROOT/target/images"
SERVICES=(identity consent care-record referral)
CONFORMANCE="${TELLONCE_FHIR_CONFORMANCE:-$(cd "$ROOT/.." && pwd)/shared/fhir/ukcore}"
JDK="${TELLONCE_IMAGE_JDK:-/usr/lib/jvm/temurin-25-jdk-amd64}"
LOCAL_REGISTRY_PORT="${TELLONCE_LOCAL_REGISTRY_PORT:-15000}"
MVN="${MVN:-$ROOT/mvnw -B -q}"
# The runtime's modules: Java SE and what Quarkus, Netty, Kafka and HAPI use beyond it.
MODULES=java.se,jdk.unsupported,jdk.crypto.ec,jdk.zipfs,jdk.management,jdk.naming.dns,jdk.localedata,jdk.net

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'images: %s\n' "$*" >&2; exit 1; }

sha() { sha256sum "$1" | cut -d' ' -f1; }

# A layer tarball of a folder: owned by root, fixed times, so the same input makes the same layer.
layer() {
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00:00Z' -C "$1" -cf "$2" .
}

base_image() {
  local tarball="$WORK/base.tar"
  if [[ -f "$tarball" ]]; then
    echo "$tarball"
    return
  fi
  [[ -x "$JDK/bin/jlink" ]] || die "no JDK with jlink at $JDK (set TELLONCE_IMAGE_JDK)"
  command -v apt-get >/dev/null || die "the base image takes glibc from Debian's libc6 package: apt-get is needed"
  log "base image: jlink from $JDK, glibc from Debian's libc6" >&2
  local build="$WORK/base" rootfs="$WORK/base/rootfs"
  rm -rf "$build" && mkdir -p "$rootfs/opt" "$rootfs/etc" "$rootfs/tmp" "$rootfs/proc" "$rootfs/sys" "$rootfs/deployments" \
    "$build/debs"
  "$JDK/bin/jlink" --add-modules "$MODULES" --strip-debug --no-header-files --no-man-pages --compress=zip-6 \
    --output "$rootfs/opt/java" >&2
  (cd "$build/debs" && apt-get download -q libc6 >/dev/null 2>&1) || die "could not download libc6 from Debian"
  dpkg-deb -x "$build"/debs/libc6_*.deb "$rootfs"
  rm -rf "$rootfs/usr/share/doc" "$rootfs/usr/share/lintian" "$rootfs/usr/share/locale" "$rootfs/sbin" \
    "$rootfs/usr/bin" "$rootfs/usr/libexec"
  printf 'root:x:0:0:root:/root:/sbin/nologin\ntellonce:x:185:185:tellonce:/deployments:/sbin/nologin\n' \
    >"$rootfs/etc/passwd"
  printf 'root:x:0:\ntellonce:x:185:\n' >"$rootfs/etc/group"
  printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  chmod 1777 "$rootfs/tmp"
  chown 185:185 "$rootfs/deployments"
  "$rootfs/opt/java/bin/java" -version >/dev/null 2>&1 || die "the linked runtime does not start"

  local image="$build/image"
  mkdir -p "$image"
  layer "$rootfs" "$image/layer.tar"
  local diff created config_sha
  diff="$(sha "$image/layer.tar")"
  mv "$image/layer.tar" "$image/$diff.tar"
  created="2026-01-01T00:00:00Z"
  cat >"$image/config.json" <<EOF
{"architecture":"amd64","os":"linux","created":"$created",
 "config":{"User":"185","WorkingDir":"/deployments",
  "Env":["PATH=/opt/java/bin:/usr/bin:/bin","JAVA_HOME=/opt/java","LANG=C.UTF-8"]},
 "rootfs":{"type":"layers","diff_ids":["sha256:$diff"]},
 "history":[{"created":"$created","created_by":"deploy/images.sh: jlink $MODULES; Debian libc6; user 185"}]}
EOF
  config_sha="$(sha "$image/config.json")"
  mv "$image/config.json" "$image/$config_sha.json"
  printf '[{"Config":"%s.json","RepoTags":["tellonce/base:latest"],"Layers":["%s.tar"]}]\n' "$config_sha" "$diff" \
    >"$image/manifest.json"
  (cd "$image" && tar --owner=0 --group=0 -cf "$tarball" manifest.json "$config_sha.json" "$diff.tar")
  rm -rf "$build"
  echo "$tarball"
}

# The classpath of deploy/images/ExportImage.java: Jib's library, resolved by deploy/images/pom.xml.
tool_classpath() {
  mkdir -p "$WORK"
  $MVN -f "$ROOT/deploy/images/pom.xml" dependency:build-classpath -Dmdep.outputFile="$WORK/classpath" >/dev/null \
    || die "could not resolve Jib's library"
  cat "$WORK/classpath"
}

start_local_registry() {
  local registry="$DIST/docker-registry/usr/bin/docker-registry"
  if [[ ! -x "$registry" ]]; then
    log "fetching Debian's docker-registry"
    mkdir -p "$DIST/debs" && (cd "$DIST/debs" && apt-get download -q docker-registry >/dev/null 2>&1) \
      || die "could not download docker-registry from Debian"
    dpkg-deb -x "$DIST"/debs/docker-registry_*.deb "$DIST/docker-registry"
  fi
  mkdir -p "$WORK/registry"
  cat >"$WORK/registry.yml" <<EOF
version: 0.1
log: {level: error}
storage: {filesystem: {rootdirectory: $WORK/registry}, delete: {enabled: true}}
http: {addr: 127.0.0.1:$LOCAL_REGISTRY_PORT}
EOF
  "$registry" serve "$WORK/registry.yml" >"$WORK/registry.log" 2>&1 &
  REGISTRY_PID=$!
  trap 'kill "$REGISTRY_PID" 2>/dev/null || true' EXIT
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$LOCAL_REGISTRY_PORT") 2>/dev/null && return
    sleep 0.2
  done
  die "the local registry did not start (see $WORK/registry.log)"
}

build() {
  mkdir -p "$WORK" "$OUT"
  local base="${TELLONCE_BASE_IMAGE:-}" registry="${TELLONCE_REGISTRY:-}" version
  [[ -n "$base" ]] || base="tar://$(base_image)"
  version="$($ROOT/mvnw -B -q help:evaluate -Dexpression=project.version -DforceStdout 2>/dev/null)"
  local push_to="$registry"
  if [[ -z "$registry" ]]; then
    start_local_registry
    push_to="127.0.0.1:$LOCAL_REGISTRY_PORT/tellonce"
  fi
  log "building ${SERVICES[*]} on $base, pushing to $push_to"
  local modules
  modules="$(printf 'services/%s,' "${SERVICES[@]}")"
  $MVN package -DskipTests -pl "${modules%,}" -am \
    -Dquarkus.container-image.build=true -Dquarkus.container-image.push=true \
    -Dquarkus.container-image.registry="${push_to%%/*}" -Dquarkus.container-image.group="${push_to#*/}" \
    -Dquarkus.container-image.tag="$version" -Dquarkus.container-image.insecure="$([[ -z "$registry" ]] && echo true || echo false)" \
    -Dquarkus.jib.base-jvm-image="$base"
  if [[ -z "$registry" ]]; then
    local classpath
    classpath="$(tool_classpath)"
    for service in "${SERVICES[@]}"; do
      java -cp "$classpath" "$ROOT/deploy/images/ExportImage.java" "$push_to/tellonce-$service:$version" \
        "$OUT/$service.tar" "tellonce/tellonce-$service:$version"
      log "$OUT/$service.tar ($(du -h "$OUT/$service.tar" | cut -f1))"
    done
  fi
}

# The entrypoint with its relative jar made absolute: chroot starts in /, a container runtime in the working directory.
in_workdir() {
  local part
  for part in $1; do
    [[ "$part" == *.jar && "$part" != /* ]] && part="$2/$part"
    printf '%s ' "$part"
  done
}

verify() {
  [[ "$(id -u)" == 0 ]] || die "verify starts each image with chroot: run it as root"
  local port=18181 classpath chroot
  chroot="$(command -v chroot)" || die "verify needs chroot"
  classpath="$(tool_classpath)"
  for service in "${SERVICES[@]}"; do
    local tarball="$OUT/$service.tar" unpacked="$WORK/verify/$service"
    [[ -f "$tarball" ]] || die "no $tarball: run deploy/images.sh build first"
    rm -rf --one-file-system "$unpacked" && mkdir -p "$unpacked/oci" "$unpacked/rootfs"
    tar -xf "$tarball" -C "$unpacked/oci"
    java -cp "$classpath" "$ROOT/deploy/images/ExportImage.java" --layers "$unpacked/oci" >"$unpacked/plan"
    while read -r blob; do
      tar --warning=no-unknown-keyword -xzf "$blob" -C "$unpacked/rootfs"
    done < <(head -n -2 "$unpacked/plan")
    local workdir entrypoint
    local -a environment
    read -r -a environment < <(tail -n 2 "$unpacked/plan" | head -n 1)
    read -r workdir entrypoint < <(tail -n 1 "$unpacked/plan")
    log "$service: starting '$entrypoint' in $workdir as user 185"
    # the image's own entrypoint with the settings and mounts the chart gives it, on the local stack, on a free port;
    # /proc too, as a container runtime gives it (the runtime finds its own libraries through it)
    local -a mounts=(proc)
    mkdir -p "$unpacked/rootfs/proc" && mount -t proc proc "$unpacked/rootfs/proc"
    if [[ "$service" == care-record ]]; then
      mkdir -p "$unpacked/rootfs/conformance" && mount --bind -o ro "$CONFORMANCE" "$unpacked/rootfs/conformance"
      mounts+=(conformance)
    fi
    if [[ "$service" == referral ]]; then
      mkdir -p "$unpacked/rootfs/config/routing" && mount --bind -o ro "$ROOT/deploy/routing" \
        "$unpacked/rootfs/config/routing"
      mounts+=(config/routing)
    fi
    (env -i "${environment[@]}" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 TELLONCE_CLIENT_SECRET="local-$service-secret" \
      TELLONCE_FHIR_CONFORMANCE=/conformance TELLONCE_ROUTING_DIR=/config/routing \
      "$chroot" --userspec=185:185 "$unpacked/rootfs" $(in_workdir "$entrypoint" "$workdir")) \
      >"$WORK/verify-$service.log" 2>&1 &
    local pid=$! ready=""
    for _ in $(seq 1 120); do
      if curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; then ready=yes; break; fi
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for mount in "${mounts[@]}"; do umount "$unpacked/rootfs/$mount"; done
    [[ -n "$ready" ]] || die "$service's image did not become ready (see $WORK/verify-$service.log)"
    log "$service: the image started and was ready"
    rm -rf --one-file-system "$unpacked"
  done
}

case "${1:-build}" in
  build) build ;;
  verify) verify ;;
  base) base_image ;;
  *) die "usage: deploy/images.sh build|verify|base" ;;
esac
