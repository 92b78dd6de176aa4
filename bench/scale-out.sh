#!/usr/bin/env bash
# Issue 13 §2: two app nodes and two worker processes (separate JVMs, own ports) on one private PostgreSQL 15 cluster
# and one in-process S3 store; 100 clients upload and push deltas through both nodes. Runs ScaleOutTest, which
# asserts no lost upload, every delta applied once, every job started once, and cross-node token revocation;
# prints its duration. Needs the machine's PostgreSQL 15 + PostGIS (FIELDCLOUD_TEST_PG_*) for the deltas' layer.
# Usage: bench/scale-out.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -o test -Dtest=ScaleOutTest -Dsurefire.failIfNoSpecifiedTests=false
grep -o 'testcase name="[^"]*" classname="[^"]*" time="[0-9.]*"' target/surefire-reports/TEST-org.fieldcloud.ops.ScaleOutTest.xml
