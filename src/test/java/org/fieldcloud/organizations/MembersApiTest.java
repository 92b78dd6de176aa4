package org.fieldcloud.organizations;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Organization members (reference §2.3 and the member scenarios of §6.7). */
class MembersApiTest extends ApiTest {

    private static String members(OrgWorld w) {
        return "/api/v1/members/" + w.name() + "/";
    }

    @Test
    void listExcludesTheOwnerAndShowsRoles() {
        OrgWorld w = OrgWorld.create(data);
        Http.Response r = http.as(w.outsider()).get(members(w));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().valueStream().map(m -> m.get("member").asString()).toList())
                .containsExactlyInAnyOrder(w.admin().username(), w.member().username(), w.creator().username())
                .doesNotContain(w.owner().username());
        JsonNode admin = r.json().valueStream().filter(m -> m.get("member").asString().equals(w.admin().username())).findFirst().orElseThrow();
        assertThat(admin.get("organization").asString()).isEqualTo(w.name());
        assertThat(admin.get("role").asString()).isEqualTo("admin");
        assertThat(admin.get("is_public").asBoolean()).isFalse();
    }

    @Test
    void listIsPaginatedWithReferenceHeaders() {
        OrgWorld w = OrgWorld.create(data);
        Http.Response r = http.as(w.owner()).get(members(w) + "?limit=2");
        assertThat(r.json().size()).isEqualTo(2);
        assertThat(r.header("X-Total-Count")).isEqualTo("3");
        assertThat(r.header("X-Next-Page")).contains("offset=2");
        Http.Response last = http.as(w.owner()).get(members(w) + "?limit=2&offset=2");
        assertThat(last.json().size()).isEqualTo(1);
        assertThat(last.header("X-Previous-Page")).contains("offset=0");
    }

    @Test
    void ownerAddsPatchesAndDeletesAMemberWithCreatedAndUpdatedBy() {
        OrgWorld w = OrgWorld.create(data);
        TestData.User newcomer = data.person("newcomer");
        Http owner = http.as(w.owner());
        Http.Response created = owner.post(members(w), Map.of("member", newcomer.username(), "role", "admin"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("member").asString()).isEqualTo(newcomer.username());
        assertThat(created.json().get("role").asString()).isEqualTo("admin");
        assertThat(created.json().get("created_by").asString()).isEqualTo(w.owner().username());
        assertThat(created.json().get("updated_by").asString()).isEqualTo(w.owner().username());

        Http.Response patched = http.as(w.admin()).patch(members(w) + newcomer.username() + "/", Map.of("role", "creator", "is_public", true));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.json().get("role").asString()).isEqualTo("creator");
        assertThat(patched.json().get("is_public").asBoolean()).isTrue();
        assertThat(patched.json().get("created_by").asString()).isEqualTo(w.owner().username());
        assertThat(patched.json().get("updated_by").asString()).isEqualTo(w.admin().username());
        assertThat(http.as(w.member()).get(members(w) + newcomer.username() + "/").json().get("role").asString()).isEqualTo("creator");

        assertThat(owner.delete(members(w) + newcomer.username() + "/").status()).isEqualTo(204);
        assertThat(w.roleOf(newcomer.username())).isNull();
        assertThat(owner.get(members(w) + newcomer.username() + "/").status()).isEqualTo(404);
    }

    @Test
    void formBodiesWorkLikeJson() {
        OrgWorld w = OrgWorld.create(data);
        String target = OrgWorld.plainPerson(data, "formed");
        Http.Response r = http.as(w.owner()).form("POST", members(w), Map.of("member", target, "role", "creator", "is_public", "true"));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("is_public").asBoolean()).isTrue();
        assertThat(w.roleOf(target)).isEqualTo("creator");
    }

    @Test
    void removingAMemberRemovesTheirTeamMembershipsAndCollaborationsOnOrgProjectsOnly() {
        OrgWorld w = OrgWorld.create(data);
        TestData.Project orgProject = data.project(w.org());
        TestData.Project personal = data.project(w.owner());
        data.collaborator(orgProject, w.member(), "editor");
        data.collaborator(personal, w.member(), "reader");
        TestData.Team team = data.team(w.org(), w.member(), w.admin());
        OrgWorld other = OrgWorld.create(data);
        data.member(other.org(), w.member(), "member");
        TestData.Team otherTeam = data.team(other.org(), w.member());

        assertThat(http.as(w.owner()).delete(members(w) + w.member().username() + "/").status()).isEqualTo(204);

        assertThat(collaborations(w.member().id())).containsExactly(personal.id().toString());
        assertThat(teamsOf(w.member().id())).containsExactly(otherTeam.id());
        assertThat(teamsOf(w.admin().id())).containsExactly(team.id());
    }

    @Test
    void memberCannotAddMembersUntilPromotedToAdmin() {
        OrgWorld w = OrgWorld.create(data);
        String target = OrgWorld.plainPerson(data, "wannabe");
        Http member = http.as(w.member());
        assertThat(member.post(members(w), Map.of("member", target)).status()).isEqualTo(403);
        assertThat(w.roleOf(target)).isNull();
        assertThat(http.as(w.owner()).patch(members(w) + w.member().username() + "/", Map.of("role", "admin")).status()).isEqualTo(200);
        Http.Response r = member.post(members(w), Map.of("member", target));
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("role").asString()).isEqualTo("member");
        assertThat(w.roleOf(target)).isEqualTo("member");
    }

    @Test
    void badInputIs400NamingTheFieldAndStoresNothing() {
        OrgWorld w = OrgWorld.create(data);
        Http owner = http.as(w.owner());
        String target = OrgWorld.plainPerson(data, "maybe");
        long before = w.memberCount();
        assertBad(owner.raw("POST", members(w), "application/json", "{\"member\": "), "JSON");
        assertBad(owner.post(members(w), Map.of()), "'member'");
        assertBad(owner.post(members(w), Map.of("member", 5)), "'member'");
        assertBad(owner.post(members(w), Map.of("member", target, "role", 5)), "'role'");
        assertBad(owner.post(members(w), Map.of("member", target, "role", "boss")), "'role'");
        assertBad(owner.post(members(w), Map.of("member", target, "is_public", "perhaps")), "'is_public'");
        assertBad(owner.raw("POST", members(w), "application/json", "[1,2]"), "object");
        assertThat(w.memberCount()).isEqualTo(before);

        String existing = w.member().username();
        assertBad(owner.patch(members(w) + existing + "/", Map.of("role", 5)), "'role'");
        assertBad(owner.put(members(w) + existing + "/", Map.of("role", "owner")), "'role'");
        assertBad(owner.patch(members(w) + existing + "/", Map.of("is_public", List.of())), "'is_public'");
        assertBad(owner.patch(members(w) + existing + "/", Map.of("member", target)), "'member'");
        assertThat(w.roleOf(existing)).isEqualTo("member");
    }

    @Test
    void ownerNonPersonsAndExistingMembersAreValidationErrorsUnknownUsersAre404() {
        OrgWorld w = OrgWorld.create(data);
        Http owner = http.as(w.owner());
        TestData.Team team = data.team(w.org());
        OrgWorld other = OrgWorld.create(data);
        long before = w.memberCount();
        for (String member : List.of(w.owner().username(), other.name(), team.username(), w.member().username())) {
            Http.Response r = owner.post(members(w), Map.of("member", member));
            assertThat(r.status()).as(member + ": " + r).isEqualTo(400);
            assertThat(r.json().get("code").asString()).isEqualTo("validation_error");
            assertThat(r.json().get("message").asString()).contains("'member'");
        }
        Http.Response unknown = owner.post(members(w), Map.of("member", TestData.unique("ghost")));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().get("code").asString()).isEqualTo("object_not_found");
        assertThat(w.memberCount()).isEqualTo(before);
        assertThat(owner.get(members(w) + TestData.unique("ghost") + "/").status()).isEqualTo(404);
        assertThat(owner.patch(members(w) + w.outsider().username() + "/", Map.of("role", "admin")).status()).isEqualTo(404);
        assertThat(owner.delete(members(w) + w.outsider().username() + "/").status()).isEqualTo(404);
    }

    @Test
    void memberLimitOfThePlanBlocksAdditionsButNotUpdates() {
        TestData.User staff = data.staff("staff");
        String code = TestData.unique("two_seats");
        assertThat(http.as(staff).post("/api/v1/plans/", Map.of("code", code, "display_name", "Two seats", "user_type", 2,
                "max_organization_members", 2)).status()).isEqualTo(201);
        TestData.User owner = data.person("owner");
        TestData.Org org = data.organization(owner);
        Http h = http.as(owner);
        assertThat(h.put("/api/v1/organizations/" + org.username() + "/plan/", Map.of("plan", code)).status()).isEqualTo(200);
        String first = OrgWorld.plainPerson(data, "first");
        assertThat(h.post("/api/v1/members/" + org.username() + "/", Map.of("member", first)).status()).isEqualTo(201);

        Http.Response full = h.post("/api/v1/members/" + org.username() + "/", Map.of("member", OrgWorld.plainPerson(data, "second")));
        assertThat(full.status()).isEqualTo(403);
        assertThat(full.json().get("code").asString()).isEqualTo("organization_has_max_number_of_members");
        assertThat(memberCount(org)).isEqualTo(1);

        Http.Response update = h.patch("/api/v1/members/" + org.username() + "/" + first + "/", Map.of("role", "admin"));
        assertThat(update.status()).isEqualTo(200);
        assertThat(update.json().get("role").asString()).isEqualTo("admin");
    }

    private long memberCount(TestData.Org org) {
        return data.jdbc().sql("SELECT count(*) FROM organization_members WHERE organization_id = :o").param("o", org.id()).query(Long.class).single();
    }

    private List<String> collaborations(long userId) {
        return data.jdbc().sql("SELECT project_id::text FROM project_collaborators WHERE collaborator_id = :u").param("u", userId).query(String.class).list();
    }

    private List<Long> teamsOf(long userId) {
        return data.jdbc().sql("SELECT team_id FROM team_members WHERE member_id = :u").param("u", userId).query(Long.class).list();
    }

    /** A malformed request (JSON, a missing or wrongly typed field): reference §1.6 answers {@code api_error}. */
    static void assertBad(Http.Response r, String mentioned) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("code").asString()).as(r.toString()).isEqualTo("api_error");
        assertThat(r.json().get("message").asString()).contains(mentioned);
    }
}
