package org.fieldcloud.permissions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.TestData;
import tools.jackson.databind.JsonNode;

/**
 * THE registry of the permission test: for every row of permissions.md, the real HTTP request(s) that
 * perform its action as a given actor. Every row of the table must have probes here (a missing one fails the
 * test, it is never skipped). A probe that changes something names the state it changes, read from the
 * database before and after the request: an allowed cell must leave exactly the expected state, a denied cell
 * must leave it as it was.
 */
final class PermissionProbes {

    /** Makes what one probe needs before its request (a file to delete, a secret, a name); the result goes to the request. */
    @FunctionalInterface
    interface Setup {
        Object prepare(MatrixWorld world, String actor);
    }

    /** Sends the request of one probe for one actor in a fresh world. */
    @FunctionalInterface
    interface Request {
        Http.Response send(MatrixWorld world, String actor, Object prepared);
    }

    @FunctionalInterface
    interface SimpleRequest {
        Http.Response send(MatrixWorld world, String actor);
    }

    /** A value read from the database (or computed) for one probe, e.g. a collaborator's role. */
    @FunctionalInterface
    interface Reading {
        Object read(MatrixWorld world, String actor, Object prepared);
    }

    /** What a mutating probe changes: the state it reads, and the state an allowed request must leave. */
    record Effect(Reading state, Reading expectedWhenAllowed) { }

    /**
     * One request of a row. {@code listing} is set for probes that answer by listing: there ✅ means "the actor's
     * target project is in the 200 list" and ❌ means "it is not" (401 for the anonymous). {@code effect} is set
     * for every probe that changes something.
     */
    record Probe(String label, Setup setup, Request request, boolean listing, Effect effect) {

        static Probe read(String label, SimpleRequest request) {
            return new Probe(label, (w, a) -> null, (w, a, p) -> request.send(w, a), false, null);
        }

        static Probe read(String label, Setup setup, Request request) {
            return new Probe(label, setup, request, false, null);
        }

        static Probe listing(String label, SimpleRequest request) {
            return new Probe(label, (w, a) -> null, (w, a, p) -> request.send(w, a), true, null);
        }

        static Probe change(String label, SimpleRequest request, Reading state, Reading expected) {
            return new Probe(label, (w, a) -> null, (w, a, p) -> request.send(w, a), false, new Effect(state, expected));
        }

        static Probe change(String label, Setup setup, Request request, Reading state, Reading expected) {
            return new Probe(label, setup, request, false, new Effect(state, expected));
        }
    }

    /** Rows about one project: the notes' variants (public, default role, creator) apply to them. */
    static final Set<Integer> PROJECT_ROWS = Set.of(1, 2, 3, 4, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26);

    static final Map<Integer, List<Probe>> REGISTRY = registry();

    private PermissionProbes() { }

