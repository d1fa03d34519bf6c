#!/usr/bin/env bash
# make bench: the benchmarks at scale, against real PostgreSQL, Kafka and Keycloak (started if not running, stopped
# again afterwards). Reports land in services/bench/target/bench/; docs/benchmarks.md records them with the method.
#
#   identity  the identity service on its own database (identity_bench, port 18081) with BENCH_PEOPLE synthetic
#             people (default 1,000,000; seeded once and kept): $match latency, precision and recall, registrations.
#   consent   the decision point in-process (JMH), then the consent service on its own database (consent_bench,
#             port 18082) with BENCH_PERSONS persons of 20 provisions each: batches of 50 decisions from concurrent
#             clients; then withdraw-while-reading races (BENCH_ROUNDS) through the running stack's care-record.
#   care-record  the running stack: 500 Observations by transaction Bundle, gated reads and searches (1 and 4
#             clients) and $everything of that person with the gate off, asking every time and reusing leased
#             answers (care-record restarted for each); the same measures against HAPI FHIR's JPA server
#             (services/hapi-peer, no gate) loaded with the same data; 20,000 council events end to end; then the
#             gate's cost measured alternately in one process (requests with and without the benchmark's gate switch).
#   referral  routing decisions in-process (JMH: 500 rules, 200 teams), then the referral service on its own database
#             (referral_bench, port 18084) with 100,000 open referrals: how soon after its deadline each breach escalates.
#
#   footprint the whole stack stopped and started again (warm: data kept), each service's start-up time, then the four
#             services under a steady load at once (BENCH_RATE requests/s each, default 40, for BENCH_MINUTES, default
#             10): p50/p99/p99.9, errors and resident memory sampled every 10 s. Report: footprint.md.
#
# BENCH_ONLY=identity, consent, care-record, referral or footprint runs one part; BENCH_OPTS passes -D options to the
# harness. TELLONCE_JAVA_HOME runs the stack's services (deploy/stack.sh) and HAPI FHIR's JPA peer on that JDK, so the
# two are compared on one JDK (for example Temurin 25, as the images ship).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${TELLONCE_HOME:-$ROOT/.tellonce}"
ONLY="${BENCH_ONLY:-all}"
PEOPLE="${BENCH_PEOPLE:-1000000}"
PERSONS="${BENCH_PERSONS:-10000}"
ROUNDS="${BENCH_ROUNDS:-1000}"
PG_PORT="${TELLONCE_POSTGRES_PORT:-15432}"
KAFKA_PORT="${TELLONCE_KAFKA_PORT:-19092}"
KC_PORT="${TELLONCE_KEYCLOAK_PORT:-18080}"
SESSION="$HOME_DIR/run/bench-session"
REPORTS="$ROOT/services/bench/target/bench"
CP="$ROOT/services/bench/target/tellonce-bench-0.1.0-SNAPSHOT.jar:$ROOT/services/bench/target/lib/*"
# the JDK of the services and of the peer (deploy/stack.sh chooses the services' the same way)
PEER_JAVA="${TELLONCE_JAVA_HOME:+$TELLONCE_JAVA_HOME/bin/}java"

[[ -d "$ROOT/services/bench/target/lib" && -d "$ROOT/services/hapi-peer/target/lib" ]] \
  || { echo "build first (make build)" >&2; exit 1; }
mkdir -p "$HOME_DIR/run" "$HOME_DIR/logs" "$REPORTS"
rm -f "$SESSION"
service_pid=""
stop_service() {
  if [[ -n "$service_pid" ]]; then
    kill -TERM "$service_pid" 2>/dev/null || true
    wait "$service_pid" 2>/dev/null || true
    service_pid=""
  fi
}
gate_switched=""
cleanup() {
  stop_service
  # a care-record left in the per-request benchmark setting is started again as shipped
  [[ -z "$gate_switched" ]] || "$ROOT/deploy/stack.sh" restart care-record || true
  "$ROOT/deploy/stack.sh" stop all --only "$SESSION" || true
}
trap cleanup EXIT

