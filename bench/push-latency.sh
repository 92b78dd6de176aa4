#!/usr/bin/env bash
# Median and p95 time from a delta push to its delta_apply job starting on an idle server (100 pushes),
# with a GET /api/v1/status/ round trip as the same-run baseline. Usage: bench/push-latency.sh [pushes]
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/server.sh
start_server 18092
python3 bench/push_latency.py "http://127.0.0.1:$port" "${1:-100}"
