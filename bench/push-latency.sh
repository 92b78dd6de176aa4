#!/usr/bin/env bash
# Median, p95 and p99 time from a delta push to its delta_apply job starting, with P projects pushing at once in
# each of R rounds, and a GET /api/v1/status/ round trip as the same-run baseline.
# Usage: bench/push-latency.sh [rounds, default 10] [projects, default 20]
# The server runs with FIELDCLOUD_WORKERS from the environment (default here: one worker per project).
set -euo pipefail
cd "$(dirname "$0")/.."
export FIELDCLOUD_WORKERS="${FIELDCLOUD_WORKERS:-${2:-20}}"
. bench/server.sh
start_server 18092
python3 bench/push_latency.py "http://127.0.0.1:$port" "${1:-10}" "${2:-20}"
