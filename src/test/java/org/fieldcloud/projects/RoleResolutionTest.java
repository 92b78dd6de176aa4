package org.fieldcloud.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The role-resolution cases of the reference's {@code test_queryset.py} (reference-api-core §6.7), observed
 * through {@code user_role}/{@code user_role_origin} of the projects API, plus the public-reader escalation
 * of §4.6.
 */
class RoleResolutionTest extends ApiTest {

    @Test
    void ownerIsAdminWithOriginProjectOwner() {
        TestData.User owner = data.person("owner");
        TestData.Project p = data.project(owner);
        assertRole(owner, p, "admin", "project_owner");
    }

    @Test
    void anyoneIsReaderOfAPublicProject() {
        TestData.User owner = data.person("owner");
        TestData.User stranger = data.person("stranger");
        TestData.Project p = data.project(owner.id(), true);
        assertRole(stranger, p, "reader", "public");
        assertThat(ProjectsApiTest.ids(http.as(stranger).get("/api/v1/projects/"))).doesNotContain(p.id().toString());
        assertThat(ProjectsApiTest.ids(http.as(stranger).get("/api/v1/projects/?include_public=1"))).contains(p.id().toString());
    }

    @Test
    void organizationOwnerAdminAndTeamMember() {
        TestData.User owner = data.person("owner");
        TestData.User admin = data.person("admin");
        TestData.User teamMember = data.person("teammate");
        TestData.Org org = data.organization(owner);
        data.member(org, admin, "admin");
        data.member(org, teamMember, "member");
        TestData.Team team = data.team(org, teamMember);
        TestData.Project p = data.project(org);
        data.collaborator(p, team.id(), "editor");
        assertRole(owner, p, "admin", "organization_owner");
        assertRole(admin, p, "admin", "organization_admin");
        assertRole(teamMember, p, "editor", "team_member");
    }

    @Test
    void defaultRoleForMembersGivesOriginOrganizationMember() {
        TestData.User owner = data.person("owner");
        TestData.User member = data.person("member");
        TestData.Org org = data.organization(owner);
        data.member(org, member, "member");
        data.defaultRole(org, "reporter");
        TestData.Project p = data.project(org);
        assertRole(member, p, "reporter", "organization_member");
    }

    @Test
    void overLimitPrivateProjectCannotBeRetrievedEvenByItsOwnerButStaysListedAsFailed() {
        TestData.User owner = data.person("owner");
        TestData.User reader = data.person("reader");
        TestData.Project p = data.project(owner);
        data.collaborator(p, reader, "reader");
        Plans.assign(data, owner.id(), 1, true, 0);
        Http.Response denied = http.as(owner).get("/api/v1/projects/" + p.id() + "/");
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.json().get("message").asString()).contains("collaborators");
        assertThat(http.as(reader).get("/api/v1/projects/" + p.id() + "/").status()).isEqualTo(403);
        JsonNode listed = ProjectsApiTest.find(http.as(owner).get("/api/v1/projects/"), p.id().toString());
        assertThat(listed.get("status").asString()).isEqualTo("failed");
        assertThat(listed.get("user_role").asString()).isEqualTo("admin");

        data.jdbc().sql("UPDATE projects SET is_public = true WHERE id = :id").param("id", p.id()).update();
        assertThat(http.as(owner).get("/api/v1/projects/" + p.id() + "/").status()).as("public projects have no limit").isEqualTo(200);
    }

    @Test
    void publicProjectCollaboratorNeedsOrganizationMembershipOnceMovedIntoAnOrganization() {
        TestData.User owner = data.person("owner");
        TestData.User manager = data.person("manager");
        TestData.Org org = data.organization(owner);
        TestData.Project p = data.project(org.id(), true);
        data.collaborator(p, manager, "manager");
        assertRole(manager, p, "manager", "collaborator");
        data.jdbc().sql("UPDATE projects SET is_public = false WHERE id = :id").param("id", p.id()).update();
        assertThat(http.as(manager).get("/api/v1/projects/" + p.id() + "/").status()).isEqualTo(403);
        data.member(org, manager, "member");
        assertRole(manager, p, "manager", "collaborator");
    }

    /** reference-api-core §4.6: holding the public reader role gives no write access, whatever the body says. */
    @Test
    void publicReaderCannotUpdateOrDeleteTheProject() {
        TestData.User owner = data.person("owner");
        TestData.User reader = data.person("reader");
        TestData.Project victim = data.project(owner.id(), true);
        TestData.Project own = data.project(reader);
        String path = "/api/v1/projects/" + victim.id() + "/";
        Http.Response patch = http.as(reader).patch(path, Map.of("projectid", own.id().toString(), "name", "pwned", "owner", reader.username()));
        assertThat(patch.status()).isEqualTo(403);
        assertThat(http.as(reader).delete(path, Map.of("projectid", own.id().toString())).status()).isEqualTo(403);
        JsonNode after = http.as(owner).get(path).json();
        assertThat(after.get("name").asString()).isEqualTo(victim.name());
        assertThat(after.get("owner").asString()).isEqualTo(owner.username());
    }

    private void assertRole(TestData.User user, TestData.Project p, String role, String origin) {
        Http.Response r = http.as(user).get("/api/v1/projects/" + p.id() + "/");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("user_role").asString()).isEqualTo(role);
        assertThat(r.json().get("user_role_origin").asString()).isEqualTo(origin);
        JsonNode listed = ProjectsApiTest.find(http.as(user).get("/api/v1/projects/?include_public=1&limit=1000"), p.id().toString());
        assertThat(listed.get("user_role").asString()).isEqualTo(role);
        assertThat(listed.get("user_role_origin").asString()).isEqualTo(origin);
    }
}
