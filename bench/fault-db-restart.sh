#!/usr/bin/env bash
# Issue 13 §1b: restart the server's PostgreSQL (a private PG 15 cluster, pg_ctl stop -m fast / start) while clients
# read and upload (DatabaseRestartTest): 503 service_unavailable and unready while it is down, served again without a
# server restart. Needs /usr/lib/postgresql/15/bin (or FIELDCLOUD_PG_BIN); as root the cluster runs as postgres.
# Usage: bench/fault-db-restart.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -o test -Dtest=DatabaseRestartTest -Dsurefire.failIfNoSpecifiedTests=false
grep -o 'testcase name="[^"]*" classname="[^"]*" time="[0-9.]*"' target/surefire-reports/TEST-org.fieldcloud.ops.DatabaseRestartTest.xml