    private static Map<Integer, List<Probe>> registry() {
        Map<Integer, List<Probe>> r = new LinkedHashMap<>();
        r.put(1, List.of(
                Probe.read("GET /collaborators/{project}/", (w, a) -> w.as(a).get(collaborators(w, a))),
                Probe.read("GET /collaborators/{project}/{reader}/", (w, a) -> w.as(a).get(collaborators(w, a) + w.user("8").username() + "/"))));
        r.put(2, List.of(Probe.change("POST /collaborators/{project}/ {spare as reader}", (w, a) -> w.as(a).post(collaborators(w, a),
                Map.of("collaborator", w.spare().username(), "role", "reader")), collaboratorRole(w -> w.spare()), constant("reader"))));
        r.put(3, List.of(Probe.change("PATCH /collaborators/{project}/{reader}/ {reporter}", (w, a) -> w.as(a).patch(
                collaborators(w, a) + w.user("8").username() + "/", Map.of("role", "reporter")), collaboratorRole(w -> w.user("8")), constant("reporter"))));
        r.put(4, List.of(Probe.change("DELETE /collaborators/{project}/{reader}/", (w, a) -> w.as(a).delete(
                collaborators(w, a) + w.user("8").username() + "/"), collaboratorRole(w -> w.user("8")), constant(null))));
        r.put(5, List.of(Probe.read("GET /members/{org}/", (w, a) -> w.as(a).get(members(w)))));
        r.put(6, List.of(Probe.change("POST /members/{org}/ {actor 3}", (w, a) -> w.as(a).post(members(w),
                Map.of("member", w.user("3").username(), "role", "member")), memberRole(w -> w.user("3")), constant("member"))));
        r.put(7, List.of(Probe.read("GET /members/{org}/{member}/", (w, a) -> w.as(a).get(members(w) + w.spare().username() + "/"))));
        r.put(8, List.of(Probe.change("PATCH /members/{org}/{member}/ {creator}", (w, a) -> w.as(a).patch(members(w) + w.spare().username() + "/",
                Map.of("role", "creator")), memberRole(w -> w.spare()), constant("creator"))));
        r.put(9, List.of(Probe.change("DELETE /members/{org}/{member}/", (w, a) -> w.as(a).delete(members(w) + w.spare().username() + "/"),
                memberRole(w -> w.spare()), constant(null))));
        r.put(10, List.of(Probe.read("GET /projects/public/", (w, a) -> w.as(a).get("/api/v1/projects/public/?limit=1"))));
        r.put(11, List.of(
                Probe.read("GET /projects/{project}/", (w, a) -> w.as(a).get(project(w, a))),
                Probe.listing("GET /projects/?include_public=1&name={project}", (w, a) -> w.as(a).get(
                        "/api/v1/projects/?include_public=1&name=" + w.project(a).name()))));
        r.put(12, List.of(Probe.change("PATCH /projects/{project}/ {description}", (w, a) -> w.as(a).patch(project(w, a), Map.of("description", "changed")),
                (w, a, p) -> value(w, "SELECT description FROM projects WHERE id = :p", Map.of("p", w.project(a).id())), constant("changed"))));
        r.put(13, List.of(Probe.change("POST /projects/ (personal for 1 and 2, for the organization otherwise)",
                (w, a) -> TestData.unique("created"), PermissionProbes::createProject,
                (w, a, name) -> value(w, "SELECT count(*) FROM projects WHERE name = :n", Map.of("n", name)), constant(1L))));
        r.put(14, List.of(Probe.change("DELETE /projects/{project}/", (w, a) -> w.as(a).delete(project(w, a)),
                (w, a, p) -> value(w, "SELECT count(*) FROM projects WHERE id = :p", Map.of("p", w.project(a).id())), constant(0L))));
        r.put(15, List.of(Probe.change("PATCH /projects/{project}/ {owner}", PermissionProbes::newOwner,
                (w, a, owner) -> w.as(a).patch(project(w, a), Map.of("owner", owner)),
                (w, a, p) -> value(w, "SELECT u.username FROM projects p JOIN users u ON u.id = p.owner_id WHERE p.id = :p", Map.of("p", w.project(a).id())),
                (w, a, owner) -> owner)));
        r.put(16, List.of(Probe.change("POST /deltas/{project}/ (multipart deltafile with one create)", PermissionProbes::pushDelta,
                (w, a, p) -> value(w, "SELECT count(*) FROM deltas WHERE project_id = :p", Map.of("p", w.project(a).id())), constant(1L))));
        r.put(17, List.of(
                Probe.read("GET /deltas/{project}/", (w, a) -> w.as(a).get("/api/v1/deltas/" + w.project(a).id() + "/")),
                Probe.read("GET /deltas/{project}/{deltafile}/", (w, a) -> storedDelta(w, a, "conflict"),
                        (w, a, delta) -> w.as(a).get("/api/v1/deltas/" + w.project(a).id() + "/" + ((StoredDelta) delta).deltafile() + "/"))));
        r.put(18, List.of(
                Probe.change("POST /deltas/apply/{project}/ (one pending delta)", (w, a) -> storedDelta(w, a, "pending"),
                        (w, a, delta) -> w.as(a).post("/api/v1/deltas/apply/" + w.project(a).id() + "/", Map.of()),
                        jobCount("delta_apply"), constant(1L)),
                Probe.change("POST /deltas/{project}/{delta}/status {ignored}", (w, a) -> storedDelta(w, a, "conflict"),
                        (w, a, delta) -> w.as(a).post("/api/v1/deltas/" + w.project(a).id() + "/" + ((StoredDelta) delta).id() + "/status",
                                Map.of("status", "ignored")),
                        (w, a, delta) -> value(w, "SELECT last_status FROM deltas WHERE id = :d", Map.of("d", ((StoredDelta) delta).id())),
                        constant("ignored"))));
        r.put(19, List.of(
                Probe.read("GET /files/{project}/", (w, a) -> w.as(a).get(files(w, a))),
                Probe.read("GET /files/{project}/{file}/", (w, a) -> upload(w, a, "readme.txt"), (w, a, name) -> w.as(a).get(files(w, a) + name + "/"))));
        r.put(20, List.of(Probe.change("POST /files/{project}/notes.txt/", (w, a) -> new Multipart().file("file", "notes.txt", "n".getBytes())
                .post(w.as(a), files(w, a) + "notes.txt/"), versionCount("notes.txt"), constant(1L))));
        r.put(21, List.of(Probe.change("DELETE /files/{project}/{file}/", (w, a) -> upload(w, a, "old.txt"),
                (w, a, name) -> w.as(a).delete(files(w, a) + name + "/"), versionCount("old.txt"), constant(0L))));
        r.put(22, List.of(Probe.change("DELETE /files/{project}/{file}/?version={older}", PermissionProbes::twoVersions,
                (w, a, older) -> w.as(a).delete(files(w, a) + "twice.txt/?version=" + older), versionCount("twice.txt"), constant(1L))));
        r.put(23, List.of(Probe.change("POST /jobs/ {package} then GET /jobs/{id}/", (w, a) -> {
            withQgisFile(w, a);
            Http.Response created = w.as(a).post("/api/v1/jobs/", Map.of("project_id", w.project(a).id().toString(), "type", "package"));
            return created.status() != 201 ? created : w.as(a).get("/api/v1/jobs/" + created.json().get("id").asString() + "/");
        }, jobCount("package"), constant(1L))));
        r.put(24, List.of(Probe.read("GET /jobs/{delta_apply job}/ with output and feedback", (w, a) -> {
            withQgisFile(w, a);
            return w.as(owner(w, a)).post("/api/v1/jobs/", Map.of("project_id", w.project(a).id().toString(), "type", "delta_apply", "force", true))
                    .json().get("id").asString();
        }, (w, a, id) -> w.as(a).get("/api/v1/jobs/" + id + "/"))));
        r.put(25, List.of(Probe.change("POST /jobs/ {process_projectfile}", (w, a) -> {
            withQgisFile(w, a);
            return null;
        }, (w, a, p) -> w.as(a).post("/api/v1/jobs/", Map.of("project_id", w.project(a).id().toString(), "type", "process_projectfile", "force", true)),
                jobCount("process_projectfile"), constant(1L))));
        r.put(26, List.of(
                Probe.read("GET /projects/{project}/secrets/", (w, a) -> w.as(a).get(projectSecrets(w, a))),
                Probe.change("POST /projects/{project}/secrets/", (w, a) -> secretName(), (w, a, name) -> w.as(a).post(projectSecrets(w, a), envvar(name, null)),
                        secretAssignee(), constant("unassigned")),
                Probe.change("POST /projects/{project}/secrets/ {assigned to the reader}", (w, a) -> secretName(),
                        (w, a, name) -> w.as(a).post(projectSecrets(w, a), envvar(name, w.user("8").username())),
                        secretAssignee(), (w, a, p) -> w.user("8").username()),
                Probe.change("DELETE /projects/{project}/secrets/{id}/", (w, a) -> createdSecret(w, projectSecrets(w, a), owner(w, a)),
                        (w, a, secret) -> w.as(a).delete(projectSecrets(w, a) + ((Secret) secret).id() + "/"), secretAssignee(), constant(null))));
        r.put(27, List.of(
                Probe.read("GET /organizations/{org}/secrets/", (w, a) -> w.as(a).get(organization(w) + "secrets/")),
                Probe.change("POST /organizations/{org}/secrets/", (w, a) -> secretName(),
                        (w, a, name) -> w.as(a).post(organization(w) + "secrets/", envvar(name, null)), secretAssignee(), constant("unassigned")),
                Probe.change("POST /organizations/{org}/secrets/ {assigned to member 11}", (w, a) -> secretName(),
                        (w, a, name) -> w.as(a).post(organization(w) + "secrets/", envvar(name, w.user("11").username())),
                        secretAssignee(), (w, a, p) -> w.user("11").username()),
                Probe.change("DELETE /organizations/{org}/secrets/{id}/", (w, a) -> createdSecret(w, organization(w) + "secrets/", w.user("9")),
                        (w, a, secret) -> w.as(a).delete(organization(w) + "secrets/" + ((Secret) secret).id() + "/"), secretAssignee(), constant(null))));
        r.put(28, List.of(Probe.read("GET /users/", (w, a) -> w.as(a).get("/api/v1/users/?limit=1"))));
        r.put(29, List.of(Probe.read("GET /users/{actor 3}/", (w, a) -> w.as(a).get("/api/v1/users/" + w.user("3").username() + "/"))));
        r.put(30, List.of(Probe.read("GET /users/{self} for 3, /users/{org}/ for 2 and members", PermissionProbes::detailedInformation)));
        r.put(31, List.of(Probe.change("PATCH /users/{self} for 1–3, /users/{org}/ for members", PermissionProbes::updateAccount,
                (w, a, p) -> value(w, "SELECT first_name FROM users WHERE id = :u", Map.of("u", updatedAccount(w, a))),
                (w, a, p) -> Set.of("1", "2", "3").contains(a) ? "Three" : "Organization")));
        r.put(32, List.of(Probe.change("DELETE /users/{fresh person}/ {confirm}", (w, a) -> w.data.person("leaving"), PermissionProbes::deleteAccount,
                (w, a, victim) -> value(w, "SELECT count(*) FROM users WHERE id = :u", Map.of("u", ((TestData.User) victim).id())), constant(0L))));
        r.put(33, List.of(Probe.change("POST /organizations/", (w, a) -> TestData.unique("neworg"),
                (w, a, name) -> w.as(a).post("/api/v1/organizations/", Map.of("username", name)),
                (w, a, name) -> value(w, "SELECT count(*) FROM organizations o JOIN users u ON u.id = o.user_id WHERE u.username = :n", Map.of("n", name)),
                constant(1L))));
        r.put(34, List.of(
                Probe.change("DELETE /organizations/{org}/ {confirm}", (w, a) -> w.as(a).delete(organization(w), Map.of("confirm", w.org.username())),
                        (w, a, p) -> value(w, "SELECT count(*) FROM organizations WHERE user_id = :o", Map.of("o", w.org.id())), constant(0L)),
                Probe.change("POST /organizations/{org}/transfer/ {actor 10}", (w, a) -> w.as(a).post(organization(w) + "transfer/",
                        Map.of("new_owner", w.user("10").username())), organizationOwner(), (w, a, p) -> w.user("10").username())));
        r.put(35, List.of(
                Probe.read("GET /organizations/{org}/teams/", (w, a) -> w.as(a).get(teams(w))),
                Probe.read("GET /organizations/{org}/teams/{team}/members/", (w, a) -> w.as(a).get(team(w) + "members/"))));
        r.put(36, List.of(
                Probe.change("POST /organizations/{org}/teams/", (w, a) -> TestData.unique("team"), (w, a, name) -> w.as(a).post(teams(w), Map.of("team", name)),
                        (w, a, name) -> value(w, "SELECT count(*) FROM users WHERE username = :n", Map.of("n", "@" + w.org.username() + "/" + name)),
                        constant(1L)),
                Probe.change("PUT /organizations/{org}/teams/{team}/", (w, a) -> TestData.unique("renamed"),
                        (w, a, name) -> w.as(a).put(team(w), Map.of("team", name)),
                        (w, a, name) -> value(w, "SELECT username FROM users WHERE id = :t", Map.of("t", w.team.id())),
                        (w, a, name) -> "@" + w.org.username() + "/" + name),
                Probe.change("DELETE /organizations/{org}/teams/{team}/", (w, a) -> w.as(a).delete(team(w)),
                        (w, a, p) -> value(w, "SELECT count(*) FROM teams WHERE user_id = :t", Map.of("t", w.team.id())), constant(0L)),
                Probe.change("POST /organizations/{org}/teams/{team}/members/", (w, a) -> w.as(a).post(team(w) + "members/",
                        Map.of("member", w.spare().username())), teamMembership(w -> w.spare()), constant(1L)),
                Probe.change("DELETE /organizations/{org}/teams/{team}/members/{member}/", (w, a) -> w.as(a).delete(
                        team(w) + "members/" + w.user("11").username() + "/"), teamMembership(w -> w.user("11")), constant(0L))));
        r.put(37, List.of(Probe.change("POST /users/", (w, a) -> TestData.unique("made"),
                (w, a, name) -> w.as(a).post("/api/v1/users/", Map.of("username", name, "email", name + "@example.org", "password", "a long password")),
                (w, a, name) -> value(w, "SELECT count(*) FROM users WHERE username = :n", Map.of("n", name)), constant(1L))));
        r.put(38, List.of(Probe.read("GET /status/", (w, a) -> w.as(a).get("/api/v1/status/"))));
        return r;
    }

