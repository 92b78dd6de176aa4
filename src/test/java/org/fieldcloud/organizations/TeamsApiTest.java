package org.fieldcloud.organizations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.fieldcloud.organizations.MembersApiTest.assertBad;

import java.util.List;
import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;

/** Teams (reference §2.4 and the scenarios of §6.3 test_team.py). */
class TeamsApiTest extends ApiTest {

    private static String teams(OrgWorld w) {
        return "/api/v1/organizations/" + w.name() + "/teams/";
    }

    private List<String> teamNames(OrgWorld w) {
        return data.jdbc().sql("SELECT u.username FROM teams t JOIN users u ON u.id = t.user_id WHERE t.organization_id = :o ORDER BY 1")
                .param("o", w.org().id()).query(String.class).list();
    }

    @Test
    void anonymousIs401AndChangesNothing() {
        OrgWorld w = OrgWorld.create(data);
        TestData.Team t = data.team(w.org());
        assertThat(http.get(teams(w)).status()).isEqualTo(401);
        assertThat(http.post(teams(w), Map.of("team", "newteam")).status()).isEqualTo(401);
        assertThat(http.put(teams(w) + t.shortName() + "/", Map.of("team", "other")).status()).isEqualTo(401);
        assertThat(http.delete(teams(w) + t.shortName() + "/").status()).isEqualTo(401);
        assertThat(teamNames(w)).containsExactly(t.username());
    }

    @Test
    void memberCannotChangeTeamsOrTheirMembers() {
        OrgWorld w = OrgWorld.create(data);
        TestData.Team t = data.team(w.org(), w.admin());
        Http member = http.as(w.member());
        assertThat(member.post(teams(w), Map.of("team", "newteam")).status()).isEqualTo(403);
        assertThat(member.put(teams(w) + t.shortName() + "/", Map.of("team", "renamed")).status()).isEqualTo(403);
        assertThat(member.delete(teams(w) + t.shortName() + "/").status()).isEqualTo(403);
        assertThat(member.post(teams(w) + t.shortName() + "/members/", Map.of("member", w.member().username())).status()).isEqualTo(403);
        assertThat(member.delete(teams(w) + t.shortName() + "/members/" + w.admin().username() + "/").status()).isEqualTo(403);
        assertThat(teamNames(w)).containsExactly(t.username());
        assertThat(http.as(w.owner()).get(teams(w) + t.shortName() + "/members/").json().valueStream().map(m -> m.get("member").asString()).toList())
                .containsExactly(w.admin().username());
    }

    @Test
    void ownerCreatesRenamesAndDeletesATeam() {
        OrgWorld w = OrgWorld.create(data);
        Http owner = http.as(w.owner());
        Http.Response created = owner.post(teams(w), Map.of("team", "newteam"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("team").asString()).isEqualTo("newteam");
        assertThat(created.json().get("organization").asString()).isEqualTo(w.name());
        assertThat(created.json().get("members").size()).isZero();
        assertThat(teamNames(w)).containsExactly("@" + w.name() + "/newteam");

        Http.Response renamed = owner.put(teams(w) + "newteam/", Map.of("team", "updatedteam"));
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("team").asString()).isEqualTo("updatedteam");
        assertThat(teamNames(w)).containsExactly("@" + w.name() + "/updatedteam");

        assertThat(owner.delete(teams(w) + "updatedteam/").status()).isEqualTo(204);
        assertThat(teamNames(w)).isEmpty();
        assertThat(owner.get(teams(w) + "updatedteam/").status()).isEqualTo(404);
    }

    @Test
    void adminCreatesAndDeletesOwnerRenames() {
        OrgWorld w = OrgWorld.create(data);
        TestData.Team team1 = data.team(w.org());
        assertThat(http.as(w.admin()).post(teams(w), Map.of("team", "newteam")).status()).isEqualTo(201);
        assertThat(teamNames(w)).contains("@" + w.name() + "/newteam");
        assertThat(http.as(w.owner()).put(teams(w) + team1.shortName() + "/", Map.of("team", "newteamname")).status()).isEqualTo(200);
        assertThat(teamNames(w)).contains("@" + w.name() + "/newteamname").doesNotContain(team1.username());
        assertThat(http.as(w.admin()).delete(teams(w) + "newteamname/").status()).isEqualTo(204);
        assertThat(teamNames(w)).containsExactly("@" + w.name() + "/newteam");
    }

