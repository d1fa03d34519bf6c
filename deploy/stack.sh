#!/usr/bin/env bash
# The local stack: real PostgreSQL, Apache Kafka and Keycloak as local processes on 127.0.0.1 (no Docker), then the
# four tellonce services. Everything lives under .tellonce/ (ignored by git): dist/ the servers, data/ their data,
# run/ pid files, logs/ the logs.
#
#   deploy/stack.sh start [infra|services|replicas|all] [--record FILE]   start what is not running yet (idempotent)
#   deploy/stack.sh stop  [infra|services|replicas|all] [--only FILE]     stop what we started (all, or those in FILE)
#   deploy/stack.sh restart SERVICE                                   stop one service and start it again, with the
#                                                                      environment of this call (benchmarks' switches)
#   deploy/stack.sh start|stop NAME                                   one component: postgres, kafka, keycloak, a service
#                                                                      or a replica (start waits until it is ready)
#   deploy/stack.sh kill NAME                                          SIGKILL a component's processes, as a crash would
#                                                                      (the fault suite, make verify-faults)
#   deploy/stack.sh status
#
# TELLONCE_JAVA_HOME runs the services on that JDK instead of the java on the PATH. On a JDK 25 or later (as in the
# images: deploy/images.sh) they also get compact object headers and string deduplication, as the chart gives them.
# The services run the serial collector, as in the chart's pods. TELLONCE_JAVA_OPTS adds JVM options to every service
# started (for example another collector, to measure: -XX:-UseSerialGC -XX:+UseG1GC);
# TELLONCE_READY_TIMEOUT is how long (seconds, default 120) a service may take to report ready.
# TELLONCE_AOT=1 runs the services on a JDK 25 or later (TELLONCE_JAVA_HOME, or the java on the PATH) with its AOT
# cache (JEP 483, 514, 515: classes loaded and linked, method profiles): a service started without a cache records one
# while it runs, written when it stops (stop waits for it); later starts use it until a build rewrites the service's
# jars (the JVM checks them), and then it records afresh. Replicas use their service's cache and never record. See
# docs/benchmarks.md, "Footprint".
#
# --record FILE appends the names of the components this call started, so a caller (make test) can stop exactly
# those and leave alone what was already running.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${TELLONCE_HOME:-$ROOT/.tellonce}"
DIST="$HOME_DIR/dist"
DATA="$HOME_DIR/data"
RUN="$HOME_DIR/run"
LOGS="$HOME_DIR/logs"

KAFKA_VERSION=4.1.1
KEYCLOAK_VERSION=26.7.3
POSTGRES_VERSION=17.5.0

POSTGRES_PORT="${TELLONCE_POSTGRES_PORT:-15432}"
KAFKA_PORT="${TELLONCE_KAFKA_PORT:-19092}"
KAFKA_CONTROLLER_PORT="${TELLONCE_KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}"
KEYCLOAK_PORT="${TELLONCE_KEYCLOAK_PORT:-18080}"
KEYCLOAK_MANAGEMENT_PORT="${TELLONCE_KEYCLOAK_MANAGEMENT_PORT:-19000}"
TOPIC_PREFIX="${TELLONCE_KAFKA_TOPIC_PREFIX:-tellonce.}"
declare -A SERVICE_PORTS=(
  [identity]="${TELLONCE_IDENTITY_PORT:-8081}"
  [consent]="${TELLONCE_CONSENT_PORT:-8082}"
  [care-record]="${TELLONCE_CARE_RECORD_PORT:-8083}"
  [referral]="${TELLONCE_REFERRAL_PORT:-8084}"
)
SERVICES=(identity consent care-record referral)
# Second replicas (same database, same consumer groups) for the consistency tests: name-2 runs name's jar. The
# replicas of the enforcement points ask the second consent replica, so a change acknowledged by one replica is
# tested against decisions taken by the other.
declare -A REPLICA_OF=([identity-2]=identity [consent-2]=consent [care-record-2]=care-record [referral-2]=referral)
SERVICE_PORTS[identity-2]="${TELLONCE_IDENTITY_REPLICA_PORT:-8091}"
SERVICE_PORTS[consent-2]="${TELLONCE_CONSENT_REPLICA_PORT:-8092}"
SERVICE_PORTS[care-record-2]="${TELLONCE_CARE_RECORD_REPLICA_PORT:-8093}"
SERVICE_PORTS[referral-2]="${TELLONCE_REFERRAL_REPLICA_PORT:-8094}"
REPLICAS=(consent-2 identity-2 care-record-2 referral-2)
# The care record holds the FHIR validator (base R4 and UK Core definitions) in memory: its live heap is about 215 MB
# on JDK 17, under 185 MB on a JDK 25 with compact headers and string deduplication (the images', as the chart). What
# its requests allocate lives for milliseconds: a young generation of at most 64 MB holds it (the collector's default, a third
# of the heap, kept twice that resident for nothing), and the old generation keeps its room above the live set (256
# MB on a JDK 25, 336 MB on JDK 17).
declare -A SERVICE_HEAP=([care-record]=400m)
declare -A SERVICE_HEAP_25=([care-record]=320m)
declare -A SERVICE_YOUNG=([care-record]=64m)
# FHIR conformance resources the care record validates claimed profiles against (UK Core, next to the checkout).
CONFORMANCE="${TELLONCE_FHIR_CONFORMANCE:-$(cd "$ROOT/.." && pwd)/shared/fhir/ukcore}"
DATABASES=(identity consent care_record referral identity_test consent_test care_record_test referral_test)

