"""Time from a delta push to its delta_apply job starting, over ROUNDS rounds in which P projects push at once.

In each round every project's client pushes a one-delta file at the same moment (a barrier), then waits until
its project's jobs have ended. The job's created_at (written in the push's transaction) and started_at (the
worker's claim) give the queue latency. The push's own round trip and a GET /api/v1/status/ round trip, taken
between rounds, are reported beside it as baselines measured in the same run.
Usage: push_latency.py BASE_URL ROUNDS PROJECTS
"""
import datetime
import json
import statistics
import sys
import threading
import time
import urllib.request
import uuid

BASE, ROUNDS, PROJECTS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])


def call(method, path, token=None, body=None, content_type="application/json"):
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE + path, method=method, data=data)
    req.add_header("Content-Type", content_type)
    if token:
        req.add_header("Authorization", "Token " + token)
    with urllib.request.urlopen(req) as r:
        raw = r.read()
        return json.loads(raw) if raw else None


def multipart(name, content):
    boundary = "bench" + uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return body, "multipart/form-data; boundary=" + boundary


def ts(s):
    return datetime.datetime.fromisoformat(s.replace("Z", "+00:00"))


token = call("POST", "/api/v1/auth/login/", body={"username": "benchadmin", "password": "bench-admin-password"})["token"]
projects = []
for p in range(PROJECTS):
    project = call("POST", "/api/v1/projects/", token, {"name": f"latency{p}"})["id"]
    body, ctype = multipart("p.qgs", b'<qgis version="3.34.0"><projectlayers/></qgis>')
    call("POST", f"/api/v1/files/{project}/p.qgs/", token, body, ctype)
    projects.append(project)


def wait_idle(project):
    # The latency is read from the server's timestamps, so polling often buys no precision; polling 20 projects
    # every 20 ms would itself load the server with 1,000 requests a second.
    while True:
        jobs = call("GET", f"/api/v1/jobs/?project_id={project}", token)
        if all(j["status"] in ("finished", "failed") for j in jobs):
            return jobs
        time.sleep(0.2)


for project in projects:
    wait_idle(project)

queue, push_rtt, status_rtt = [], [], []
lock = threading.Lock()
barrier = threading.Barrier(PROJECTS)


def client(project, round_no):
    deltafile = {"version": "1.0", "id": str(uuid.uuid4()), "project": project, "files": [], "deltas": [{
        "uuid": str(uuid.uuid4()), "clientId": str(uuid.uuid4()), "localPk": str(round_no), "sourcePk": "", "localLayerId": "none",
        "sourceLayerId": "none", "method": "create", "new": {"attributes": {"n": round_no}}}]}
    body, ctype = multipart("deltafile.json", json.dumps(deltafile).encode())
    barrier.wait()
    t1 = time.perf_counter()
    call("POST", f"/api/v1/deltas/{project}/", token, body, ctype)
    rtt = (time.perf_counter() - t1) * 1000
    jobs = wait_idle(project)
    job = max((j for j in jobs if j["type"] == "delta_apply"), key=lambda j: j["created_at"])
    with lock:
        push_rtt.append(rtt)
        queue.append((ts(job["started_at"]) - ts(job["created_at"])).total_seconds() * 1000)


for r in range(ROUNDS):
    t0 = time.perf_counter()
    call("GET", "/api/v1/status/")
    status_rtt.append((time.perf_counter() - t0) * 1000)
    threads = [threading.Thread(target=client, args=(p, r)) for p in projects]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def pct(v, p):
    s = sorted(v)
    return s[min(len(s) - 1, int(round(len(s) * p)) - 1)]


def line(name, v):
    print(f"{name}: median {statistics.median(v):.1f} ms, p95 {pct(v, 0.95):.1f} ms, p99 {pct(v, 0.99):.1f} ms")


print(f"{PROJECTS} projects pushing at once, {ROUNDS} rounds: {len(queue)} pushes")
line("push -> job started (server clock)", queue)
line("push round trip", push_rtt)
line("GET /status/ round trip (baseline)", status_rtt)
