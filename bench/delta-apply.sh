#!/usr/bin/env bash
# Deltas/s of the apply engine on a PostGIS point table (creates, patches, deletes) vs plain batched JDBC writes of the
# same rows, same run; medians of the per-round ratios.
# Needs the machine's PostgreSQL 15 + PostGIS and the FIELDCLOUD_TEST_PG_* login (see README / .ci/run).
# Usage: bench/delta-apply.sh [deltas, default 10000] [rounds, default 5] [warm-up rounds, default 2]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B test-compile
cp="target/test-classes:target/classes:$(./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)"
"$JAVA_HOME/bin/java" -cp "$cp" org.fieldcloud.bench.DeltaApplyBenchmark "${1:-10000}" "${2:-5}" "${3:-2}"