    @Test
    void adminRemovesATeamMember() {
        OrgWorld w = OrgWorld.create(data);
        TestData.Team t = data.team(w.org(), w.member());
        assertThat(http.as(w.admin()).delete(teams(w) + t.shortName() + "/members/" + w.member().username() + "/").status()).isEqualTo(204);
        assertThat(http.as(w.admin()).get(teams(w) + t.shortName() + "/members/").json().size()).isZero();
        assertThat(http.as(w.admin()).delete(teams(w) + t.shortName() + "/members/" + w.member().username() + "/").status()).isEqualTo(404);
    }

    @Test
    void emptyBodiesAre400AndChangeNothing() {
        OrgWorld w = OrgWorld.create(data);
        TestData.Team t = data.team(w.org());
        Http admin = http.as(w.admin());
        assertBad(admin.post(teams(w) + t.shortName() + "/members/", Map.of()), "'member'");
        assertBad(admin.put(teams(w) + t.shortName() + "/", Map.of()), "'team'");
        assertThat(teamNames(w)).containsExactly(t.username());
    }

    @Test
    void listsTeamsWithMembersAndGetsOneTeam() {
        OrgWorld w = OrgWorld.create(data);
        Http owner = http.as(w.owner());
        owner.post(teams(w), Map.of("team", "team1"));
        owner.post(teams(w), Map.of("team", "team2"));
        Http.Response list = owner.get(teams(w));
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().toString()).isEqualTo("[{\"team\":\"team1\",\"organization\":\"" + w.name() + "\",\"members\":[]},"
                + "{\"team\":\"team2\",\"organization\":\"" + w.name() + "\",\"members\":[]}]");
        Http.Response one = http.as(w.member()).get(teams(w) + "team1/");
        assertThat(one.json().toString()).isEqualTo("{\"team\":\"team1\",\"organization\":\"" + w.name() + "\",\"members\":[]}");

