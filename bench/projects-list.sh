#!/usr/bin/env bash
# Issue 12 §1: the project list at any size and page, for a viewer who sees 1,000 projects through mixed origins
# (plus 100 public projects of someone else and 10,000 finished jobs; bench/projects_fixture.py).
# Alternating rounds of wrk against: GET /api/v1/auth/user/ (the baseline: token, no database), a page of 20 at
# offsets 0, 500 and 980, and the full list; then the CLI's walk (50 pages of 20 following X-Next-Page) timed
# against one full-list request, both from one sequential client. Prints each round, the medians and the ratios.
# Usage: bench/projects-list.sh [rounds, default 3] [duration, default 10s] [connections, default 16]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds="${1:-3}"
duration="${2:-10s}"
connections="${3:-16}"
. bench/server.sh
start_server 18091
base="http://127.0.0.1:$port"
token=$(python3 bench/projects_fixture.py "$base" "$data")
total=$(curl -sf -H "Authorization: Token $token" "$base/api/v1/projects/?limit=1" -D - -o /dev/null | tr -d '\r' | awk -F': ' 'tolower($1) == "x-total-count" {print $2}')
echo "fixture ready: the viewer lists $total projects; $(curl -sf -H "Authorization: Token $token" "$base/api/v1/projects/" | wc -c) bytes for all of them"

rate() {
  wrk -t2 -c"$connections" -d"$duration" -H "Authorization: Token $token" "$base$1" | awk '/Requests\/sec/ {print $2}'
}
names=(auth_user page_0 page_500 page_980 full_list)
paths=("/api/v1/auth/user/" "/api/v1/projects/?limit=20&offset=0" "/api/v1/projects/?limit=20&offset=500"
       "/api/v1/projects/?limit=20&offset=980" "/api/v1/projects/")
results="$data/results.txt"
: > "$results"
for round in $(seq "$rounds"); do
  line="round $round:"
  for i in "${!names[@]}"; do
    r=$(rate "${paths[$i]}")
    echo "${names[$i]} $r" >> "$results"
    line="$line ${names[$i]} $r req/s,"
  done
  walk=$(python3 - "$base" "$token" <<'PY'
import http.client, statistics, sys, time, urllib.parse
base, token = sys.argv[1], sys.argv[2]
u = urllib.parse.urlsplit(base)
c = http.client.HTTPConnection(u.hostname, u.port)
headers = {"Authorization": "Token " + token}
def get(path):
    c.request("GET", path, headers=headers)
    r = c.getresponse()
    body = r.read()
    assert r.status == 200, (path, r.status)
    return r, body
def full():
    t = time.perf_counter(); get("/api/v1/projects/"); return time.perf_counter() - t
def walk():
    t = time.perf_counter(); path = "/api/v1/projects/?limit=20&offset=0"; pages = 0; seen = 0
    while path:
        r, body = get(path)
        pages += 1; seen += body.count(b'"user_role_origin"')
        nxt = r.getheader("X-Next-Page")
        path = urllib.parse.urlsplit(nxt)._replace(scheme="", netloc="").geturl() if nxt else None
    return time.perf_counter() - t, pages, seen
fulls = [full() for _ in range(7)]
walks = [walk() for _ in range(3)]
w = statistics.median(x[0] for x in walks)
print(f"{statistics.median(fulls) * 1000:.2f} {w * 1000:.2f} {walks[0][1]} {walks[0][2]}")
PY
)
  read -r full_ms walk_ms pages seen <<< "$walk"
  echo "full_ms $full_ms" >> "$results"
  echo "walk_ms $walk_ms" >> "$results"
  echo "$line one full list ${full_ms} ms, CLI walk ${walk_ms} ms ($pages pages, $seen projects)"
done
python3 - "$results" <<'PY'
import collections, statistics, sys
values = collections.defaultdict(list)
for line in open(sys.argv[1]):
    name, value = line.split()
    values[name].append(float(value))
m = {name: statistics.median(v) for name, v in values.items()}
base = m["auth_user"]
print(f"medians: auth/user {base:.0f} req/s; page@0 {m['page_0']:.0f}, page@500 {m['page_500']:.0f}, page@980 {m['page_980']:.0f}, "
      f"full list {m['full_list']:.0f} req/s; one full list {m['full_ms']:.1f} ms, CLI walk {m['walk_ms']:.1f} ms")
for name, target in (("page_0", 0.5), ("page_500", 0.5), ("page_980", 0.5), ("full_list", 0.1)):
    ratio = m[name] / base
    print(f"ratio {name}/auth_user = {ratio:.3f} (target >= {target}: {'met' if ratio >= target else 'NOT met'})")
ratio = m["walk_ms"] / m["full_ms"]
print(f"ratio CLI walk / one full list = {ratio:.2f} (target <= 2: {'met' if ratio <= 2 else 'NOT met'})")
PY