    private record StoredDelta(UUID id, UUID deltafile) { }

    private record Secret(long id, String name) { }

    private static Reading constant(Object value) {
        return (w, a, p) -> value;
    }

    /** One value of a query, null when there is no row; numbers as {@code Long}. */
    private static Object value(MatrixWorld w, String sql, Map<String, ?> params) {
        Object v = w.data.jdbc().sql(sql).params(params).query().optionalValue().orElse(null);
        return v instanceof Number n ? (Object) n.longValue() : v;
    }

    private static Reading collaboratorRole(java.util.function.Function<MatrixWorld, TestData.User> who) {
        return (w, a, p) -> value(w, "SELECT role FROM project_collaborators WHERE project_id = :p AND collaborator_id = :u",
                Map.of("p", w.project(a).id(), "u", who.apply(w).id()));
    }

    private static Reading memberRole(java.util.function.Function<MatrixWorld, TestData.User> who) {
        return (w, a, p) -> value(w, "SELECT role FROM organization_members WHERE organization_id = :o AND member_id = :u",
                Map.of("o", w.org.id(), "u", who.apply(w).id()));
    }

    private static Reading teamMembership(java.util.function.Function<MatrixWorld, TestData.User> who) {
        return (w, a, p) -> value(w, "SELECT count(*) FROM team_members WHERE team_id = :t AND member_id = :u",
                Map.of("t", w.team.id(), "u", who.apply(w).id()));
    }

