#!/usr/bin/env bash
# make bench: the identity benchmark at scale. Starts what is not running of PostgreSQL, Kafka and Keycloak, runs the
# identity service against its own database (identity_bench, port 18081), seeds BENCH_PEOPLE synthetic people once
# (default 1,000,000; kept between runs), measures, and stops what it started. Report: services/bench/target/bench/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
HOME_DIR="${TELLONCE_HOME:-$ROOT/.tellonce}"
PEOPLE="${BENCH_PEOPLE:-1000000}"
PORT="${BENCH_IDENTITY_PORT:-18081}"
PG_PORT="${TELLONCE_POSTGRES_PORT:-15432}"
KAFKA_PORT="${TELLONCE_KAFKA_PORT:-19092}"
KC_PORT="${TELLONCE_KEYCLOAK_PORT:-18080}"
SESSION="$HOME_DIR/run/bench-session"
LOG="$HOME_DIR/logs/identity-bench.log"
JAR="$ROOT/services/identity/target/quarkus-app/quarkus-run.jar"
CP="$ROOT/services/bench/target/tellonce-bench-0.1.0-SNAPSHOT.jar:$ROOT/services/bench/target/lib/*"

[[ -f "$JAR" && -d "$ROOT/services/bench/target/lib" ]] || { echo "build first (make build)" >&2; exit 1; }
mkdir -p "$HOME_DIR/run" "$HOME_DIR/logs"
rm -f "$SESSION"
identity_pid=""
cleanup() {
  if [[ -n "$identity_pid" ]]; then
    kill -TERM "$identity_pid" 2>/dev/null || true
    wait "$identity_pid" 2>/dev/null || true
  fi
  "$ROOT/deploy/stack.sh" stop all --only "$SESSION" || true
}
trap cleanup EXIT

"$ROOT/deploy/stack.sh" start infra --record "$SESSION"
bench() {
  java -Xmx1g -cp "$CP" ${BENCH_OPTS:-} -Dbench.people="$PEOPLE" -Dbench.postgres="jdbc:postgresql://127.0.0.1:$PG_PORT/" \
    -Dbench.url="http://127.0.0.1:$PORT" -Dbench.keycloak="http://127.0.0.1:$KC_PORT" \
    -Dbench.report="$ROOT/services/bench/target/bench/identity.md" org.tellonce.bench.IdentityBench "$@"
}
bench prepare

echo "starting the identity service on 127.0.0.1:$PORT against database identity_bench"
TELLONCE_POSTGRES_PORT="$PG_PORT" TELLONCE_DATABASE=identity_bench KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$KAFKA_PORT" \
  TELLONCE_KEYCLOAK_URL="http://127.0.0.1:$KC_PORT" TELLONCE_KAFKA_TOPIC_PREFIX="tellonce-bench." \
  TELLONCE_CLIENT_SECRET=local-identity-secret \
  java -Xms256m -Xmx512m -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$PORT" \
  -Dquarkus.log.level=WARN -jar "$JAR" >"$LOG" 2>&1 &
identity_pid=$!
for _ in $(seq 1 120); do
  curl -fs -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" && break
  kill -0 "$identity_pid" 2>/dev/null || { echo "the identity service stopped; see $LOG" >&2; exit 1; }
  sleep 1
done
curl -fs -o /dev/null "http://127.0.0.1:$PORT/q/health/ready" || { echo "identity not ready; see $LOG" >&2; exit 1; }

bench seed
bench run
