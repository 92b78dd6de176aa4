#!/usr/bin/env bash
# Issue 13 §3: CLIENTS concurrent clients for DURATION seconds of a QField-like mix against one packaged server
# (embedded PostgreSQL, local files, 2 job workers): list projects in pages of 20, list files, download, upload,
# push deltas (applied to PostGIS), poll jobs. Prints requests, errors, req/s and p50/p95/p99 per operation and fails
# if any request failed. Needs the machine's PostgreSQL 15 + PostGIS (FIELDCLOUD_TEST_PG_*, see README) for the layer.
# Run it on a quiet machine: the numbers are the server's, and the driver shares the CPU with it.
# Usage: bench/load.sh [seconds, default 60] [clients, default 200]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
clients="${2:-200}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -o test-compile
cp="target/test-classes:target/classes:$(./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)"
[ -f target/fieldcloud.jar ] || ./mvnw -q -B -o -DskipTests package
export FIELDCLOUD_WORKERS="${FIELDCLOUD_WORKERS:-2}"
. bench/server.sh
start_server 18095
"$JAVA_HOME/bin/java" -cp "$cp" org.fieldcloud.bench.LoadDriver "http://127.0.0.1:$port" benchadmin bench-admin-password "$seconds" "$clients"
