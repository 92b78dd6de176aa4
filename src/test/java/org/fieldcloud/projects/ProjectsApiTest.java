package org.fieldcloud.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ProjectsApiTest extends ApiTest {

    private static final List<String> FIELDS = List.of("id", "name", "project_type", "owner", "description", "private", "is_public",
            "created_at", "updated_at", "data_last_packaged_at", "data_last_updated_at", "restricted_data_last_updated_at",
            "can_repackage", "needs_repackaging", "status", "user_role", "user_role_origin", "shared_datasets_project_id",
            "is_shared_datasets_project", "is_featured", "is_attachment_download_on_demand", "has_restricted_projectfiles",
            "overwrite_conflicts", "file_storage_bytes", "the_qgis_file_name");

    @Test
    void createPersonalProjectAndReadItBack() {
        TestData.User alice = data.person("alice");
        String name = TestData.unique("survey");
        Http.Response created = http.as(alice).post("/api/v1/projects/", Map.of("name", name, "description", "trees", "private", true));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode body = created.json();
        assertThat(body.get("owner").asString()).isEqualTo(alice.username());
        assertThat(body.get("is_public").asBoolean()).isFalse();
        assertThat(body.has("user_role")).isFalse();
        assertThat(body.get("status").asString()).isEqualTo("failed");

        Http.Response got = http.as(alice).get("/api/v1/projects/" + body.get("id").asString() + "/");
        assertThat(got.status()).isEqualTo(200);
        JsonNode project = got.json();
        assertThat(fieldNames(project)).containsExactlyElementsOf(FIELDS);
        assertThat(project.get("user_role").asString()).isEqualTo("admin");
        assertThat(project.get("user_role_origin").asString()).isEqualTo("project_owner");
        assertThat(project.get("description").asString()).isEqualTo("trees");
        assertThat(project.get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}(Z|[+-]\\d\\d:\\d\\d)");
    }

    @Test
    void statusIsOkOnceTheProjectHasItsQgisFileAndDetails() {
        TestData.User alice = data.person("alice");
        TestData.Project p = data.project(alice);
        data.jdbc().sql("UPDATE projects SET the_qgis_file_name = 'p.qgs', project_details = '{}' WHERE id = :id").param("id", p.id()).update();
        assertThat(http.as(alice).get("/api/v1/projects/" + p.id() + "/").json().get("status").asString()).isEqualTo("ok");
    }

    @Test
    void duplicateNamePerOwnerIsRefusedButOtherOwnersMayReuseIt() {
        TestData.User alice = data.person("alice");
        TestData.User bob = data.person("bob");
        String name = TestData.unique("dup");
        assertThat(http.as(alice).post("/api/v1/projects/", Map.of("name", name)).status()).isEqualTo(201);
        Http.Response again = http.as(alice).post("/api/v1/projects/", Map.of("name", name));
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.json().get("code").asString()).isEqualTo("project_already_exists");
        assertThat(http.as(bob).post("/api/v1/projects/", Map.of("name", name)).status()).isEqualTo(201);
    }

    @Test
    void creationForOrganizationsFollowsTheOrganizationRole() {
        TestData.User owner = data.person("owner");
        TestData.User admin = data.person("admin");
        TestData.User creator = data.person("creator");
        TestData.User member = data.person("member");
        TestData.Org org = data.organization(owner);
        data.member(org, admin, "admin");
        data.member(org, creator, "creator");
        data.member(org, member, "member");
        for (TestData.User allowed : List.of(owner, admin, creator)) {
            Http.Response r = http.as(allowed).post("/api/v1/projects/", Map.of("name", TestData.unique("p"), "owner", org.username()));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(r.json().get("owner").asString()).isEqualTo(org.username());
        }
        Http.Response denied = http.as(member).post("/api/v1/projects/", Map.of("name", TestData.unique("p"), "owner", org.username()));
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("message").asString()).contains("owner");
        assertThat(collaboratorRoles(org.id(), creator.id())).containsExactly("admin");
        assertThat(collaboratorRoles(org.id(), admin.id())).isEmpty();
        assertThat(collaboratorRoles(org.id(), owner.id())).isEmpty();
    }

    @Test
    void creationForAnotherPersonOrTeamIsForbiddenAndUnknownOwnerIsNotFound() {
        TestData.User alice = data.person("alice");
        TestData.User bob = data.person("bob");
        TestData.Org org = data.organization(alice);
        TestData.Team team = data.team(org, alice);
        assertThat(http.as(alice).post("/api/v1/projects/", Map.of("name", "x1", "owner", bob.username())).status()).isEqualTo(403);
        assertThat(http.as(alice).post("/api/v1/projects/", Map.of("name", "x2", "owner", team.username())).status()).isEqualTo(403);
        Http.Response unknown = http.as(alice).post("/api/v1/projects/", Map.of("name", "x3", "owner", "nobody_" + UUID.randomUUID()));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(http.as((String) null).post("/api/v1/projects/", Map.of("name", "x4")).status()).isEqualTo(401);
        assertThat(projectCount(bob.id()) + projectCount(team.id())).isZero();
    }

    @Test
    void listShowsReachableProjectsWithFiltersOrderingAndPagination() {
        TestData.User alice = data.person("alice");
        TestData.User bob = data.person("bob");
        String prefix = "lst" + Long.toString(System.nanoTime(), 36);
        String a = create(alice, prefix + "-a", Map.of());
        create(alice, prefix + "-c", Map.of());
        String featured = create(alice, prefix + "-z", Map.of());
        data.jdbc().sql("UPDATE projects SET is_featured = true WHERE id = :id").param("id", UUID.fromString(featured)).update();
        String bobs = create(bob, prefix + "-b", Map.of("is_public", true));

        assertThat(names(http.as(alice).get("/api/v1/projects/"))).containsExactly(prefix + "-z", prefix + "-a", prefix + "-c");
        assertThat(names(http.as(alice).get("/api/v1/projects/?include_public=1&search=" + prefix))).contains(prefix + "-b").hasSize(4);
        assertThat(names(http.as(alice).get("/api/v1/projects/?include-public=1&search=" + prefix))).hasSize(4);
        assertThat(names(http.as(alice).get("/api/v1/projects/?ordering=-name"))).containsExactly(prefix + "-z", prefix + "-c", prefix + "-a");
        assertThat(names(http.as(alice).get("/api/v1/projects/?name=" + prefix.toUpperCase() + "-A"))).containsExactly(prefix + "-a");
        assertThat(names(http.as(alice).get("/api/v1/projects/?owner=" + alice.username().toUpperCase()))).hasSize(3);
        assertThat(names(http.as(alice).get("/api/v1/projects/?include_public=1&owner=" + bob.username()))).containsExactly(prefix + "-b");

        Http.Response page = http.as(alice).get("/api/v1/projects/?limit=2&offset=1&ordering=name");
        assertThat(page.header("X-Total-Count")).isEqualTo("3");
        assertThat(names(page)).containsExactly(prefix + "-c", prefix + "-z");
        assertThat(page.header("X-Previous-Page")).contains("offset=0");

        // Scoped to this test's projects: other classes' public projects must not push these off the page.
        Http.Response publicList = http.as(alice).get("/api/v1/projects/public/?search=" + prefix);
        assertThat(ids(publicList)).contains(bobs).doesNotContain(a);
        JsonNode entry = find(publicList, bobs);
        assertThat(entry.get("user_role").asString()).isEqualTo("reader");
        assertThat(entry.get("user_role_origin").asString()).isEqualTo("public");
        assertThat(http.as((String) null).get("/api/v1/projects/").status()).isEqualTo(401);
        assertThat(http.as((String) null).get("/api/v1/projects/public/").status()).isEqualTo(401);
    }

    @Test
    void unknownOrderingOrFlagIsABadRequest() {
        TestData.User alice = data.person("alice");
        Http.Response r = http.as(alice).get("/api/v1/projects/?ordering=password");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asString()).contains("ordering");
        assertThat(http.as(alice).get("/api/v1/projects/public/?ordering=name,bogus").status()).isEqualTo(400);
        assertThat(http.as(alice).get("/api/v1/projects/?include_public=maybe").status()).isEqualTo(400);
    }

    @Test
    void updateRenamesAndDeleteRemoves() {
        TestData.User alice = data.person("alice");
        String id = create(alice, TestData.unique("old"), Map.of());
        String newName = TestData.unique("new");
        Http.Response patched = http.as(alice).patch("/api/v1/projects/" + id + "/", Map.of("name", newName, "is_public", true));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().get("name").asString()).isEqualTo(newName);
        assertThat(patched.json().get("private").asBoolean()).isFalse();
        Http.Response put = http.as(alice).put("/api/v1/projects/" + id + "/", Map.of("description", "no name"));
        assertThat(put.status()).isEqualTo(400);
        assertThat(put.json().get("message").asString()).contains("'name'");
        assertThat(http.as(alice).put("/api/v1/projects/" + id + "/", Map.of("name", newName, "private", true)).json()
                .get("is_public").asBoolean()).isFalse();
        assertThat(http.as(alice).delete("/api/v1/projects/" + id + "/").status()).isEqualTo(204);
        assertThat(http.as(alice).get("/api/v1/projects/" + id + "/").status()).isEqualTo(404);
    }

    @Test
    void changingOwnerNeedsAdminRoleAndTheRightToCreateForTheNewOwner() {
        TestData.User alice = data.person("alice");
        TestData.User manager = data.person("manager");
        TestData.User stranger = data.person("stranger");
        TestData.Org aliceOrg = data.organization(alice);
        TestData.Org foreignOrg = data.organization(stranger);
        data.member(aliceOrg, manager, "member");
        TestData.Project p = data.project(aliceOrg);
        data.collaborator(p, manager, "manager");
        String path = "/api/v1/projects/" + p.id() + "/";

        assertThat(http.as(manager).patch(path, Map.of("owner", manager.username())).status()).isEqualTo(403);
        assertThat(http.as(alice).patch(path, Map.of("owner", foreignOrg.username())).status()).isEqualTo(403);
        assertThat(http.as(alice).patch(path, Map.of("owner", stranger.username())).status()).isEqualTo(403);
        assertThat(http.as(alice).patch(path, Map.of("owner", "ghost_" + UUID.randomUUID())).status()).isEqualTo(404);
        assertThat(ownerOf(p.id())).isEqualTo(aliceOrg.id());
        Http.Response moved = http.as(alice).patch(path, Map.of("owner", alice.username()));
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
        assertThat(moved.json().get("owner").asString()).isEqualTo(alice.username());
        assertThat(ownerOf(p.id())).isEqualTo(alice.id());
    }

    /** reference-api-core §6.2 scenario 1: a collaborator cannot take over someone else's project. */
    @Test
    void takeoverThroughOwnerChangeIsRefused() {
        TestData.User user1 = data.person("user1");
        TestData.User user2 = data.person("user2");
        TestData.Org org1 = data.organization(user1);
        TestData.Project project = data.project(user1);
        assertThat(ids(http.as(user1).get("/api/v1/projects/"))).containsExactly(project.id().toString());
        Http.Response renamed = http.as(user1).patch("/api/v1/projects/" + project.id() + "/",
                Map.of("name", "renamed-project", "owner", org1.username()));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(ids(http.as(user2).get("/api/v1/projects/"))).isEmpty();

        data.member(org1, user2, "member");
        data.collaborator(project, user2, "reader");
        assertThat(names(http.as(user2).get("/api/v1/projects/"))).containsExactly("renamed-project");
        Http.Response stolen = http.as(user2).patch("/api/v1/projects/" + project.id() + "/",
                Map.of("name", "stolen-project", "owner", user2.username()));
        assertThat(stolen.status() / 100).isNotEqualTo(2);
        assertThat(names(http.as(user2).get("/api/v1/projects/"))).containsExactly("renamed-project");
        assertThat(ownerOf(project.id())).isEqualTo(org1.id());
    }

    private String create(TestData.User owner, String name, Map<String, Object> extra) {
        Map<String, Object> body = new java.util.HashMap<>(extra);
        body.put("name", name);
        Http.Response r = http.as(owner).post("/api/v1/projects/", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("id").asString();
    }

    private List<String> collaboratorRoles(long orgId, long userId) {
        return data.jdbc().sql("SELECT c.role FROM project_collaborators c JOIN projects p ON p.id = c.project_id WHERE p.owner_id = :o AND c.collaborator_id = :u")
                .param("o", orgId).param("u", userId).query(String.class).list();
    }

    private long projectCount(long ownerId) {
        return data.jdbc().sql("SELECT count(*) FROM projects WHERE owner_id = :o").param("o", ownerId).query(Long.class).single();
    }

    private long ownerOf(UUID project) {
        return data.jdbc().sql("SELECT owner_id FROM projects WHERE id = :id").param("id", project).query(Long.class).single();
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.propertyNames().forEach(names::add);
        return names;
    }

    static List<String> names(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().forEach(n -> out.add(n.get("name").asString()));
        return out;
    }

    static List<String> ids(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().forEach(n -> out.add(n.get("id").asString()));
        return out;
    }

    static JsonNode find(Http.Response r, String id) {
        for (JsonNode n : r.json()) {
            if (n.get("id").asString().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("project " + id + " not in " + r);
    }
}