READY_TIMEOUT="${TELLONCE_READY_TIMEOUT:-120}"
RECORD_FILE=""
ONLY_FILE=""

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf 'stack: %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pid_of() { [[ -f "$RUN/$1.pid" ]] && cat "$RUN/$1.pid" || true; }

running() {
  local pid
  pid="$(pid_of "$1")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

record_started() { [[ -n "$RECORD_FILE" ]] && echo "$1" >>"$RECORD_FILE" || true; }

# Decide whether a component must be started: reuse ours when it runs, refuse a port held by something else.
needs_start() {
  local name="$1" port="$2"
  if running "$name"; then
    log "$name already running (pid $(pid_of "$name")), reused"
    return 1
  fi
  rm -f "$RUN/$name.pid"
  if port_open "$port"; then
    die "port $port, wanted by $name, is taken by another process. Stop it, or choose another port (see README: TELLONCE_*_PORT)."
  fi
  return 0
}

wait_until() {
  local what="$1" seconds="$2" name="$3"; shift 3
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if [[ -n "$name" ]] && ! running "$name"; then
      die "$what exited while starting; see $LOGS/$name.log"
    fi
    if ((SECONDS >= deadline)); then
      die "$what not ready after ${seconds}s; see $LOGS/$name.log"
    fi
    sleep 0.5
  done
}

# Runs a command in its own session (process group), so stop can end it and all its children.
launch() {
  launch_in . "$@"
}

# launch_in DIR NAME COMMAND...: launch, with DIR as the working directory of the command only (this script keeps its
# own, where relative paths such as --record's file are)
launch_in() {
  local dir="$1" name="$2"; shift 2
  (cd "$dir" && exec setsid "$@" >>"$LOGS/$name.log" 2>&1 < /dev/null) &
  echo $! >"$RUN/$name.pid"
  record_started "$name"
}

ensure_dist() {
  if [[ -x "$DIST/postgres-$POSTGRES_VERSION/bin/postgres" && -d "$DIST/kafka-$KAFKA_VERSION/libs" \
        && -x "$DIST/keycloak-$KEYCLOAK_VERSION/bin/kc.sh" ]]; then
    return
  fi
  log "fetching Kafka $KAFKA_VERSION, PostgreSQL $POSTGRES_VERSION and Keycloak $KEYCLOAK_VERSION from Maven Central"
  (cd "$ROOT" && ./mvnw -B -q -f deploy/pom.xml process-resources) || die "could not fetch the local stack"
  local pg="$DIST/postgres-$POSTGRES_VERSION"
  if [[ ! -x "$pg/bin/postgres" ]]; then
    tar -xJf "$pg"/postgres-linux-*.txz -C "$pg"
  fi
  chmod +x "$DIST/keycloak-$KEYCLOAK_VERSION/bin/"*.sh
}

# PostgreSQL refuses to run as root; when we are root it runs as the unprivileged user 'nobody'.
as_postgres_user() {
  if [[ "$(id -u)" == 0 ]]; then
    setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
  else
    "$@"
  fi
}

start_postgres() {
  needs_start postgres "$POSTGRES_PORT" || return 0
  local pg="$DIST/postgres-$POSTGRES_VERSION" dir="$DATA/postgres"
  if [[ ! -f "$dir/PG_VERSION" ]]; then
    log "initialising PostgreSQL in $dir"
    mkdir -p "$dir"
    [[ "$(id -u)" == 0 ]] && chown nobody:nogroup "$dir"
    as_postgres_user "$pg/bin/initdb" -A trust -U postgres -D "$dir" -E UTF-8 --no-locale >"$LOGS/postgres-init.log" 2>&1 \
      || die "initdb failed; see $LOGS/postgres-init.log"
    for db in "${DATABASES[@]}"; do
      echo "CREATE DATABASE $db;" | as_postgres_user "$pg/bin/postgres" --single -D "$dir" postgres >>"$LOGS/postgres-init.log" 2>&1 \
        || die "could not create database $db; see $LOGS/postgres-init.log"
    done
  fi
  touch "$LOGS/postgres.log"
  [[ "$(id -u)" == 0 ]] && chown nobody:nogroup "$LOGS/postgres.log"
  log "starting PostgreSQL on 127.0.0.1:$POSTGRES_PORT"
  setsid bash -c "$(declare -f as_postgres_user); as_postgres_user '$pg/bin/postgres' -D '$dir' -p '$POSTGRES_PORT' \
    -h 127.0.0.1 -k '$dir' -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >>"$LOGS/postgres.log" 2>&1 </dev/null &
  echo $! >"$RUN/postgres.pid"
  record_started postgres
  wait_until "PostgreSQL" 60 postgres port_open "$POSTGRES_PORT"
}

start_kafka() {
  needs_start kafka "$KAFKA_PORT" || return 0
  local kafka="$DIST/kafka-$KAFKA_VERSION" dir="$DATA/kafka" conf="$DATA/kafka-server.properties"
  mkdir -p "$dir"
  sed -e "s|@KAFKA_PORT@|$KAFKA_PORT|g" -e "s|@CONTROLLER_PORT@|$KAFKA_CONTROLLER_PORT|g" -e "s|@DATA_DIR@|$dir|g" \
    "$ROOT/deploy/kafka/server.properties.template" >"$conf"
  local java_opts=(-Xms256m -Xmx512m -Dlog4j2.configurationFile="$ROOT/deploy/kafka/log4j2.properties")
  if [[ ! -f "$dir/meta.properties" ]]; then
    log "formatting Kafka storage in $dir"
    local cluster
    cluster="$(java -cp "$kafka/libs/*" "${java_opts[@]}" kafka.tools.StorageTool random-uuid | tail -n 1)"
    java -cp "$kafka/libs/*" "${java_opts[@]}" kafka.tools.StorageTool format -t "$cluster" -c "$conf" \
      >"$LOGS/kafka-format.log" 2>&1 || die "Kafka storage format failed; see $LOGS/kafka-format.log"
  fi
  log "starting Kafka on 127.0.0.1:$KAFKA_PORT"
  launch kafka java "${java_opts[@]}" -cp "$kafka/libs/*" kafka.Kafka "$conf"
  wait_until "Kafka" 90 kafka port_open "$KAFKA_PORT"
  java -cp "$kafka/libs/*" "${java_opts[@]}" "$ROOT/deploy/kafka/CreateTopics.java" "127.0.0.1:$KAFKA_PORT" \
    "$ROOT/deploy/kafka/topics.txt" "$TOPIC_PREFIX" >>"$LOGS/kafka.log" 2>&1 || die "could not create topics; see $LOGS/kafka.log"
}

keycloak_ready() { curl -fs -o /dev/null "http://127.0.0.1:$KEYCLOAK_MANAGEMENT_PORT/health/ready"; }

start_keycloak() {
  needs_start keycloak "$KEYCLOAK_PORT" || return 0
  local kc="$DIST/keycloak-$KEYCLOAK_VERSION"
  mkdir -p "$kc/data/import"
  cp "$ROOT/deploy/keycloak/realm-tellonce.json" "$kc/data/import/"
  # The local Keycloak holds nothing but the imported realm (its users and clients are all in the realm file), and an
  # import never overwrites an existing realm: when the file changed, start from a fresh local database.
  local realm_sum
  realm_sum="$(sha256sum "$ROOT/deploy/keycloak/realm-tellonce.json" | cut -d' ' -f1)"
  if [[ -d "$kc/data/h2" && "$(cat "$kc/data/realm.sha256" 2>/dev/null)" != "$realm_sum" ]]; then
    log "the realm file changed: re-importing it into a fresh local Keycloak database"
    rm -rf "$kc/data/h2"
  fi
  echo "$realm_sum" >"$kc/data/realm.sha256"
  log "starting Keycloak on 127.0.0.1:$KEYCLOAK_PORT (the first start builds it, about 30 s)"
  KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin JAVA_OPTS_KC_HEAP="-Xms64m -Xmx768m" \
    launch keycloak "$kc/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$KEYCLOAK_PORT" \
    --http-management-port="$KEYCLOAK_MANAGEMENT_PORT" --health-enabled=true --import-realm
  wait_until "Keycloak" 240 keycloak keycloak_ready
}

service_ready() { curl -fs -o /dev/null "http://127.0.0.1:$1/q/health/ready"; }

start_service() {
  local name="$1" port="${SERVICE_PORTS[$1]}"
  local of="${REPLICA_OF[$1]:-$1}"
  local jar="$ROOT/services/$of/target/quarkus-app/quarkus-run.jar"
  local consent=consent identity=identity
  if [[ "$name" != "$of" ]]; then
    consent=consent-2
    identity=identity-2
  fi
  if running "$name" && [[ "$jar" -nt "$RUN/$name.pid" ]]; then
    log "$name was built again since it started: restarting it"
    stop_component "$name"
  fi
  needs_start "$name" "$port" || return 0
  [[ -f "$jar" ]] || die "$jar is missing: build first (make build)"
  log "starting $name on 127.0.0.1:$port"
  # Traces go to TELLONCE_OTLP_ENDPOINT (default 127.0.0.1:4318: the system tests' collector, or one of yours, e.g.
  # Jaeger's); without one there, the spans are dropped quietly instead of a warning per batch.
  local -a tracing=()
  [[ -n "${TELLONCE_OTLP_ENDPOINT:-}" ]] \
    || tracing=('-Dquarkus.log.category."io.quarkus.opentelemetry.runtime.exporter".level=ERROR')
  # The class-data archive the build made (make build: AppCDS), used when present; with TELLONCE_AOT=1 the JDK 25 AOT
  # cache instead (see the top). The JVM checks that either matches the class path, which it records as written
  # (quarkus-run.jar, relative), so the service starts in its own folder.
  local -a cds=() modern=()
  local dir java
  dir="$(dirname "$jar")"
  service_java
  java="$SERVICE_JAVA"
  # The collector the chart's pods get from the JVM (fewer than 2 CPUs or under 1792 MB: the serial one), not the one
  # this machine's size would choose, so that memory and pauses here are those of a deployment.
  local heap="${SERVICE_HEAP[$of]:-384m}"
  local -a young=()
  [[ -z "${SERVICE_YOUNG[$of]:-}" ]] || young=(-XX:MaxNewSize="${SERVICE_YOUNG[$of]}")
  # The class metadata a start loads (about 90 MB) before the first collection for it (the JVM's default threshold,
  # about 20 MB, meant three or four full collections during every start without an AOT cache), as the chart's pods.
  # What a JDK 25 offers a service holding many small objects (HAPI's definitions: 5 million objects, a million
  # strings, most of them repeated): 8-byte object headers (JEP 519) and the strings' characters shared by any
  # collector. The same options as the chart's (JDK_JAVA_OPTIONS there).
  if ((SERVICE_JAVA_MAJOR >= 25)); then
    modern=(-XX:+UseCompactObjectHeaders -XX:+UseStringDeduplication)
    heap="${SERVICE_HEAP_25[$of]:-$heap}"
  fi
  if [[ "${TELLONCE_AOT:-}" == 1 ]]; then
    ((SERVICE_JAVA_MAJOR >= 25)) \
      || die "TELLONCE_AOT=1 needs a JDK 25 or later (TELLONCE_JAVA_HOME=...); $java is $SERVICE_JAVA_MAJOR"
    if [[ -f "$dir/app.aot" && "$dir/app.aot" -nt "$jar" ]]; then
      cds=(-XX:AOTCache=app.aot)
    elif [[ -z "${REPLICA_OF[$name]:-}" ]]; then
      rm -f "$dir/app.aot"
      cds=(-XX:AOTCacheOutput=app.aot)
      touch "$RUN/$name.aot-recording"
      log "$name records its AOT cache while it runs (written when it stops)"
    fi
  elif [[ -f "$dir/app-cds.jsa" && -z "${TELLONCE_JAVA_HOME:-}" ]]; then
    cds=(-XX:SharedArchiveFile=app-cds.jsa)
  fi
  TELLONCE_POSTGRES_PORT="$POSTGRES_PORT" KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" \
    TELLONCE_KEYCLOAK_URL="http://127.0.0.1:$KEYCLOAK_PORT" TELLONCE_KAFKA_TOPIC_PREFIX="$TOPIC_PREFIX" \
    TELLONCE_CONSENT_URL="http://127.0.0.1:${SERVICE_PORTS[$consent]}" \
    TELLONCE_IDENTITY_URL="http://127.0.0.1:${SERVICE_PORTS[$identity]}" \
    TELLONCE_CLIENT_SECRET="local-${REPLICA_OF[$name]:-$name}-secret" \
    TELLONCE_FHIR_CONFORMANCE="$CONFORMANCE" \
    TELLONCE_ROUTING_DIR="${TELLONCE_ROUTING_DIR:-$ROOT/deploy/routing}" \
    launch_in "$dir" "$name" "$java" -Xms64m -Xmx"$heap" "${young[@]}" -XX:MetaspaceSize=128m -XX:+UseSerialGC \
      "${modern[@]}" "${cds[@]}" \
      ${TELLONCE_JAVA_OPTS:-} -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" "${tracing[@]}" \
      -jar quarkus-run.jar
}

# The java the services run on in SERVICE_JAVA (TELLONCE_JAVA_HOME's, else the PATH's) and its major version in
# SERVICE_JAVA_MAJOR (asked once per run of this script).
SERVICE_JAVA=""
SERVICE_JAVA_MAJOR=0
service_java() {
  [[ -z "$SERVICE_JAVA" ]] || return 0
  local java="${TELLONCE_JAVA_HOME:+$TELLONCE_JAVA_HOME/bin/}java" major
  major="$("$java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ { print $2 }')"
  [[ "$major" =~ ^[0-9]+$ ]] || die "$java is not a JDK (TELLONCE_JAVA_HOME=${TELLONCE_JAVA_HOME:-})"
  SERVICE_JAVA="$java"
  SERVICE_JAVA_MAJOR="$major"
}

# PostgreSQL's fast shutdown (SIGINT to the postmaster): clients are disconnected and open transactions rolled back.
# (SIGTERM asks for a smart shutdown, which waits for every client, and the services' pools never leave.)
stop_postmaster() {
  local postmaster
  postmaster="$(head -n 1 "$DATA/postgres/postmaster.pid" 2>/dev/null || true)"
  [[ "$postmaster" =~ ^[0-9]+$ ]] && kill -0 "$postmaster" 2>/dev/null || return 0
  log "stopping PostgreSQL (fast shutdown, postmaster pid $postmaster)"
  kill -INT "$postmaster" 2>/dev/null || true
  for _ in $(seq 1 120); do
    kill -0 "$postmaster" 2>/dev/null || return 0
    sleep 0.5
  done
  log "PostgreSQL did not stop in 60 s, killing it"
  kill -KILL "$postmaster" 2>/dev/null || true
}

stop_component() {
  local name="$1" pid
  pid="$(pid_of "$name")"
  if [[ -z "$pid" ]]; then
    return
  fi
  if [[ "$name" == postgres ]]; then
    stop_postmaster
  fi
  if kill -0 "$pid" 2>/dev/null; then
    # a service recording its AOT cache writes it as it exits: up to two minutes more
    local patience=30
    [[ -f "$RUN/$name.aot-recording" ]] && patience=150
    log "stopping $name (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((patience * 2))); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "$name did not stop in $patience s, killing it"
      kill -KILL -- "-$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$RUN/$name.pid" "$RUN/$name.aot-recording"
}

selected() {
  case "$1" in
    infra) echo postgres kafka keycloak ;;
    services) echo "${SERVICES[@]}" ;;
    replicas) echo "${REPLICAS[@]}" ;;
    all) echo postgres kafka keycloak "${SERVICES[@]}" ;;
    *) die "unknown group '$1' (infra, services, replicas or all)" ;;
  esac
}

start() {
  local group="$1"
  mkdir -p "$DATA" "$RUN" "$LOGS"
  command -v java >/dev/null || die "java is not on the PATH: install a JDK 17 or later"
  local names
  names="$(selected "$group")"
  if [[ " $names " == *" postgres "* ]]; then
    ensure_dist
    start_postgres
    start_kafka
    start_keycloak
  fi
  if [[ " $names " == *" identity "* ]]; then
    for s in "${SERVICES[@]}"; do start_service "$s"; done
    for s in "${SERVICES[@]}"; do
      wait_until "$s" "$READY_TIMEOUT" "$s" service_ready "${SERVICE_PORTS[$s]}"
    done
  fi
  if [[ "$group" == replicas ]]; then
    for s in "${REPLICAS[@]}"; do start_service "$s"; done
    for s in "${REPLICAS[@]}"; do
      wait_until "$s" "$READY_TIMEOUT" "$s" service_ready "${SERVICE_PORTS[$s]}"
    done
  fi
  log "ready: $names"
}

stop() {
  local group="$1" names
  names="$(selected "$group")"
  # replicas stop with the services they copy
  [[ "$group" == services || "$group" == all ]] && names="$names ${REPLICAS[*]}"
  local reversed=()
  for n in $names; do reversed=("$n" "${reversed[@]}"); done
  for n in "${reversed[@]}"; do
    if [[ -n "$ONLY_FILE" ]] && ! grep -qx "$n" "$ONLY_FILE" 2>/dev/null; then
      continue
    fi
    stop_component "$n"
  done
}

restart() {
  local name="$1"
  [[ -n "${SERVICE_PORTS[$name]:-}" ]] || die "unknown service '$name'"
  mkdir -p "$RUN" "$LOGS"
  stop_component "$name"
  start_component "$name"
}

# One component by name: the infrastructure servers, a service or a replica.
component() {
  [[ " postgres kafka keycloak ${SERVICES[*]} ${REPLICAS[*]} " == *" $1 "* ]]
}

start_component() {
  local name="$1"
  mkdir -p "$DATA" "$RUN" "$LOGS"
  case "$name" in
    postgres) ensure_dist; start_postgres ;;
    kafka) ensure_dist; start_kafka ;;
    keycloak) ensure_dist; start_keycloak ;;
    *)
      start_service "$name"
      wait_until "$name" "$READY_TIMEOUT" "$name" service_ready "${SERVICE_PORTS[$name]}"
      ;;
  esac
  log "ready: $name"
}

# A crash: SIGKILL to the component's whole process group, no chance to flush or to say goodbye.
kill_component() {
  local name="$1" pid
  pid="$(pid_of "$name")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || die "$name is not running"
  log "killing $name (pid $pid) with SIGKILL"
  kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  rm -f "$RUN/$name.pid"
}

status() {
  for n in postgres kafka keycloak "${SERVICES[@]}" "${REPLICAS[@]}"; do
    if running "$n"; then
      printf '%-12s running (pid %s)\n' "$n" "$(pid_of "$n")"
    else
      printf '%-12s stopped\n' "$n"
    fi
  done
}

main() {
  local command="${1:-status}"; shift || true
  local group="all"
  if [[ "$command" == restart ]]; then
    restart "${1:?restart needs a service name}"
    return
  fi
  if [[ "$command" == kill ]]; then
    component "${1:-}" || die "kill needs a component: postgres, kafka, keycloak, a service or a replica"
    kill_component "$1"
    return
  fi
  if [[ "$command" == start || "$command" == stop ]] && (($# == 1)) && component "$1"; then
    if [[ "$command" == start ]]; then start_component "$1"; else mkdir -p "$RUN"; stop_component "$1"; fi
    return
  fi
  while (($#)); do
    case "$1" in
      --record) RECORD_FILE="$2"; shift 2 ;;
      --only) ONLY_FILE="$2"; shift 2 ;;
      infra|services|replicas|all) group="$1"; shift ;;
      *) die "unknown argument '$1'" ;;
    esac
  done
  case "$command" in
    start) start "$group" ;;
    stop) stop "$group" ;;
    status) status ;;
    *) die "unknown command '$command' (start, stop, restart, kill or status)" ;;
  esac
}

main "$@"
