#!/usr/bin/env bash
# Packaging one PostGIS layer of N points with 10 attributes vs `ogr2ogr -f GPKG out.gpkg PG:"…" points`, alternating,
# medians of the rounds, and the heap's peak while packaging. Needs the machine's PostgreSQL 15 + PostGIS, the
# FIELDCLOUD_TEST_PG_* login (see README / .ci/run) and gdal-bin.
# Usage: bench/packaging.sh [points, default 200000] [rounds, default 3]   (JAVA_OPTS, e.g. -Xmx256m, go to the JVM)
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -o test-compile
cp="target/test-classes:target/classes:$(./mvnw -q -B -o dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)"
# shellcheck disable=SC2086
"$JAVA_HOME/bin/java" ${JAVA_OPTS:--Xmx256m} --enable-native-access=ALL-UNNAMED -Djava.awt.headless=true -cp "$cp" org.fieldcloud.packaging.PackagingBenchmark "${1:-200000}" "${2:-3}"