    private static Reading organizationOwner() {
        return (w, a, p) -> value(w, "SELECT u.username FROM organizations o JOIN users u ON u.id = o.owner_id WHERE o.user_id = :o",
                Map.of("o", w.org.id()));
    }

    private static Reading jobCount(String type) {
        return (w, a, p) -> value(w, "SELECT count(*) FROM jobs WHERE project_id = :p AND type = :t", Map.of("p", w.project(a).id(), "t", type));
    }

    private static Reading versionCount(String name) {
        return (w, a, p) -> value(w, "SELECT count(*) FROM file_versions v JOIN project_files f ON f.id = v.file_id "
                + "WHERE f.project_id = :p AND f.name = :n", Map.of("p", w.project(a).id(), "n", name));
    }

    /** Who the secret the probe names is assigned to ("unassigned" for none); null when it does not exist. */
    private static Reading secretAssignee() {
        return (w, a, prepared) -> {
            String name = prepared instanceof Secret s ? s.name() : (String) prepared;
            return value(w, "SELECT coalesce(u.username, 'unassigned') FROM secrets s LEFT JOIN users u ON u.id = s.assigned_to "
                    + "WHERE s.name = :n", Map.of("n", name));
        };
    }

    private static Http.Response createProject(MatrixWorld w, String actor, Object name) {
        boolean forOrganization = Set.of("9", "10", "11", "C").contains(actor);
        Map<String, Object> body = forOrganization ? Map.of("name", name, "owner", w.org.username()) : Map.of("name", name);
        return w.as(actor).post("/api/v1/projects/", body);
    }