# start_service NAME PORT DATABASE: one service on its own database and topic prefix, for measuring alone
start_service() {
  local name="$1" port="$2" database="$3" log="$HOME_DIR/logs/$1-bench.log"
  local jar="$ROOT/services/$name/target/quarkus-app/quarkus-run.jar"
  [[ -f "$jar" ]] || { echo "$jar is missing: build first (make build)" >&2; exit 1; }
  echo "starting the $name service on 127.0.0.1:$port against database $database"
  TELLONCE_POSTGRES_PORT="$PG_PORT" TELLONCE_DATABASE="$database" KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" \
    TELLONCE_KEYCLOAK_URL="http://127.0.0.1:$KC_PORT" TELLONCE_KAFKA_TOPIC_PREFIX="tellonce-bench." \
    TELLONCE_CLIENT_SECRET="local-$name-secret" TELLONCE_ROUTING_DIR="$ROOT/deploy/routing" \
    java -Xms256m -Xmx512m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    -Dquarkus.log.level=WARN -jar "$jar" >"$log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 120); do
    curl -fs -o /dev/null "http://127.0.0.1:$port/q/health/ready" && return 0
    kill -0 "$service_pid" 2>/dev/null || { echo "the $name service stopped; see $log" >&2; exit 1; }
    sleep 1
  done
  echo "$name not ready; see $log" >&2
  exit 1
}

"$ROOT/deploy/stack.sh" start infra --record "$SESSION"

if [[ "$ONLY" == all || "$ONLY" == identity ]]; then
  identity() {
    java -Xmx1g -cp "$CP" ${BENCH_OPTS:-} -Dbench.people="$PEOPLE" \
      -Dbench.postgres="jdbc:postgresql://127.0.0.1:$PG_PORT/" -Dbench.keycloak="http://127.0.0.1:$KC_PORT" \
      -Dbench.url="http://127.0.0.1:18081" -Dbench.report="$REPORTS/identity.md" org.tellonce.bench.IdentityBench "$@"
  }
  identity prepare
  start_service identity 18081 identity_bench
  identity seed
  identity run
  stop_service
fi

if [[ "$ONLY" == all || "$ONLY" == consent ]]; then
  consent() {
    java -Xmx1g -Djava.util.logging.manager=org.jboss.logmanager.LogManager -cp "$CP" ${BENCH_OPTS:-} \
      -Dbench.persons="$PERSONS" -Dbench.rounds="$ROUNDS" \
      -Dbench.postgres="jdbc:postgresql://127.0.0.1:$PG_PORT/" -Dbench.keycloak="http://127.0.0.1:$KC_PORT" \
      -Dbench.consent="http://127.0.0.1:18082" -Dbench.report="$REPORTS/consent.md" \
      -Dbench.race-report="$REPORTS/withdrawal-race.md" org.tellonce.bench.ConsentBench "$@"
  }
  java -cp "$CP" -Dbench.report="$REPORTS/policy-evaluator.md" org.tellonce.bench.EvaluatorReport
  consent prepare
  start_service consent 18082 consent_bench
  consent seed
  consent decisions
  stop_service
  "$ROOT/deploy/stack.sh" start services --record "$SESSION"
  consent race
fi

