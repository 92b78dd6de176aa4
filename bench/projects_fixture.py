"""Creates the benchmark fixture through the public API and prints the viewer's token.

The viewer reaches 200 projects by each origin: project owner, organization owner, organization admin,
direct collaborator (reader on another person's projects) and team member (team collaborator).
"""
import json
import sys
import urllib.request

BASE = sys.argv[1]


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
for name in ("viewer", "alice", "bob"):
    call("POST", "/api/v1/users/", admin, {"username": name, "email": f"{name}@example.org", "password": "bench-password"})
viewer, alice, bob = (login(n, "bench-password") for n in ("viewer", "alice", "bob"))

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
print(viewer)