    /** Actor 3 moves the personal project into an organization they own; everyone else takes the project for themselves. */
    private static Object newOwner(MatrixWorld w, String actor) {
        return switch (actor) {
            case "1" -> w.user("2").username();
            case "3" -> w.data.organization(w.user("3")).username();
            default -> w.user(actor).username();
        };
    }

    private static Http.Response detailedInformation(MatrixWorld w, String actor) {
        return switch (actor) {
            case "1", "3" -> w.as(actor).get("/api/v1/users/" + w.user("3").username() + "/");
            default -> w.as(actor).get("/api/v1/users/" + w.org.username() + "/");
        };
    }

    private static Http.Response updateAccount(MatrixWorld w, String actor) {
        return switch (actor) {
            case "1", "2", "3" -> w.as(actor).patch("/api/v1/users/" + w.user("3").username() + "/", Map.of("first_name", "Three"));
            default -> w.as(actor).patch("/api/v1/users/" + w.org.username() + "/", Map.of("first_name", "Organization"));
        };
    }

    private static long updatedAccount(MatrixWorld w, String actor) {
        return Set.of("1", "2", "3").contains(actor) ? w.user("3").id() : w.org.id();
    }

    /** Actor 3 is a fresh person here, because the request deletes them. */
    private static Http.Response deleteAccount(MatrixWorld w, String actor, Object prepared) {
        TestData.User victim = (TestData.User) prepared;
        Http client = "3".equals(actor) ? w.as(victim) : w.as(actor);
        return client.delete("/api/v1/users/" + victim.username() + "/", Map.of("confirm", victim.username()));
    }

