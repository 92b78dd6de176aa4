package org.fieldcloud.organizations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fieldcloud.organizations.MembersApiTest.assertBad;

import java.util.HashMap;
import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Creating, deleting and transferring organizations (D3) and the organization object of the users endpoints (§6.7). */
class OrganizationsApiTest extends ApiTest {

    private long accountsNamed(String name) {
        return data.jdbc().sql("SELECT count(*) FROM users WHERE upper(username) = upper(:n)").param("n", name).query(Long.class).single();
    }

    @Test
    void anyPersonCreatesAnOrganizationAndOwnsIt() {
        TestData.User alice = data.person("alice");
        String name = TestData.unique("Acme");
        Http.Response r = http.as(alice).post("/api/v1/organizations/", Map.of("username", name, "email", "info@acme.example"));
        assertThat(r.status()).isEqualTo(201);
        JsonNode org = r.json();
        assertThat(org.get("username").asString()).isEqualTo(name);
        assertThat(org.get("type").asInt()).isEqualTo(2);
        assertThat(org.get("email").asString()).isEqualTo("info@acme.example");
        assertThat(org.get("organization_owner").asString()).isEqualTo(alice.username());
        assertThat(org.get("membership_role").asString()).isEqualTo("admin");
        assertThat(org.get("membership_role_origin").asString()).isEqualTo("organization_owner");
        assertThat(org.get("members").size()).isZero();
        assertThat(http.as(alice).get("/api/v1/users/" + name + "/").json().get("organization_owner").asString()).isEqualTo(alice.username());
        assertThat(http.as(alice).get("/api/v1/members/" + name + "/").json().size()).isZero();
    }

    @Test
    void badOrganizationNamesAre400NamingTheFieldAndStoreNothing() {
        TestData.User alice = data.person("alice");
        Http h = http.as(alice);
        String taken = TestData.unique("Taken");
        assertThat(h.post("/api/v1/organizations/", Map.of("username", taken)).status()).isEqualTo(201);
        assertBad(h.post("/api/v1/organizations/", Map.of("username", taken.toUpperCase())), "'username'");
        assertBad(h.post("/api/v1/organizations/", Map.of("username", taken.toLowerCase())), "'username'");
        assertThat(accountsNamed(taken)).isEqualTo(1);
        assertBad(h.post("/api/v1/organizations/", Map.of("username", alice.username().toUpperCase())), "'username'");

        for (String bad : new String[] {"members", "Organization", "ab", "1org", "bad name!", "x".repeat(151), ""}) {
            assertBad(h.post("/api/v1/organizations/", Map.of("username", bad)), "'username'");
            assertThat(accountsNamed(bad)).as(bad).isZero();
        }
        assertBad(h.post("/api/v1/organizations/", Map.of("username", 5)), "'username'");
        assertBad(h.post("/api/v1/organizations/", Map.of()), "'username'");
        String fine = TestData.unique("fine");
        assertBad(h.post("/api/v1/organizations/", Map.of("username", fine, "email", "not-an-address")), "'email'");
        assertBad(h.post("/api/v1/organizations/", Map.of("username", fine, "email", false)), "'email'");
        assertBad(h.raw("POST", "/api/v1/organizations/", "application/json", "{\"username\": \"" + fine), "JSON");
        assertThat(accountsNamed(fine)).isZero();
    }

    @Test
    void ownerDeletesTheOrganizationWithItsProjectsTeamsAndMembers() {
        OrgWorld w = OrgWorld.create(data);
        TestData.Project p = data.project(w.org());
        TestData.Team t = data.team(w.org(), w.member());
        data.collaborator(p, t.id(), "editor");
        Http owner = http.as(w.owner());
        assertBad(owner.delete("/api/v1/organizations/" + w.name() + "/", Map.of()), "'confirm'");
        assertBad(owner.delete("/api/v1/organizations/" + w.name() + "/", Map.of("confirm", w.name().toUpperCase())), "'confirm'");
        assertThat(w.memberCount()).isEqualTo(3);

        assertThat(owner.delete("/api/v1/organizations/" + w.name() + "/", Map.of("confirm", w.name())).status()).isEqualTo(204);
        long left = data.jdbc().sql("""
                SELECT (SELECT count(*) FROM users WHERE id IN (:o, :t)) + (SELECT count(*) FROM projects WHERE id = :p)
                     + (SELECT count(*) FROM organization_members WHERE organization_id = :o)
                     + (SELECT count(*) FROM team_members WHERE team_id = :t)""")
                .param("o", w.org().id()).param("t", t.id()).param("p", p.id()).query(Long.class).single();
        assertThat(left).isZero();
        assertThat(owner.get("/api/v1/users/" + w.name() + "/").status()).isEqualTo(404);
        assertThat(http.as(w.member()).get("/api/v1/auth/user/").status()).isEqualTo(200);
    }

    @Test
    void ownershipTransferMakesTheOldOwnerAnAdminMember() {
        OrgWorld w = OrgWorld.create(data);
        Http.Response r = http.as(w.owner()).post("/api/v1/organizations/" + w.name() + "/transfer/", Map.of("new_owner", w.member().username()));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("organization_owner").asString()).isEqualTo(w.member().username());
        assertThat(r.json().get("membership_role").asString()).isEqualTo("admin");
        assertThat(r.json().get("membership_role_origin").asString()).isEqualTo("organization_member");
        assertThat(w.roleOf(w.member().username())).isNull();
        assertThat(w.roleOf(w.owner().username())).isEqualTo("admin");