        assertThat(owner.post(teams(w) + "team1/members/", Map.of("member", w.admin().username())).status()).isEqualTo(201);
        Http.Response added = owner.post(teams(w) + "team1/members/", Map.of("member", w.member().username()));
        assertThat(added.json().toString()).isEqualTo("{\"member\":\"" + w.member().username() + "\"}");
        List<String> expected = List.of(w.admin().username(), w.member().username()).stream().sorted().toList();
        assertThat(http.as(w.member()).get(teams(w) + "team1/members/").json().valueStream().map(m -> m.get("member").asString()).toList())
                .isEqualTo(expected);
        assertThat(owner.get(teams(w) + "team1/").json().get("members").valueStream().map(m -> m.asString()).toList()).isEqualTo(expected);
    }

    @Test
    void teamMemberByEMailInSeveralTeamsButOnlyOrgMembersOrOwner() {
        OrgWorld w = OrgWorld.create(data);
        TestData.Team a = data.team(w.org());
        TestData.Team b = data.team(w.org());
        Http admin = http.as(w.admin());
        Http.Response byEmail = admin.post(teams(w) + a.shortName() + "/members/", Map.of("member", w.member().username().toUpperCase() + "@EXAMPLE.ORG"));
        assertThat(byEmail.status()).isEqualTo(201);
        assertThat(byEmail.json().get("member").asString()).isEqualTo(w.member().username());
        assertThat(admin.post(teams(w) + b.shortName() + "/members/", Map.of("member", w.member().username())).status()).isEqualTo(201);
        assertThat(admin.post(teams(w) + b.shortName() + "/members/", Map.of("member", w.owner().username())).status()).isEqualTo(201);

        Http.Response twice = admin.post(teams(w) + b.shortName() + "/members/", Map.of("member", w.member().username()));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().get("code").asString()).isEqualTo("validation_error");
        Http.Response outsider = admin.post(teams(w) + b.shortName() + "/members/", Map.of("member", w.outsider().username()));
        assertThat(outsider.status()).isEqualTo(400);
        assertThat(outsider.json().get("code").asString()).isEqualTo("validation_error");
        assertBad(admin.post(teams(w) + b.shortName() + "/members/", Map.of("member", w.name())), "'member'");
        assertBad(admin.post(teams(w) + b.shortName() + "/members/", Map.of("member", TestData.unique("ghost"))), "'member'");
        assertBad(admin.post(teams(w) + b.shortName() + "/members/", Map.of("member", 7)), "'member'");
        assertThat(admin.get(teams(w) + b.shortName() + "/").json().get("members").size()).isEqualTo(2);
    }

    @Test
    void badTeamNamesAre400NamingTheFieldAndStoreNothing() {
        OrgWorld w = OrgWorld.create(data);
        Http admin = http.as(w.admin());
        admin.post(teams(w), Map.of("team", "Field"));
        List<String> before = teamNames(w);
        assertBad(admin.post(teams(w), Map.of("team", "x".repeat(300))), "'team'");
        assertBad(admin.post(teams(w), Map.of("team", "Field")), "'team'");
        assertBad(admin.post(teams(w), Map.of("team", "FIELD")), "'team'");
        assertBad(admin.post(teams(w), Map.of("team", "")), "'team'");
        assertBad(admin.post(teams(w), Map.of("team", "   ")), "'team'");
        assertBad(admin.post(teams(w), Map.of("team", "a/b")), "'team'");
        assertBad(admin.post(teams(w), Map.of("team", " padded")), "'team'");
        assertBad(admin.post(teams(w), Map.of("team", 5)), "'team'");
        assertBad(admin.post(teams(w), Map.of()), "'team'");
        assertBad(admin.raw("POST", teams(w), "application/json", "{\"team\":"), "JSON");
        assertThat(teamNames(w)).isEqualTo(before);

        admin.post(teams(w), Map.of("team", "Other"));
        assertBad(admin.put(teams(w) + "Other/", Map.of("team", "field")), "'team'");
        assertBad(admin.put(teams(w) + "Other/", Map.of("team", "y".repeat(300))), "'team'");
        assertThat(admin.put(teams(w) + "Other/", Map.of("team", "OTHER")).status()).isEqualTo(200);
        assertThat(teamNames(w)).containsExactly("@" + w.name() + "/Field", "@" + w.name() + "/OTHER");
    }

    @Test
    void sameTeamNameInAnotherOrganizationIsFine() {
        OrgWorld w1 = OrgWorld.create(data);
        OrgWorld w2 = OrgWorld.create(data);
        assertThat(http.as(w1.owner()).post(teams(w1), Map.of("team", "field")).status()).isEqualTo(201);
        assertThat(http.as(w2.owner()).post(teams(w2), Map.of("team", "field")).status()).isEqualTo(201);
    }

    @Test
    void deletingATeamRemovesItsMembershipsAndCollaborations() {
        OrgWorld w = OrgWorld.create(data);
        TestData.Team t = data.team(w.org(), w.member());
        TestData.Project p = data.project(w.org());
        data.collaborator(p, t.id(), "editor");
        assertThat(http.as(w.admin()).delete(teams(w) + t.shortName() + "/").status()).isEqualTo(204);
        long left = data.jdbc().sql("""
                SELECT (SELECT count(*) FROM team_members WHERE team_id = :t) + (SELECT count(*) FROM project_collaborators WHERE collaborator_id = :t)
                     + (SELECT count(*) FROM users WHERE id = :t)""").param("t", t.id()).query(Long.class).single();
        assertThat(left).isZero();
    }

    @Test
    void patchIsNotAllowedOnATeam() {
        OrgWorld w = OrgWorld.create(data);
        TestData.Team t = data.team(w.org());
        Http.Response r = http.as(w.owner()).patch(teams(w) + t.shortName() + "/", Map.of("team", "patched"));
        assertThat(r.status()).isEqualTo(405);
        assertThat(teamNames(w)).containsExactly(t.username());
    }

    @Test
    void unknownTeamIs404() {
        OrgWorld w = OrgWorld.create(data);
        Http owner = http.as(w.owner());
        assertThat(owner.get(teams(w) + "nope/").status()).isEqualTo(404);
        assertThat(owner.get(teams(w) + "nope/members/").status()).isEqualTo(404);
        assertThat(owner.post(teams(w) + "nope/members/", Map.of("member", w.member().username())).status()).isEqualTo(404);
    }
}
