#!/usr/bin/env bash
# Issue 12 §2: throughput of a token-authenticated trivial request (GET /api/v1/auth/user/) against the anonymous
# GET /api/v1/status/, alternating in one run, medians of the rounds.
# Usage: bench/token-checks.sh [rounds, default 3] [duration, default 10s] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
duration="${2:-10s}"
connections="${3:-16}"
. bench/server.sh
start_server 18093
token=$(curl -sf -X POST "http://127.0.0.1:$port/api/v1/auth/login/" -d username=benchadmin -d password=bench-admin-password \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
rate() {
  wrk -t2 -c"$connections" -d"$duration" "$@" | awk '/Requests\/sec/ {print $2}'
}
status=(); user=()
for i in $(seq "$rounds"); do
  status+=("$(rate "http://127.0.0.1:$port/api/v1/status/")")
  user+=("$(rate -H "Authorization: Token $token" "http://127.0.0.1:$port/api/v1/auth/user/")")
  echo "round $i: status ${status[-1]} req/s, auth/user ${user[-1]} req/s"
done
python3 - "${status[*]}" "${user[*]}" <<'PY'
import statistics, sys
s = statistics.median(map(float, sys.argv[1].split()))
u = statistics.median(map(float, sys.argv[2].split()))
print(f"median status {s:.0f} req/s, auth/user {u:.0f} req/s, ratio {u / s:.2f}")
PY
