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
 * perform its action as a given actor. A feature that adds an endpoint replaces its row's {@link #pending}
 * entry by probes; a row that is pending or absent here is reported as skipped, naming the row — never as
 * passed.
 */
final class PermissionProbes {

    /** Sends the request of one probe for one actor in a fresh world. */
    @FunctionalInterface
    interface Request {
        Http.Response send(MatrixWorld world, String actor);
    }

    /**
     * One request of a row. {@code listedProjectOf} is set for probes that answer by listing: there ✅ means
     * "the actor's target project is in the 200 list" and ❌ means "it is not" (401 for the anonymous).
     */
    record Probe(String label, Request request, boolean listing) {

        static Probe of(String label, Request request) {
            return new Probe(label, request, false);
        }

        static Probe listing(String label, Request request) {
            return new Probe(label, request, true);
        }
    }

    /** A row whose endpoints do not exist yet: the reason is shown in the skip message. */
    record Entry(List<Probe> probes, String pendingReason) {
        boolean pending() {
            return pendingReason != null;
        }
    }

    /** Rows about one project: the notes' variants (public, default role, creator) apply to them. */
    static final Set<Integer> PROJECT_ROWS = Set.of(1, 2, 3, 4, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26);

    static final Map<Integer, Entry> REGISTRY = registry();

    private PermissionProbes() { }