        Http.Response oldOwnerTries = http.as(w.owner()).post("/api/v1/organizations/" + w.name() + "/transfer/", Map.of("new_owner", w.admin().username()));
        assertThat(oldOwnerTries.status()).isEqualTo(403);
        JsonNode seenByNewOwner = http.as(w.member()).get("/api/v1/users/" + w.name() + "/").json();
        assertThat(seenByNewOwner.get("membership_role_origin").asString()).isEqualTo("organization_owner");
    }

    @Test
    void transferOnlyToAnExistingMember() {
        OrgWorld w = OrgWorld.create(data);
        Http owner = http.as(w.owner());
        String path = "/api/v1/organizations/" + w.name() + "/transfer/";
        for (String who : new String[] {w.outsider().username(), w.owner().username(), TestData.unique("ghost")}) {
            Http.Response r = owner.post(path, Map.of("new_owner", who));
            assertThat(r.status()).as(who).isEqualTo(400);
            assertThat(r.json().get("message").asString()).contains("'new_owner'");
        }
        assertBad(owner.post(path, Map.of()), "'new_owner'");
        assertBad(owner.post(path, Map.of("new_owner", 12)), "'new_owner'");
        assertThat(http.as(w.owner()).get("/api/v1/users/" + w.name() + "/").json().get("organization_owner").asString()).isEqualTo(w.owner().username());
        assertThat(w.memberCount()).isEqualTo(3);
    }

    @Test
    void organizationObjectShowsOnlyPublicMembers() {
        OrgWorld w = OrgWorld.create(data);
        http.as(w.owner()).patch("/api/v1/members/" + w.name() + "/" + w.creator().username() + "/", Map.of("is_public", true));
        JsonNode org = http.as(w.owner()).get("/api/v1/users/" + w.name() + "/").json();
        assertThat(org.get("type").asInt()).isEqualTo(2);
        assertThat(org.get("organization_owner").asString()).isEqualTo(w.owner().username());
        assertThat(org.get("members").valueStream().map(JsonNode::asString).toList()).containsExactly(w.creator().username());
        JsonNode asCreator = http.as(w.creator()).get("/api/v1/users/" + w.name() + "/").json();
        assertThat(asCreator.get("membership_role").asString()).isEqualTo("creator");
        assertThat(asCreator.get("membership_is_public").asBoolean()).isTrue();
    }

    @Test
    void myOrganizationsCarryTheOwnerAnnotations() {
        OrgWorld w = OrgWorld.create(data);
        Http.Response r = http.as(w.owner()).get("/api/v1/users/" + w.owner().username() + "/organizations/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().size()).isEqualTo(1);
        JsonNode org = r.json().get(0);
        assertThat(org.get("username").asString()).isEqualTo(w.name());
        assertThat(org.get("membership_role").asString()).isEqualTo("admin");
        assertThat(org.get("membership_role_origin").asString()).isEqualTo("organization_owner");
        assertThat(org.get("membership_is_public").asBoolean()).isTrue();
    }

    @Test
    void adminSetsAndUnsetsTheDefaultProjectRoleForMembers() {
        OrgWorld w = OrgWorld.create(data);
        TestData.Project p = data.project(w.org());
        Http admin = http.as(w.admin());
        String path = "/api/v1/users/" + w.name() + "/";
        assertThat(http.as(w.member()).get("/api/v1/users/" + w.name() + "/").json().get("default_project_role_for_members").isNull()).isTrue();

        Http.Response set = admin.patch(path, Map.of("default_project_role_for_members", "editor"));
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("default_project_role_for_members").asString()).isEqualTo("editor");
        assertThat(roleOn(p, w.member())).isEqualTo("editor");

        assertBad(admin.patch(path, Map.of("default_project_role_for_members", "owner")), "'default_project_role_for_members'");
        assertBad(admin.patch(path, Map.of("default_project_role_for_members", 5)), "'default_project_role_for_members'");
        assertBad(admin.patch(path, Map.of("default_project_role_for_members", "reader", "username", "ab")), "'username'");
        assertThat(http.as(w.member()).patch(path, Map.of("default_project_role_for_members", "admin")).status()).isEqualTo(403);
        assertThat(roleOn(p, w.member())).isEqualTo("editor");

        assertThat(admin.patch(path, Map.of("default_project_role_for_members", "")).json().get("default_project_role_for_members").isNull()).isTrue();
        assertThat(roleOn(p, w.member())).isNull();
        admin.patch(path, Map.of("default_project_role_for_members", "reader"));
        Map<String, Object> unset = new HashMap<>();
        unset.put("default_project_role_for_members", null);
        assertThat(admin.patch(path, unset).json().get("default_project_role_for_members").isNull()).isTrue();
        assertThat(admin.patch(path, Map.of("first_name", "Acme")).json().get("default_project_role_for_members").isNull()).isTrue();
    }

    private String roleOn(TestData.Project p, TestData.User u) {
        return data.jdbc().sql("SELECT role FROM project_roles_of(:u) WHERE project_id = :p").param("u", u.id()).param("p", p.id())
                .query(String.class).optional().orElse(null);
    }
}
