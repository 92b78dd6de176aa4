"""Creates the benchmark fixture and prints the viewer's token. Usage: projects_fixture.py BASE_URL DATA_DIR

Through the public API: the viewer reaches 200 projects by each origin (project owner, organization owner,
organization admin, direct collaborator as reader on another person's projects, team member through a team
collaborator), and another person owns 100 public projects the viewer does not list by default but that the role
function still has to consider. Then, directly in the server's embedded database (the API cannot create finished
jobs cheaply): 10,000 finished jobs spread over the 1,100 projects, so that no per-project scan of the job history
hides in the list.
"""
import json
import os
import subprocess
import sys
import urllib.request

BASE = sys.argv[1]
DATA_DIR = sys.argv[2]


def call(method, path, token=None, body=None, expect=(200, 201, 204)):
    req = urllib.request.Request(BASE + path, method=method, data=None if body is None else json.dumps(body).encode())
    req.add_header("Content-Type", "application/json")
    req.add_header("User-Agent", "sdk|bench")
    if token:
        req.add_header("Authorization", "Token " + token)
    with urllib.request.urlopen(req) as r:
        if r.status not in expect:
            raise SystemExit(f"{method} {path}: {r.status}")
        data = r.read()
        return json.loads(data) if data else None


def login(username, password):
    return call("POST", "/api/v1/auth/login/", body={"username": username, "password": password})["token"]


admin = login("benchadmin", "bench-admin-password")
for name in ("viewer", "alice", "bob", "carol"):
    call("POST", "/api/v1/users/", admin, {"username": name, "email": f"{name}@example.org", "password": "bench-password"})
viewer, alice, bob, carol = (login(n, "bench-password") for n in ("viewer", "alice", "bob", "carol"))

call("POST", "/api/v1/organizations/", viewer, {"username": "viewerorg"})
for org in ("aliceorg", "teamorg"):
    call("POST", "/api/v1/organizations/", alice, {"username": org})
call("POST", "/api/v1/members/aliceorg/", alice, {"member": "viewer", "role": "admin"})
call("POST", "/api/v1/members/teamorg/", alice, {"member": "viewer", "role": "member"})
call("POST", "/api/v1/organizations/teamorg/teams/", alice, {"team": "field"})
call("POST", "/api/v1/organizations/teamorg/teams/field/members/", alice, {"member": "viewer"})

for i in range(200):
    call("POST", "/api/v1/projects/", viewer, {"name": f"own{i}", "is_public": False})
    call("POST", "/api/v1/projects/", viewer, {"name": f"org{i}", "owner": "viewerorg", "is_public": False})
    call("POST", "/api/v1/projects/", alice, {"name": f"adm{i}", "owner": "aliceorg", "is_public": False})
    p = call("POST", "/api/v1/projects/", bob, {"name": f"col{i}", "is_public": False})
    call("POST", f"/api/v1/collaborators/{p['id']}/", bob, {"collaborator": "viewer", "role": "reader"})
    t = call("POST", "/api/v1/projects/", alice, {"name": f"team{i}", "owner": "teamorg", "is_public": False})
    call("POST", f"/api/v1/collaborators/{t['id']}/", alice, {"collaborator": "@teamorg/field", "role": "editor"})
for i in range(100):
    call("POST", "/api/v1/projects/", carol, {"name": f"pub{i}", "is_public": True})


def psql(sql):
    with open(os.path.join(DATA_DIR, "embedded-postgres.password")) as f:
        password = f.read().strip()
    with open(os.path.join(DATA_DIR, "postgres", "postmaster.pid")) as f:
        port = f.read().splitlines()[3].strip()
    subprocess.run(["psql", "-qAt", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", port, "-U", "postgres", "-d", "postgres", "-c", sql],
                   env={**os.environ, "PGPASSWORD": password}, check=True, stdout=subprocess.DEVNULL)


psql("""
INSERT INTO jobs (id, project_id, type, status, created_at, started_at, finished_at)
SELECT gen_random_uuid(), p.id, 'process_projectfile', 'finished', now() - g * interval '1 minute', now() - g * interval '1 minute',
       now() - g * interval '1 minute' + interval '2 seconds'
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM projects) p
  JOIN generate_series(1, 10000) g ON g % 1100 = p.n - 1
""")
psql("ANALYZE")
print(viewer)
