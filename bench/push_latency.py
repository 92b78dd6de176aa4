"""Time from a delta push to its delta_apply job starting, on an idle server, over N pushes.

Each push creates a job (the previous one has finished); the job's created_at (written in the push's
transaction) and started_at (the worker's claim) give the queue latency; the push's own round trip and a
GET /api/v1/status/ round trip are reported beside it as baselines measured in the same run.
"""
import datetime
import json
import statistics
import sys
import time
import urllib.request
import uuid

BASE, N = sys.argv[1], int(sys.argv[2])


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
project = call("POST", "/api/v1/projects/", token, {"name": "latency"})["id"]
qgs = b'<qgis version="3.34.0"><projectlayers/></qgis>'
body, ctype = multipart("p.qgs", qgs)
call("POST", f"/api/v1/files/{project}/p.qgs/", token, body, ctype)


def wait_idle():
    while True:
        jobs = call("GET", f"/api/v1/jobs/?project_id={project}", token)
        if all(j["status"] in ("finished", "failed") for j in jobs):
            return jobs
        time.sleep(0.02)


wait_idle()
queue, push_rtt, status_rtt = [], [], []
for i in range(N):
    t0 = time.perf_counter()
    call("GET", "/api/v1/status/")
    status_rtt.append((time.perf_counter() - t0) * 1000)
    deltafile = {"version": "1.0", "id": str(uuid.uuid4()), "project": project, "files": [], "deltas": [{
        "uuid": str(uuid.uuid4()), "clientId": str(uuid.uuid4()), "localPk": str(i), "sourcePk": "", "localLayerId": "none",
        "sourceLayerId": "none", "method": "create", "new": {"attributes": {"n": i}}}]}
    body, ctype = multipart("deltafile.json", json.dumps(deltafile).encode())
    t1 = time.perf_counter()
    call("POST", f"/api/v1/deltas/{project}/", token, body, ctype)
    push_rtt.append((time.perf_counter() - t1) * 1000)
    jobs = wait_idle()
    job = max((j for j in jobs if j["type"] == "delta_apply"), key=lambda j: j["created_at"])
    queue.append((ts(job["started_at"]) - ts(job["created_at"])).total_seconds() * 1000)


def p95(v):
    return sorted(v)[int(len(v) * 0.95) - 1]


print(f"pushes: {N}")
print(f"push -> job started (server clock): median {statistics.median(queue):.1f} ms, p95 {p95(queue):.1f} ms")
print(f"push round trip: median {statistics.median(push_rtt):.1f} ms, p95 {p95(push_rtt):.1f} ms")
print(f"GET /status/ round trip (baseline): median {statistics.median(status_rtt):.1f} ms, p95 {p95(status_rtt):.1f} ms")
