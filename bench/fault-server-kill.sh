#!/usr/bin/env bash
# Issue 13 §1a: SIGKILL the only app node during uploads and running jobs, restart it on the same data directory and
# database (ServerCrashRecoveryTest): only complete uploads listed, every job ended with a reason. Prints its duration.
# Usage: bench/fault-server-kill.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B -o test -Dtest=ServerCrashRecoveryTest -Dsurefire.failIfNoSpecifiedTests=false
grep -o 'testcase name="[^"]*" classname="[^"]*" time="[0-9.]*"' target/surefire-reports/TEST-org.fieldcloud.ops.ServerCrashRecoveryTest.xml
