#!/usr/bin/env bash
# Throughput of GET /api/v1/projects/ for a user who sees 1,000 projects through mixed origins
# (owner, organization owner, organization admin, collaborator, team member), against GET /api/v1/status/
# measured in the same run. Usage: bench/projects-list.sh [duration, default 30s] [connections, default 32]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-30s}"
connections="${2:-32}"
. bench/server.sh
start_server 18091
token=$(python3 bench/projects_fixture.py "http://127.0.0.1:$port")
echo "fixture ready: viewer sees $(curl -s -H "Authorization: Token $token" "http://127.0.0.1:$port/api/v1/projects/?limit=1" -D - -o /dev/null | tr -d '\r' | awk -F': ' '/X-Total-Count/ {print $2}') projects"

run() {
  wrk -t2 -c"$connections" -d"$duration" --latency "$@"
}
echo "== GET /api/v1/status/ (baseline)"
run "http://127.0.0.1:$port/api/v1/status/" | tee "$data/status.txt"
echo "== GET /api/v1/projects/ (1,000 projects, mixed origins)"
run -H "Authorization: Token $token" "http://127.0.0.1:$port/api/v1/projects/" | tee "$data/projects.txt"
s=$(awk '/Requests\/sec/ {print $2}' "$data/status.txt")
p=$(awk '/Requests\/sec/ {print $2}' "$data/projects.txt")
python3 -c "print(f'ratio projects/status = {float($p)/float($s):.3f}')"