if [[ "$ONLY" == all || "$ONLY" == care-record ]]; then
  # Against the running stack (started here unless it runs): writes, then gated reads, searches and $everything in
  # three configurations of the care-record service, each freshly started and warmed: the gate off (benchmark
  # profile only), the gate asking the consent service every time, and the gate reusing leased answers (as shipped,
  # measured last so the service is left as it runs). Then council events end to end. Report: care-record.md.
  "$ROOT/deploy/stack.sh" start services --record "$SESSION"
  record_bench() {
    java -Xmx1g -cp "$CP" ${BENCH_OPTS:-} -Dbench.postgres="jdbc:postgresql://127.0.0.1:$PG_PORT/" \
      -Dbench.kafka="127.0.0.1:$KAFKA_PORT" -Dbench.keycloak="http://127.0.0.1:$KC_PORT" \
      -Dbench.state="$REPORTS/care-record-state.properties" \
      -Dbench.report="$REPORTS/care-record.md" org.tellonce.bench.CareRecordBench "$@"
  }
  record_bench write
  QUARKUS_PROFILE=prod,bench TELLONCE_ACCESS_GATE=off-for-benchmark "$ROOT/deploy/stack.sh" restart care-record
  record_bench reads off
  TELLONCE_CONSENT_MAX_LEASE=PT0S "$ROOT/deploy/stack.sh" restart care-record
  record_bench reads asked
  "$ROOT/deploy/stack.sh" restart care-record
  record_bench reads leased
  # The peer: HAPI FHIR's JPA server on the same PostgreSQL server (its own database, hapi_peer), with a larger heap
  # than the care-record service's and the collector its JVM chooses, loaded with the same person and resources and
  # measured by the same code.
  peer_log="$HOME_DIR/logs/hapi-peer.log"
  record_bench peer-database
  echo "starting HAPI FHIR JPA (services/hapi-peer) on 127.0.0.1:18090 ($("$PEER_JAVA" -version 2>&1 | head -n 1))"
  "$PEER_JAVA" -Xms64m -Xmx768m -Dpeer.jdbc="jdbc:postgresql://127.0.0.1:$PG_PORT/hapi_peer" -Dpeer.port=18090 \
    -cp "$ROOT/services/hapi-peer/target/tellonce-hapi-peer-0.1.0-SNAPSHOT.jar:$ROOT/services/hapi-peer/target/lib/*" \
    org.tellonce.hapipeer.HapiPeer >"$peer_log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 180); do
    grep -q "peer serving" "$peer_log" && break
    kill -0 "$service_pid" 2>/dev/null || { echo "HAPI FHIR JPA stopped; see $peer_log" >&2; exit 1; }
    sleep 1
  done
  grep -q "peer serving" "$peer_log" || { echo "HAPI FHIR JPA not serving after 180 s; see $peer_log" >&2; exit 1; }
  record_bench peer
  # Then the two take turns at the same measures, rounds of each, so that the machine's drift falls on both alike.
  record_bench side-by-side
  stop_service
  record_bench council
  # The gate's cost measured alternately in one process: care-record in the per-request benchmark setting serves
  # requests with the header through no gate and the others through the gate as shipped; the two take turns at the
  # same requests. Then it is started again as shipped.
  gate_switched=1
  QUARKUS_PROFILE=prod,bench TELLONCE_ACCESS_GATE=per-request-for-benchmark "$ROOT/deploy/stack.sh" restart care-record
  record_bench gate-cost
  "$ROOT/deploy/stack.sh" restart care-record
  gate_switched=""
  record_bench report
fi

if [[ "$ONLY" == all || "$ONLY" == referral ]]; then
  # Routing decisions in-process (JMH: 500 rules, 200 teams), then the SLA sweeper of the referral service on its own
  # database (referral_bench) with 100,000 open referrals. Reports: routing.md and sla.md.
  java -cp "$CP" -Dbench.report="$REPORTS/routing.md" org.tellonce.bench.RoutingReport
  sla() {
    java -cp "$CP" ${BENCH_OPTS:-} -Dbench.postgres="jdbc:postgresql://127.0.0.1:$PG_PORT/" \
      -Dbench.report="$REPORTS/sla.md" org.tellonce.bench.SlaBench "$@"
  }
  sla prepare
  start_service referral 18084 referral_bench
  sla seed
  sla measure
  stop_service
fi

if [[ "$ONLY" == all || "$ONLY" == footprint ]]; then
  # Warm start: everything stopped, then started again with its data (as make run does after the first time).
  "$ROOT/deploy/stack.sh" start all --record "$SESSION"
  "$ROOT/deploy/stack.sh" stop all
  began=$(date +%s%N)
  # (what this script started is in $SESSION already and stops at the end; what ran before keeps running)
  "$ROOT/deploy/stack.sh" start all
  warm_ms=$(( ($(date +%s%N) - began) / 1000000 ))
  {
    echo "### Start-up ($(date +%F)): the whole stack warm, $(awk -v ms="$warm_ms" 'BEGIN { printf "%.1f", ms / 1000 }') s"
    echo
    echo "| service | ready in (Quarkus: JVM start to serving) | resident after start |"
    echo "|---|---|---|"
    for s in identity consent care-record referral; do
      started=$(grep -o 'started in [0-9.]*s' "$HOME_DIR/logs/$s.log" | tail -n 1 | awk '{print $3}')
      pid=$(cat "$HOME_DIR/run/$s.pid")
      rss=$(awk '/VmRSS/ { printf "%d MB", $2 / 1024 }' "/proc/$pid/status")
      echo "| $s | $started | $rss |"
    done
    echo
  } > "$REPORTS/footprint.md"
  cat "$REPORTS/footprint.md"
  java -Xmx512m -cp "$CP" ${BENCH_OPTS:-} -Dbench.keycloak="http://127.0.0.1:$KC_PORT" \
    -Dbench.minutes="${BENCH_MINUTES:-10}" -Dbench.rate="${BENCH_RATE:-40}" -Dbench.run="$HOME_DIR/run" \
    -Dbench.report="$REPORTS/steady-load.md" org.tellonce.bench.SteadyLoad
  cat "$REPORTS/steady-load.md" >> "$REPORTS/footprint.md"
fi
