# Sourced by the HTTP benchmarks: starts the packaged server on an empty data directory and the given port,
# with the benchmark admin account, waits until it answers, and stops it (and removes the data) on exit.
start_server() {
  port="$1"
  export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
  [ -f target/fieldcloud.jar ] || ./mvnw -q -B -DskipTests package
  data="$(mktemp -d)"
  FIELDCLOUD_DATA_DIR="$data" FIELDCLOUD_PORT="$port" FIELDCLOUD_BIND_ADDRESS=127.0.0.1 \
    FIELDCLOUD_ADMIN_USERNAME=benchadmin FIELDCLOUD_ADMIN_PASSWORD=bench-admin-password \
    "$JAVA_HOME/bin/java" ${JAVA_OPTS:-} -jar target/fieldcloud.jar > "$data/server.log" 2>&1 &
  server=$!
  trap 'kill $server 2>/dev/null; wait $server 2>/dev/null || true; rm -rf "$data"' EXIT
  for _ in $(seq 120); do curl -sf "http://127.0.0.1:$port/api/v1/status/" >/dev/null && return 0; sleep 1; done
  echo "the server did not start; see $data/server.log" >&2
  return 1
}
