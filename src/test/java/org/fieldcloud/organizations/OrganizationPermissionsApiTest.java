package org.fieldcloud.organizations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fieldcloud.organizations.OrgWorld.Actor.ADMIN;
import static org.fieldcloud.organizations.OrgWorld.Actor.ANONYMOUS;
import static org.fieldcloud.organizations.OrgWorld.Actor.CREATOR;
import static org.fieldcloud.organizations.OrgWorld.Actor.MEMBER;
import static org.fieldcloud.organizations.OrgWorld.Actor.OUTSIDER;
import static org.fieldcloud.organizations.OrgWorld.Actor.OWNER;

import java.util.EnumMap;
import java.util.Map;
import java.util.function.BiFunction;
import org.fieldcloud.organizations.OrgWorld.Actor;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;

/**
 * Every cell of permissions.md rows 5–9, 30–31 and 33–36 for actors 1 (anonymous), 2 (unrelated person),
 * 9 (owner), 10 (admin), 11 (member) and C (creator), as real HTTP requests. Each cell acts on its own
 * target (a fresh member, team or organization) so that allowed cells do not disturb the others.
 */
class OrganizationPermissionsApiTest extends ApiTest {

    /** Expected statuses, in the order anonymous, outsider, owner, admin, member, creator. */
    private static Map<Actor, Integer> expect(int anonymous, int outsider, int owner, int admin, int member, int creator) {
        Map<Actor, Integer> m = new EnumMap<>(Actor.class);
        m.put(ANONYMOUS, anonymous);
        m.put(OUTSIDER, outsider);
        m.put(OWNER, owner);
        m.put(ADMIN, admin);
        m.put(MEMBER, member);
        m.put(CREATOR, creator);
        return m;
    }

    /** Runs one action for every actor against one world and checks each status. */
    private void row(String label, Map<Actor, Integer> expected, BiFunction<OrgWorld, Http, Http.Response> action) {
        OrgWorld world = OrgWorld.create(data);
        expected.forEach((actor, status) -> {
            Http.Response r = action.apply(world, http.as(world.user(actor)));
            assertThat(r.status()).as(label + " as " + actor + ": " + r).isEqualTo(status);
        });
    }

    /** Like {@link #row} but with a fresh world per actor, for actions that destroy or hand over the organization. */
    private void rowFreshWorld(String label, Map<Actor, Integer> expected, BiFunction<OrgWorld, Http, Http.Response> action) {
        expected.forEach((actor, status) -> {
            OrgWorld world = OrgWorld.create(data);
            Http.Response r = action.apply(world, http.as(world.user(actor)));
            assertThat(r.status()).as(label + " as " + actor + ": " + r).isEqualTo(status);
        });
    }

    @Test
    void row5ListMembers() {
        row("list members", expect(401, 200, 200, 200, 200, 200), (w, h) -> h.get("/api/v1/members/" + w.name() + "/"));
    }

    @Test
    void row6AddMember() {
        row("add member", expect(401, 403, 201, 201, 403, 403),
                (w, h) -> h.post("/api/v1/members/" + w.name() + "/", Map.of("member", OrgWorld.plainPerson(data, "new"))));
    }

    @Test
    void row6DeniedAddsStoreNothing() {
        OrgWorld w = OrgWorld.create(data);
        long before = w.memberCount();
        for (TestData.User u : new TestData.User[] {null, w.outsider(), w.member(), w.creator()}) {
            http.as(u).post("/api/v1/members/" + w.name() + "/", Map.of("member", OrgWorld.plainPerson(data, "new")));
        }
        assertThat(w.memberCount()).isEqualTo(before);
    }

    @Test
    void row7GetMember() {
        row("get member", expect(401, 200, 200, 200, 200, 200), (w, h) -> h.get("/api/v1/members/" + w.name() + "/" + w.member().username() + "/"));
    }

    @Test
    void row8ChangeMemberRole() {
        row("change member role", expect(401, 403, 200, 200, 403, 403), (w, h) -> {
            String target = w.newMember();
            Http.Response r = h.patch("/api/v1/members/" + w.name() + "/" + target + "/", Map.of("role", "creator"));
            assertThat(w.roleOf(target)).isEqualTo(r.status() == 200 ? "creator" : "member");
            return r;
        });
    }