    private static Map<Integer, Entry> registry() {
        Map<Integer, Entry> r = new LinkedHashMap<>();
        r.put(1, probes(
                Probe.of("GET /collaborators/{project}/", (w, a) -> w.as(a).get(collaborators(w, a))),
                Probe.of("GET /collaborators/{project}/{reader}/", (w, a) -> w.as(a).get(collaborators(w, a) + w.user("8").username() + "/"))));
        r.put(2, probes(Probe.of("POST /collaborators/{project}/", (w, a) -> w.as(a).post(collaborators(w, a),
                Map.of("collaborator", w.spare().username(), "role", "reader")))));
        r.put(3, probes(Probe.of("PATCH /collaborators/{project}/{reader}/", (w, a) -> w.as(a).patch(
                collaborators(w, a) + w.user("8").username() + "/", Map.of("role", "reporter")))));
        r.put(4, probes(Probe.of("DELETE /collaborators/{project}/{reader}/", (w, a) -> w.as(a).delete(
                collaborators(w, a) + w.user("8").username() + "/"))));
        r.put(5, probes(Probe.of("GET /members/{org}/", (w, a) -> w.as(a).get(members(w)))));
        r.put(6, probes(Probe.of("POST /members/{org}/", (w, a) -> w.as(a).post(members(w),
                Map.of("member", w.user("3").username(), "role", "member")))));
        r.put(7, probes(Probe.of("GET /members/{org}/{member}/", (w, a) -> w.as(a).get(members(w) + w.spare().username() + "/"))));
        r.put(8, probes(Probe.of("PATCH /members/{org}/{member}/", (w, a) -> w.as(a).patch(members(w) + w.spare().username() + "/",
                Map.of("role", "creator")))));
        r.put(9, probes(Probe.of("DELETE /members/{org}/{member}/", (w, a) -> w.as(a).delete(members(w) + w.spare().username() + "/"))));
        r.put(10, probes(Probe.of("GET /projects/public/", (w, a) -> w.as(a).get("/api/v1/projects/public/?limit=1"))));
        r.put(11, probes(
                Probe.of("GET /projects/{project}/", (w, a) -> w.as(a).get(project(w, a))),
                Probe.listing("GET /projects/?include_public=1&name={project}", (w, a) -> w.as(a).get(
                        "/api/v1/projects/?include_public=1&name=" + w.project(a).name()))));
        r.put(12, probes(Probe.of("PATCH /projects/{project}/", (w, a) -> w.as(a).patch(project(w, a), Map.of("description", "changed")))));
        r.put(13, probes(Probe.of("POST /projects/ (personal for 1 and 2, for the organization otherwise)", PermissionProbes::createProject)));
        r.put(14, probes(Probe.of("DELETE /projects/{project}/", (w, a) -> w.as(a).delete(project(w, a)))));
        r.put(15, probes(Probe.of("PATCH /projects/{project}/ {owner}", PermissionProbes::changeOwner)));
        r.put(16, probes(Probe.of("POST /deltas/{project}/ (multipart deltafile with one create)", PermissionProbes::pushDelta)));
        r.put(17, probes(Probe.of("GET /deltas/{project}/", (w, a) -> w.as(a).get("/api/v1/deltas/" + w.project(a).id() + "/"))));
        r.put(18, probes(Probe.of("POST /deltas/apply/{project}/", (w, a) -> {
            withQgisFile(w, a);
            return w.as(a).post("/api/v1/deltas/apply/" + w.project(a).id() + "/", Map.of());
        })));
        r.put(19, probes(
                Probe.of("GET /files/{project}/", (w, a) -> w.as(a).get(files(w, a))),
                Probe.of("GET /files/{project}/{file}/", (w, a) -> {
                    upload(w, a, "readme.txt");
                    return w.as(a).get(files(w, a) + "readme.txt/");
                })));
        r.put(20, probes(Probe.of("POST /files/{project}/notes.txt/", (w, a) -> new Multipart().file("file", "notes.txt", "n".getBytes())
                .post(w.as(a), files(w, a) + "notes.txt/"))));
        r.put(21, probes(Probe.of("DELETE /files/{project}/{file}/", (w, a) -> {
            upload(w, a, "old.txt");
            return w.as(a).delete(files(w, a) + "old.txt/");
        })));
        r.put(22, probes(Probe.of("DELETE /files/{project}/{file}/?version={older}", (w, a) -> {
            upload(w, a, "twice.txt");
            upload(w, a, "twice.txt");
            JsonNode versions = w.as(owner(w, a)).get("/api/v1/files/metadata/" + w.project(a).id() + "/twice.txt/").json().get("versions");
            return w.as(a).delete(files(w, a) + "twice.txt/?version=" + versions.get(versions.size() - 1).get("version_id").asString());
        })));
        r.put(23, probes(Probe.of("POST /jobs/ {package} then GET /jobs/{id}/", (w, a) -> {
            Http.Response created = w.as(a).post("/api/v1/jobs/", Map.of("project_id", w.project(a).id().toString(), "type", "package"));
            return created.status() != 201 ? created : w.as(a).get("/api/v1/jobs/" + created.json().get("id").asString() + "/");
        })));
        r.put(24, probes(Probe.of("GET /jobs/{delta_apply job}/ with output and feedback", (w, a) -> {
            withQgisFile(w, a);
            String id = w.as(owner(w, a)).post("/api/v1/jobs/", Map.of("project_id", w.project(a).id().toString(), "type", "delta_apply", "force", true))
                    .json().get("id").asString();
            return w.as(a).get("/api/v1/jobs/" + id + "/");
        })));
        r.put(25, probes(Probe.of("POST /jobs/ {process_projectfile}", (w, a) -> {
            withQgisFile(w, a);
            return w.as(a).post("/api/v1/jobs/", Map.of("project_id", w.project(a).id().toString(), "type", "process_projectfile", "force", true));
        })));
        r.put(26, probes(
                Probe.of("GET /projects/{project}/secrets/", (w, a) -> w.as(a).get(projectSecrets(w, a))),
                Probe.of("POST /projects/{project}/secrets/", (w, a) -> w.as(a).post(projectSecrets(w, a), envvar())),
                Probe.of("DELETE /projects/{project}/secrets/{id}/", (w, a) -> w.as(a).delete(projectSecrets(w, a)
                        + w.as(owner(w, a)).post(projectSecrets(w, a), envvar()).json().get("id").asLong() + "/"))));
        r.put(27, probes(
                Probe.of("GET /organizations/{org}/secrets/", (w, a) -> w.as(a).get(organization(w) + "secrets/")),
                Probe.of("POST /organizations/{org}/secrets/", (w, a) -> w.as(a).post(organization(w) + "secrets/", envvar())),
                Probe.of("DELETE /organizations/{org}/secrets/{id}/", (w, a) -> w.as(a).delete(organization(w) + "secrets/"
                        + w.as(w.user("9")).post(organization(w) + "secrets/", envvar()).json().get("id").asLong() + "/"))));
        r.put(28, probes(Probe.of("GET /users/", (w, a) -> w.as(a).get("/api/v1/users/?limit=1"))));
        r.put(29, probes(Probe.of("GET /users/{actor 3}/", (w, a) -> w.as(a).get("/api/v1/users/" + w.user("3").username() + "/"))));
        r.put(30, probes(Probe.of("GET /users/{self} for 3, /users/{org}/ for 2 and members", PermissionProbes::detailedInformation)));
        r.put(31, probes(Probe.of("PATCH /users/{self} for 1–3, /users/{org}/ for members", PermissionProbes::updateAccount)));
        r.put(32, probes(Probe.of("DELETE /users/{fresh person}/ {confirm}", PermissionProbes::deleteAccount)));
        r.put(33, probes(Probe.of("POST /organizations/", (w, a) -> w.as(a).post("/api/v1/organizations/",
                Map.of("username", TestData.unique("neworg"))))));
        r.put(34, probes(
                Probe.of("DELETE /organizations/{org}/ {confirm}", (w, a) -> w.as(a).delete(organization(w), Map.of("confirm", w.org.username()))),
                Probe.of("POST /organizations/{org}/transfer/", (w, a) -> w.as(a).post(organization(w) + "transfer/",
                        Map.of("new_owner", w.user("10").username())))));
        r.put(35, probes(
                Probe.of("GET /organizations/{org}/teams/", (w, a) -> w.as(a).get(teams(w))),
                Probe.of("GET /organizations/{org}/teams/{team}/members/", (w, a) -> w.as(a).get(team(w) + "members/"))));
        r.put(36, probes(
                Probe.of("POST /organizations/{org}/teams/", (w, a) -> w.as(a).post(teams(w), Map.of("team", TestData.unique("team")))),
                Probe.of("PUT /organizations/{org}/teams/{team}/", (w, a) -> w.as(a).put(team(w), Map.of("team", TestData.unique("renamed")))),
                Probe.of("DELETE /organizations/{org}/teams/{team}/", (w, a) -> w.as(a).delete(team(w))),
                Probe.of("POST /organizations/{org}/teams/{team}/members/", (w, a) -> w.as(a).post(team(w) + "members/",
                        Map.of("member", w.spare().username()))),
                Probe.of("DELETE /organizations/{org}/teams/{team}/members/{member}/", (w, a) -> w.as(a).delete(
                        team(w) + "members/" + w.user("11").username() + "/"))));
        r.put(37, probes(Probe.of("POST /users/", (w, a) -> {
            String name = TestData.unique("made");
            return w.as(a).post("/api/v1/users/", Map.of("username", name, "email", name + "@example.org", "password", "a long password"));
        })));
        r.put(38, probes(Probe.of("GET /status/", (w, a) -> w.as(a).get("/api/v1/status/"))));
        return r;
    }

