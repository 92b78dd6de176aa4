#!/usr/bin/env bash
# Upload and download throughput of the files API over loopback, with the server's heap capped, against two floors
# measured in the same rounds on the same disk: for uploads, bench's UploadFloor (read in 1 MiB chunks, write the
# copy, md5 and sha256 on two more threads, force to disk: the work an upload must do, without HTTP); for downloads,
# `cp`. Also the server's peak resident memory (VmHWM).
# Usage: bench/files-throughput.sh [size, default 1G] [heap, default 256m] [rounds, default 3]; medians are reported.
# BENCH_STORAGE=s3 stores the files in an S3 protocol server (s3proxy, its own process, filesystem blobs on the same
# disk) instead of the local directory.
# Needs: JAVA_HOME pointing at Java 21+, a compiled tree (./mvnw -q -B test-compile), curl, python3, sha256sum.
set -euo pipefail
: "${JAVA_HOME:?set JAVA_HOME to a Java 21+ JDK}"
cd "$(dirname "$0")/.."

SIZE="${1:-1G}"
HEAP="${2:-256m}"
ROUNDS="${3:-3}"
WORK="$(pwd)/target/bench-files-$$"
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
export FIELDCLOUD_ADMIN_PASSWORD="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
mkdir -p "$WORK"

if [ ! -f target/classpath-test.txt ] || [ pom.xml -nt target/classpath-test.txt ]; then
  ./mvnw -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/classpath-test.txt >/dev/null
fi
CP="target/test-classes:target/classes:$(cat target/classpath-test.txt)"

STORAGE_ARGS=()
S3=""
if [ "${BENCH_STORAGE:-local}" = s3 ]; then
  S3PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  S3SECRET="bench-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  "$JAVA_HOME/bin/java" -cp "$CP" org.fieldcloud.support.S3Store "$WORK/s3" "$S3PORT" bench-access "$S3SECRET" >"$WORK/s3.log" 2>&1 &
  S3=$!
  STORAGE_ARGS=(--fieldcloud.storage=s3 --fieldcloud.s3.endpoint="http://127.0.0.1:$S3PORT" --fieldcloud.s3.bucket=bench
    --fieldcloud.s3.access-key=bench-access --fieldcloud.s3.secret-key="$S3SECRET" --fieldcloud.s3.path-style=true)
  for _ in $(seq 1 120); do grep -q "listening" "$WORK/s3.log" 2>/dev/null && break; sleep 0.5; done
fi

"$JAVA_HOME/bin/java" "-Xmx$HEAP" ${BENCH_JAVA_OPTS:-} -cp "target/classes:$(cat target/classpath-test.txt)" org.fieldcloud.FieldCloudApplication \
  --server.port="$PORT" --server.address=127.0.0.1 --fieldcloud.data-dir="$WORK/data" \
  --fieldcloud.admin.username=root "${STORAGE_ARGS[@]}" >"$WORK/server.log" 2>&1 &