    /** The owner of the actor's project: actor 3 for the personal project, the organization owner otherwise. */
    private static TestData.User owner(MatrixWorld w, String actor) {
        return "3".equals(actor) ? w.user("3") : w.user("9");
    }

    private static void withQgisFile(MatrixWorld w, String actor) {
        w.data.jdbc().sql("UPDATE projects SET the_qgis_file_name = 'project.qgs' WHERE id = :p").param("p", w.project(actor).id()).update();
    }

    private static String upload(MatrixWorld w, String actor, String name) {
        Http.Response r = new Multipart().file("file", name, TestData.unique("content").getBytes()).post(w.as(owner(w, actor)), files(w, actor) + name + "/");
        if (r.status() != 201) {
            throw new IllegalStateException("fixture upload failed: " + r);
        }
        return name;
    }

    /** Two versions of twice.txt; returns the older one's id. */
    private static Object twoVersions(MatrixWorld w, String actor) {
        upload(w, actor, "twice.txt");
        upload(w, actor, "twice.txt");
        JsonNode versions = w.as(owner(w, actor)).get("/api/v1/files/metadata/" + w.project(actor).id() + "/twice.txt/").json().get("versions");
        return versions.get(versions.size() - 1).get("version_id").asString();
    }

    private static Http.Response pushDelta(MatrixWorld w, String actor) {
        withQgisFile(w, actor);
        String deltafile = "{\"version\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"project\":\"" + w.project(actor).id()
                + "\",\"files\":[],\"deltas\":[{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + UUID.randomUUID()
                + "\",\"localPk\":\"1\",\"sourcePk\":\"\",\"localLayerId\":\"l\",\"sourceLayerId\":\"l\",\"method\":\"create\","
                + "\"new\":{\"attributes\":{\"a\":1}}}]}";
        return new Multipart().file("file", "deltafile.json", deltafile.getBytes()).post(w.as(actor), "/api/v1/deltas/" + w.project(actor).id() + "/");
    }

