package org.fieldcloud.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class CollaboratorsApiTest extends ApiTest {

    /** reference-api-core §6.1. */
    @Test
    void ownerAddsACollaboratorAndUnknownUsersAreRefused() {
        TestData.User user1 = data.person("user1");
        TestData.User user2 = data.person("user2");
        TestData.Project p = data.project(user1);
        Http.Response r = http.as(user1).post(path(p), Map.of("collaborator", user2.username(), "role", "reporter"));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("collaborator").asString()).isEqualTo(user2.username());
        assertThat(r.json().get("role").asString()).isEqualTo("reporter");
        assertThat(r.json().get("project_id").asString()).isEqualTo(p.id().toString());
        assertThat(r.json().get("created_by").asString()).isEqualTo(user1.username());
        assertThat(r.json().has("is_incognito")).isFalse();
        assertThat(roles(p)).containsExactly("reporter");

        Http.Response unknown = http.as(user1).post(path(p), Map.of("collaborator", "no_such_user", "role", "reader"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("message").asString()).contains("collaborator");
        assertThat(roles(p)).hasSize(1);
    }

    /** DECISIONS D3: the reference's own test adds a manager to a personal project; we refuse it clearly. */
    @Test
    void personalProjectsTakeOnlyReportersAndReadersAndNoTeams() {
        TestData.User owner = data.person("owner");
        TestData.User other = data.person("other");
        TestData.Org org = data.organization(owner);
        TestData.Team team = data.team(org, other);
        TestData.Project p = data.project(owner);
        for (String role : List.of("admin", "manager", "editor")) {
            Http.Response r = http.as(owner).post(path(p), Map.of("collaborator", other.username(), "role", role));
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().get("code").asString()).isEqualTo("validation_error");
            assertThat(r.json().get("message").asString()).contains("personal project").contains("role");
        }
        Http.Response teamOnPersonal = http.as(owner).post(path(p), Map.of("collaborator", team.username(), "role", "reader"));
        assertThat(teamOnPersonal.status()).isEqualTo(400);
        assertThat(teamOnPersonal.json().get("message").asString()).contains("Teams");
        assertThat(roles(p)).isEmpty();

        assertThat(http.as(owner).post(path(p), Map.of("collaborator", other.username())).json().get("role").asString()).isEqualTo("reader");
        assertThat(http.as(owner).patch(path(p) + other.username() + "/", Map.of("role", "editor")).status()).isEqualTo(400);
        assertThat(roles(p)).containsExactly("reader");
    }

    @Test
    void organizationProjectRulesOwnerMembershipTeamsAndDuplicates() {
        TestData.User owner = data.person("owner");
        TestData.User member = data.person("member");
        TestData.User outsider = data.person("outsider");
        TestData.Org org = data.organization(owner);
        TestData.Org otherOrg = data.organization(outsider);
        data.member(org, member, "member");
        TestData.Team ownTeam = data.team(org, member);
        TestData.Team foreignTeam = data.team(otherOrg, outsider);
        TestData.Project p = data.project(org);

        assertValidationError(http.as(owner).post(path(p), Map.of("collaborator", org.username())), 400, "organization");
        assertValidationError(http.as(owner).post(path(p), Map.of("collaborator", outsider.username())), 400, "member");
        assertValidationError(http.as(owner).post(path(p), Map.of("collaborator", foreignTeam.username())), 400, "another organization");
        assertThat(http.as(owner).post(path(p), Map.of("collaborator", member.username(), "role", "editor")).status()).isEqualTo(201);
        assertValidationError(http.as(owner).post(path(p), Map.of("collaborator", member.username())), 400, "already");
        Http.Response team = http.as(owner).post(path(p), Map.of("collaborator", ownTeam.username(), "role", "manager"));
        assertThat(team.status()).as(team.toString()).isEqualTo(201);
        assertThat(http.as(owner).post(path(p), Map.of("collaborator", owner.username(), "role", "admin")).status())
                .as("the organization owner may also be a collaborator").isEqualTo(201);

        TestData.Project personal = data.project(owner);
        assertValidationError(http.as(owner).post(path(personal), Map.of("collaborator", owner.username())), 400, "owns");

        Http.Response teamDetail = http.as(owner).get(path(p) + ownTeam.username() + "/");
        assertThat(teamDetail.status()).as(teamDetail.toString()).isEqualTo(200);
        assertThat(teamDetail.json().get("role").asString()).isEqualTo("manager");
        assertThat(http.as(owner).delete(path(p) + ownTeam.username() + "/").status()).isEqualTo(204);
    }

    @Test
    void detailUpdateAndRemoval() {
        TestData.User owner = data.person("owner");
        TestData.User member = data.person("member");
        TestData.Org org = data.organization(owner);
        data.member(org, member, "member");
        TestData.Project p = data.project(org);
        data.collaborator(p, member, "reader");
        String detail = path(p) + member.username() + "/";
        assertThat(http.as(owner).get(detail).json().get("role").asString()).isEqualTo("reader");
        Http.Response patched = http.as(owner).patch(detail, Map.of("role", "editor"));
        assertThat(patched.json().get("role").asString()).isEqualTo("editor");
        assertThat(patched.json().get("updated_by").asString()).isEqualTo(owner.username());
        assertThat(http.as(owner).put(detail, Map.of("role", "manager")).status()).isEqualTo(400);
        assertThat(http.as(owner).put(detail, Map.of("collaborator", owner.username(), "role", "manager")).status()).isEqualTo(400);
        assertThat(http.as(owner).put(detail, Map.of("collaborator", member.username(), "role", "manager")).json().get("role").asString())
                .isEqualTo("manager");
        assertThat(http.as(owner).get(path(p) + owner.username() + "/").status()).isEqualTo(404);
        assertThat(http.as(owner).get(path(p) + "nobody_at_all/").status()).isEqualTo(404);
        assertThat(http.as(owner).delete(detail).status()).isEqualTo(204);
        assertThat(roles(p)).isEmpty();
        assertThat(http.as(owner).get("/api/v1/collaborators/00000000-0000-0000-0000-000000000000/").status()).isEqualTo(404);
        assertThat(http.as((String) null).post("/api/v1/collaborators/00000000-0000-0000-0000-000000000000/", Map.of()).status()).isEqualTo(401);
    }

    @Test
    void listIsPaginated() {
        TestData.User owner = data.person("owner");
        TestData.Org org = data.organization(owner);
        TestData.Project p = data.project(org);
        for (int i = 0; i < 3; i++) {
            TestData.User u = data.person("c" + i);
            data.member(org, u, "member");
            data.collaborator(p, u, "reader");
        }
        Http.Response page = http.as(owner).get(path(p) + "?limit=2");
        assertThat(page.json().size()).isEqualTo(2);
        assertThat(page.header("X-Total-Count")).isEqualTo("3");
        assertThat(page.header("X-Next-Page")).contains("offset=2");
        assertThat(http.as(owner).get(path(p)).json().size()).isEqualTo(3);
    }

    @Test
    void privateProjectsRespectTheOwnersPlanLimitAndPremiumRule() {
        TestData.User owner = data.person("owner");
        TestData.User first = data.person("first");
        TestData.User second = data.person("second");
        TestData.User plain = data.person("plain");
        TestData.Org org = data.organization(owner);
        for (TestData.User u : List.of(first, second, plain)) {
            data.member(org, u, "member");
        }
        TestData.Team team = data.team(org, second);
        Plans.assign(data, org.id(), 2, true, 1);
        Plans.assign(data, plain.id(), 1, false, -1);
        TestData.Project p = data.project(org);

        assertThat(http.as(owner).post(path(p), Map.of("collaborator", first.username())).status()).isEqualTo(201);
        Http.Response over = http.as(owner).post(path(p), Map.of("collaborator", second.username()));
        assertThat(over.status()).isEqualTo(403);
        assertThat(over.json().get("message").asString()).contains("plan allows (1)");
        assertThat(http.as(owner).post(path(p), Map.of("collaborator", team.username(), "role", "editor")).status())
                .as("teams are not counted").isEqualTo(201);

        Plans.assign(data, org.id(), 2, true, 5);
        Http.Response notPremium = http.as(owner).post(path(p), Map.of("collaborator", plain.username()));
        assertThat(notPremium.status()).isEqualTo(403);
        assertThat(notPremium.json().get("message").asString()).contains("premium");

        data.jdbc().sql("UPDATE projects SET is_public = true WHERE id = :id").param("id", p.id()).update();
        Plans.assign(data, org.id(), 2, true, 0);
        assertThat(http.as(owner).post(path(p), Map.of("collaborator", plain.username())).status()).as("public: no limit").isEqualTo(201);
        assertThat(http.as(owner).post(path(p), Map.of("collaborator", second.username())).status()).isEqualTo(201);
    }

    @Test
    void concurrentAdditionsCannotExceedThePlanLimit() throws Exception {
        TestData.User owner = data.person("owner");
        TestData.Org org = data.organization(owner);
        Plans.assign(data, org.id(), 2, true, 1);
        TestData.Project p = data.project(org);
        List<TestData.User> candidates = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            TestData.User u = data.person("racer" + i);
            data.member(org, u, "member");
            candidates.add(u);
        }
        List<java.util.concurrent.Future<Http.Response>> results = new ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (TestData.User u : candidates) {
                results.add(pool.submit(() -> http.as(owner).post(path(p), Map.of("collaborator", u.username()))));
                results.add(pool.submit(() -> http.as(owner).post(path(p), Map.of("collaborator", u.username()))));
            }
        }
        List<Integer> statuses = new ArrayList<>();
        for (var f : results) {
            statuses.add(f.get().status());
        }
        assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
        assertThat(statuses).allMatch(s -> s == 201 || s == 400 || s == 403);
        assertThat(roles(p)).hasSize(1);
    }

    @Test
    void incognitoCollaboratorsAreStaffOnlyHiddenFromOthersAndNotCounted() {
        TestData.User staff = data.staff("staff");
        TestData.User manager = data.person("manager");
        TestData.User helper = data.staff("helper");
        TestData.User regular = data.person("regular");
        TestData.Org org = data.organization(staff);
        data.member(org, manager, "admin");
        data.member(org, helper, "member");
        data.member(org, regular, "member");
        Plans.assign(data, org.id(), 2, true, 1);
        TestData.Project p = data.project(org);

        Http.Response refused = http.as(manager).post(path(p), Map.of("collaborator", helper.username(), "is_incognito", true));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.json().get("message").asString()).contains("is_incognito");
        Http.Response added = http.as(staff).post(path(p), Map.of("collaborator", helper.username(), "role", "editor", "is_incognito", true));
        assertThat(added.status()).as(added.toString()).isEqualTo(201);
        assertThat(added.json().get("is_incognito").asBoolean()).isTrue();
        assertThat(http.as(manager).post(path(p), Map.of("collaborator", regular.username())).status())
                .as("incognito is not counted toward the limit of 1").isEqualTo(201);

        assertThat(collaborators(http.as(manager).get(path(p)))).containsExactly(regular.username());
        assertThat(http.as(manager).get(path(p) + "?limit=10").header("X-Total-Count")).isEqualTo("1");
        assertThat(http.as(manager).get(path(p) + helper.username() + "/").status()).isEqualTo(404);
        assertThat(http.as(manager).delete(path(p) + helper.username() + "/").status()).isEqualTo(404);
        assertThat(collaborators(http.as(staff).get(path(p)))).containsExactly(helper.username(), regular.username());

        Http.Response asHelper = http.as(helper).get("/api/v1/projects/" + p.id() + "/");
        assertThat(asHelper.status()).as("the incognito collaborator holds the role normally").isEqualTo(200);
        assertThat(asHelper.json().get("user_role").asString()).isEqualTo("editor");
        assertThat(http.as(regular).get("/api/v1/projects/" + p.id() + "/").status())
                .as("incognito rows do not make the project over-limit").isEqualTo(200);
    }

    /** DECISIONS D10.4 (security item 4): a manager once PATCHed themselves to admin and then created a project secret. */
    @Test
    void aManagerGrantsNoMoreThanManagerAndNeverTouchesAnAdmin() {
        TestData.User owner = data.person("owner");
        TestData.User manager = data.person("manager");
        TestData.User admin = data.person("admin");
        TestData.User orgAdmin = data.person("orgadmin");
        TestData.User newcomer = data.person("newcomer");
        TestData.User editor = data.person("editor");
        TestData.Org org = data.organization(owner);
        for (TestData.User u : List.of(manager, admin, newcomer, editor)) {
            data.member(org, u, "member");
        }
        data.member(org, orgAdmin, "admin");
        TestData.Project p = data.project(org.id(), true);
        data.collaborator(p, manager, "manager");
        data.collaborator(p, admin, "admin");
        data.collaborator(p, editor, "reader");

        Http.Response raise = http.as(manager).patch(path(p) + manager.username() + "/", Map.of("role", "admin"));
        assertValidationError(raise, 403, "'admin'");
        assertThat(raise.json().get("code").asString()).isEqualTo("permission_denied");
        Http.Response secret = http.as(manager).post("/api/v1/projects/" + p.id() + "/secrets/",
                Map.of("name", "STOLEN", "type", "envvar", "value", "x"));
        assertThat(secret.status()).as("still only a manager").isEqualTo(403);
        assertValidationError(http.as(manager).post(path(p), Map.of("collaborator", newcomer.username(), "role", "admin")), 403, "'admin'");
        assertValidationError(http.as(manager).patch(path(p) + admin.username() + "/", Map.of("role", "reader")), 403, "'admin'");
        assertValidationError(http.as(manager).put(path(p) + admin.username() + "/",
                Map.of("collaborator", admin.username(), "role", "admin")), 403, "'admin'");
        assertValidationError(http.as(manager).delete(path(p) + admin.username() + "/"), 403, "'admin'");
        assertThat(roleOf(p, manager)).isEqualTo("manager");
        assertThat(roleOf(p, admin)).isEqualTo("admin");
        assertThat(roleOf(p, newcomer)).isNull();

        assertThat(http.as(manager).patch(path(p) + editor.username() + "/", Map.of("role", "manager")).status())
                .as("up to their own role").isEqualTo(200);
        assertThat(http.as(manager).post(path(p), Map.of("collaborator", newcomer.username(), "role", "editor")).status()).isEqualTo(201);

        assertThat(http.as(orgAdmin).patch(path(p) + manager.username() + "/", Map.of("role", "admin")).status())
                .as("organization admins keep their rights").isEqualTo(200);
        assertThat(http.as(owner).delete(path(p) + admin.username() + "/").status()).isEqualTo(204);
        assertThat(roleOf(p, manager)).isEqualTo("admin");
        assertThat(roleOf(p, admin)).isNull();
    }

    /** reference-api-core §4.6: a body {@code projectid} never selects what is authorized. */
    @Test
    void bodyProjectIdDoesNotAuthorizeAnotherProject() {
        TestData.User attacker = data.person("attacker");
        TestData.User victim = data.person("victim");
        TestData.Project mine = data.project(attacker);
        TestData.Project theirs = data.project(victim);
        Http.Response r = http.as(attacker).post(path(theirs),
                Map.of("projectid", mine.id().toString(), "project", mine.id().toString(), "collaborator", attacker.username(), "role", "admin"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(roles(theirs)).isEmpty();
        Http.Response form = http.as(attacker).form("POST", path(theirs),
                Map.of("projectid", mine.id().toString(), "collaborator", attacker.username(), "role", "reader"));
        assertThat(form.status()).isEqualTo(403);
        assertThat(roles(theirs)).isEmpty();
    }

    private static void assertValidationError(Http.Response r, int status, String messagePart) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.json().get("message").asString()).contains(messagePart);
    }

    private static String path(TestData.Project p) {
        return "/api/v1/collaborators/" + p.id() + "/";
    }

    private List<String> roles(TestData.Project p) {
        return data.jdbc().sql("SELECT role FROM project_collaborators WHERE project_id = :p ORDER BY id").param("p", p.id()).query(String.class).list();
    }

    private String roleOf(TestData.Project p, TestData.User u) {
        return data.jdbc().sql("SELECT role FROM project_collaborators WHERE project_id = :p AND collaborator_id = :u")
                .param("p", p.id()).param("u", u.id()).query(String.class).optional().orElse(null);
    }

    private static List<String> collaborators(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode n : r.json()) {
            out.add(n.get("collaborator").asString());
        }
        return out;
    }
}
