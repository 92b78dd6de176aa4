#!/usr/bin/env bash
# Secret resolution for a project with 1,000 secrets across the four levels vs reading the same candidate rows and
# nothing else, same run; then the median start of a job that resolves them.
# Usage: bench/secrets-resolution.sh [iterations, default 2000]
set -euo pipefail
cd "$(dirname "$0")/.."
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
./mvnw -q -B test-compile
cp="target/test-classes:target/classes:$(./mvnw -q -B dependency:build-classpath -Dmdep.outputFile=/dev/stdout -Dmdep.includeScope=test)"
"$JAVA_HOME/bin/java" -cp "$cp" org.fieldcloud.secrets.SecretResolutionBenchmark "${1:-2000}" 2>&1 | grep -E "median|Exception|expected"
