#!/usr/bin/env bash
# Median and p95 time from a delta push to its delta_apply job starting on an idle server (100 pushes),
# with a GET /api/v1/status/ round trip as the same-run baseline. Usage: bench/push-latency.sh [pushes]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
[ -f target/fieldcloud.jar ] || ./mvnw -q -B -DskipTests package
data="$(mktemp -d)"
port=18092
FIELDCLOUD_DATA_DIR="$data" FIELDCLOUD_PORT=$port FIELDCLOUD_BIND_ADDRESS=127.0.0.1 \
  FIELDCLOUD_ADMIN_USERNAME=benchadmin FIELDCLOUD_ADMIN_PASSWORD=bench-admin-password \
  "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar target/fieldcloud.jar > "$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/api/v1/status/" >/dev/null && break; sleep 1; done
python3 bench/push_latency.py "http://127.0.0.1:$port" "${1:-100}"