    /**
     * A delta stored straight into the database with the given status (no job takes a delta that is not pending,
     * and none is queued for this one), so that the probe alone decides what happens to it.
     */
    private static StoredDelta storedDelta(MatrixWorld w, String actor, String status) {
        withQgisFile(w, actor);
        UUID project = w.project(actor).id();
        UUID deltafile = UUID.randomUUID();
        UUID id = UUID.randomUUID();
        long push = w.data.jdbc().sql("INSERT INTO delta_pushes (project_id, deltafile_id, created_by) VALUES (:p, :f, :u) RETURNING id")
                .param("p", project).param("f", deltafile).param("u", owner(w, actor).id()).query(Long.class).single();
        w.data.jdbc().sql("""
                INSERT INTO deltas (id, push_id, project_id, deltafile_id, client_id, content, created_by, last_status)
                VALUES (:id, :push, :p, :f, :c, CAST(:content AS jsonb), :u, :s)""")
                .param("id", id).param("push", push).param("p", project).param("f", deltafile).param("c", UUID.randomUUID())
                .param("content", "{\"uuid\":\"" + id + "\",\"method\":\"create\",\"localLayerId\":\"l\",\"sourceLayerId\":\"l\"}")
                .param("u", owner(w, actor).id()).param("s", status).update();
        return new StoredDelta(id, deltafile);
    }

    private static String secretName() {
        return "V" + TestData.unique("S").toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    private static Secret createdSecret(MatrixWorld w, String path, TestData.User manager) {
        String name = secretName();
        return new Secret(w.as(manager).post(path, envvar(name, null)).json().get("id").asLong(), name);
    }

    private static Map<String, Object> envvar(Object name, String assignedTo) {
        return assignedTo == null ? Map.of("type", "envvar", "name", name, "value", "probe-value")
                : Map.of("type", "envvar", "name", name, "value", "probe-value", "assigned_to", assignedTo);
    }

    private static String files(MatrixWorld w, String actor) {
        return "/api/v1/files/" + w.project(actor).id() + "/";
    }

    private static String projectSecrets(MatrixWorld w, String actor) {
        return project(w, actor) + "secrets/";
    }

    private static String collaborators(MatrixWorld w, String actor) {
        return "/api/v1/collaborators/" + w.project(actor).id() + "/";
    }

    private static String project(MatrixWorld w, String actor) {
        return "/api/v1/projects/" + w.project(actor).id() + "/";
    }

    private static String members(MatrixWorld w) {
        return "/api/v1/members/" + w.org.username() + "/";
    }

    private static String organization(MatrixWorld w) {
        return "/api/v1/organizations/" + w.org.username() + "/";
    }

    private static String teams(MatrixWorld w) {
        return organization(w) + "teams/";
    }

    private static String team(MatrixWorld w) {
        return teams(w) + w.team.shortName() + "/";
    }
}