    @Test
    void row8NoteBAdminCannotChangeTheOwnerNorMakeAnOwner() {
        OrgWorld w = OrgWorld.create(data);
        Http admin = http.as(w.admin());
        Http.Response r = admin.patch("/api/v1/members/" + w.name() + "/" + w.owner().username() + "/", Map.of("role", "member"));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("code").asString()).isEqualTo("permission_denied");
        assertThat(admin.put("/api/v1/members/" + w.name() + "/" + w.member().username() + "/", Map.of("role", "owner")).status()).isEqualTo(400);
        assertThat(admin.post("/api/v1/members/" + w.name() + "/", Map.of("member", OrgWorld.plainPerson(data, "x"), "role", "owner")).status())
                .isEqualTo(400);
        assertThat(w.roleOf(w.member().username())).isEqualTo("member");
        assertThat(w.jdbc().sql("SELECT owner_id FROM organizations WHERE user_id = :o").param("o", w.org().id()).query(Long.class).single())
                .isEqualTo(w.owner().id());
    }

    @Test
    void row9RemoveMember() {
        row("remove member", expect(401, 403, 204, 204, 403, 403), (w, h) -> {
            String target = w.newMember();
            Http.Response r = h.delete("/api/v1/members/" + w.name() + "/" + target + "/");
            assertThat(w.roleOf(target)).isEqualTo(r.status() == 204 ? null : "member");
            return r;
        });
    }

    @Test
    void row9NoteBAdminCannotRemoveTheOwner() {
        OrgWorld w = OrgWorld.create(data);
        Http.Response r = http.as(w.admin()).delete("/api/v1/members/" + w.name() + "/" + w.owner().username() + "/");
        assertThat(r.status()).isEqualTo(403);
        assertThat(http.as(w.owner()).get("/api/v1/users/" + w.name() + "/").json().get("organization_owner").asString())
                .isEqualTo(w.owner().username());
    }

    @Test
    void row30OrganizationProfile() {
        row("get org profile", expect(401, 404, 200, 200, 200, 200), (w, h) -> h.get("/api/v1/users/" + w.name() + "/"));
    }

    @Test
    void row31UpdateOrganizationProfile() {
        row("update org profile", expect(401, 403, 200, 200, 403, 403), (w, h) -> {
            String last = TestData.unique("n");
            Http.Response r = h.patch("/api/v1/users/" + w.name() + "/", Map.of("last_name", last));
            String stored = w.jdbc().sql("SELECT last_name FROM users WHERE id = :o").param("o", w.org().id()).query(String.class).single();
            assertThat(stored.equals(last)).isEqualTo(r.status() == 200);
            return r;
        });
    }

    @Test
    void row33CreateOrganization() {
        row("create org", expect(401, 201, 201, 201, 201, 201),
                (w, h) -> h.post("/api/v1/organizations/", Map.of("username", TestData.unique("neworg"))));
    }

    @Test
    void row34DeleteOrganization() {
        rowFreshWorld("delete org", expect(401, 403, 204, 403, 403, 403), (w, h) -> {
            Http.Response r = h.delete("/api/v1/organizations/" + w.name() + "/", Map.of("confirm", w.name()));
            boolean exists = w.jdbc().sql("SELECT EXISTS (SELECT 1 FROM users WHERE id = :o)").param("o", w.org().id()).query(Boolean.class).single();
            assertThat(exists).isEqualTo(r.status() != 204);
            return r;
        });
    }

    @Test
    void row34TransferOwnership() {
        rowFreshWorld("transfer org", expect(401, 403, 200, 403, 403, 403),
                (w, h) -> h.post("/api/v1/organizations/" + w.name() + "/transfer/", Map.of("new_owner", w.admin().username())));
    }

    @Test
    void row34ChangePlan() {
        row("change org plan", expect(401, 403, 200, 403, 403, 403),
                (w, h) -> h.put("/api/v1/organizations/" + w.name() + "/plan/", Map.of("plan", "default_org")));
    }

    @Test
    void row35ListTeamsTeamAndTeamMembers() {
        row("list teams", expect(401, 403, 200, 200, 200, 200), (w, h) -> h.get("/api/v1/organizations/" + w.name() + "/teams/"));
        row("get team", expect(401, 403, 200, 200, 200, 200), (w, h) -> {
            TestData.Team t = data.team(w.org(), w.member());
            return h.get("/api/v1/organizations/" + w.name() + "/teams/" + t.shortName() + "/");
        });
        row("list team members", expect(401, 403, 200, 200, 200, 200), (w, h) -> {
            TestData.Team t = data.team(w.org(), w.member());
            return h.get("/api/v1/organizations/" + w.name() + "/teams/" + t.shortName() + "/members/");
        });
    }

    @Test
    void row36CreateRenameDeleteTeam() {
        row("create team", expect(401, 403, 201, 201, 403, 403),
                (w, h) -> h.post("/api/v1/organizations/" + w.name() + "/teams/", Map.of("team", TestData.unique("t"))));
        row("rename team", expect(401, 403, 200, 200, 403, 403), (w, h) -> {
            TestData.Team t = data.team(w.org());
            return h.put("/api/v1/organizations/" + w.name() + "/teams/" + t.shortName() + "/", Map.of("team", TestData.unique("r")));
        });
        row("delete team", expect(401, 403, 204, 204, 403, 403), (w, h) -> {
            TestData.Team t = data.team(w.org());
            return h.delete("/api/v1/organizations/" + w.name() + "/teams/" + t.shortName() + "/");
        });
    }

    @Test
    void row36AddAndRemoveTeamMembers() {
        row("add team member", expect(401, 403, 201, 201, 403, 403), (w, h) -> {
            TestData.Team t = data.team(w.org());
            return h.post("/api/v1/organizations/" + w.name() + "/teams/" + t.shortName() + "/members/", Map.of("member", w.member().username()));
        });
        row("remove team member", expect(401, 403, 204, 204, 403, 403), (w, h) -> {
            TestData.Team t = data.team(w.org(), w.member());
            return h.delete("/api/v1/organizations/" + w.name() + "/teams/" + t.shortName() + "/members/" + w.member().username() + "/");
        });
    }

    @Test
    void unknownOrganizationIs404ForPersonsAnd401ForAnonymous() {
        TestData.User u = data.person("someone");
        String missing = TestData.unique("nosuchorg");
        assertThat(http.as(u).get("/api/v1/members/" + missing + "/").status()).isEqualTo(404);
        assertThat(http.as(u).get("/api/v1/organizations/" + missing + "/teams/").status()).isEqualTo(404);
        assertThat(http.get("/api/v1/members/" + missing + "/").status()).isEqualTo(401);
    }
}