SERVER=$!
cleanup() {
  kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true
  [ -z "$S3" ] || { kill "$S3" 2>/dev/null || true; wait "$S3" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

UP=""
for _ in $(seq 1 360); do
  curl -fs "http://127.0.0.1:$PORT/api/v1/status/" >/dev/null 2>&1 && { UP=1; break; }
  kill -0 "$SERVER" 2>/dev/null || break
  sleep 0.5
done
[ -n "$UP" ] || { echo "server did not start"; tail -30 "$WORK/server.log"; exit 1; }

# The initial admin is created just after the HTTP port opens: retry the login for a while.
TOKEN=""
for _ in $(seq 1 60); do
  TOKEN="$(curl -sS -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"root\",\"password\":\"$FIELDCLOUD_ADMIN_PASSWORD\"}" \
    "http://127.0.0.1:$PORT/api/v1/auth/login/" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("token", ""))')"
  [ -n "$TOKEN" ] && break
  sleep 0.5
done
[ -n "$TOKEN" ] || { echo "login failed"; tail -30 "$WORK/server.log"; exit 1; }
PROJECT="$(curl -sS -X POST -H 'Content-Type: application/json' -H "Authorization: Token $TOKEN" -d '{"name":"bench"}' \
  "http://127.0.0.1:$PORT/api/v1/projects/" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')"

head -c "$SIZE" /dev/urandom >"$WORK/source.bin"
BYTES="$(stat -c %s "$WORK/source.bin")"
sync

now() { date +%s.%N; }
mbps() { python3 -c "print(f'{$BYTES / ($2 - $1) / 1e6:.0f}')"; }

median() { python3 -c "import statistics,sys; print(f'{statistics.median(map(float, sys.argv[1:])):.0f}')" "$@"; }
URL="http://127.0.0.1:$PORT/api/v1/files/$PROJECT/bench.bin/"
CPS=(); FLOORS=(); UPS=(); DOWNS=()
# Each timed step starts from a settled disk: the writes and deletions of the step before are flushed and
# their discards done, else a step pays for its predecessor's 1 GiB of writeback.
settle() { sync; sleep 3; }
# Rounds alternate cp, the upload floor, upload and download so that page-cache and machine-load drift hits all alike.
for round in $(seq 1 "$ROUNDS"); do
  settle
  t0=$(now); cp "$WORK/source.bin" "$WORK/copy.bin"; t1=$(now)
  CPS+=("$(mbps "$t0" "$t1")")
  rm -f "$WORK/copy.bin"
  settle
  # Timed inside the JVM (its start-up is not the floor's work); it prints "floor <MB/s> ...".
  FLOORS+=("$("$JAVA_HOME/bin/java" "-Xmx$HEAP" -cp target/test-classes org.fieldcloud.bench.UploadFloor "$WORK/source.bin" "$WORK/copy.bin" | awk '/^floor/ {print $2}')")
  rm -f "$WORK/copy.bin"
  settle
  t0=$(now)
  CODE="$(curl -sS -o /dev/null -w '%{http_code}' -H "Authorization: Token $TOKEN" -F "file=@$WORK/source.bin" "$URL")"
  t1=$(now)
  [ "$CODE" = 201 ] || { echo "upload failed: HTTP $CODE"; tail -20 "$WORK/server.log"; exit 1; }
  UPS+=("$(mbps "$t0" "$t1")")
  settle
  t0=$(now)
  curl -fsS -o "$WORK/download.bin" -H "Authorization: Token $TOKEN" "$URL"
  t1=$(now)
  DOWNS+=("$(mbps "$t0" "$t1")")
  echo "round $round: cp ${CPS[-1]} MB/s, upload floor ${FLOORS[-1]} MB/s, upload ${UPS[-1]} MB/s, download ${DOWNS[-1]} MB/s"
  [ "$round" = "$ROUNDS" ] || rm -f "$WORK/download.bin"
done
CP=$(median "${CPS[@]}"); FLOOR=$(median "${FLOORS[@]}"); UP=$(median "${UPS[@]}"); DOWN=$(median "${DOWNS[@]}")
# The server's side alone: the same download into /dev/null, so curl's writes to disk are out of the picture.
settle; t0=$(now); curl -fsS -o /dev/null -H "Authorization: Token $TOKEN" "$URL"; t1=$(now)
NULLDOWN=$(mbps "$t0" "$t1")

[ "$(sha256sum <"$WORK/source.bin")" = "$(sha256sum <"$WORK/download.bin")" ] || { echo "download differs"; exit 1; }
RSS="$(awk '/VmHWM/ {print $2 " " $3}' "/proc/$SERVER/status")"

echo "size=$BYTES bytes heap=-Xmx$HEAP cores=$(nproc) storage=${BENCH_STORAGE:-local}"
echo "medians of $ROUNDS rounds:"
echo "cp:       $CP MB/s"
echo "upload floor (UploadFloor): $FLOOR MB/s"
echo "upload:   $UP MB/s (ratio to the upload floor $(python3 -c "print(f'{$UP/$FLOOR:.2f}')"))"
echo "download: $DOWN MB/s (ratio to cp $(python3 -c "print(f'{$DOWN/$CP:.2f}')"))"
echo "download into /dev/null (server side only, one run): $NULLDOWN MB/s"
echo "server peak RSS (VmHWM): $RSS"