    private static Entry probes(Probe... probes) {
        return new Entry(List.of(probes), null);
    }

    private static Http.Response createProject(MatrixWorld w, String actor) {
        boolean forOrganization = Set.of("9", "10", "11", "C").contains(actor);
        Map<String, Object> body = forOrganization
                ? Map.of("name", TestData.unique("created"), "owner", w.org.username())
                : Map.of("name", TestData.unique("created"));
        return w.as(actor).post("/api/v1/projects/", body);
    }

    /** Actor 3 moves the personal project into an organization they own; everyone else takes the project for themselves. */
    private static Http.Response changeOwner(MatrixWorld w, String actor) {
        String newOwner = switch (actor) {
            case "1" -> w.user("2").username();
            case "3" -> w.data.organization(w.user("3")).username();
            default -> w.user(actor).username();
        };
        return w.as(actor).patch(project(w, actor), Map.of("owner", newOwner));
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

    /** Actor 3 is a fresh person here, because the request deletes them. */
    private static Http.Response deleteAccount(MatrixWorld w, String actor) {
        TestData.User victim = w.data.person("leaving");
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

    private static void upload(MatrixWorld w, String actor, String name) {
        Http.Response r = new Multipart().file("file", name, TestData.unique("content").getBytes()).post(w.as(owner(w, actor)), files(w, actor) + name + "/");
        if (r.status() != 201) {
            throw new IllegalStateException("fixture upload failed: " + r);
        }
    }

    private static Http.Response pushDelta(MatrixWorld w, String actor) {
        withQgisFile(w, actor);
        String deltafile = "{\"version\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"project\":\"" + w.project(actor).id()
                + "\",\"files\":[],\"deltas\":[{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + UUID.randomUUID()
                + "\",\"localPk\":\"1\",\"sourcePk\":\"\",\"localLayerId\":\"l\",\"sourceLayerId\":\"l\",\"method\":\"create\","
                + "\"new\":{\"attributes\":{\"a\":1}}}]}";
        return new Multipart().file("file", "deltafile.json", deltafile.getBytes()).post(w.as(actor), "/api/v1/deltas/" + w.project(actor).id() + "/");
    }

    private static Map<String, Object> envvar() {
        return Map.of("type", "envvar", "name", "V" + TestData.unique("S").toUpperCase().replaceAll("[^A-Z0-9]", "_"), "value", "probe-value");
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
