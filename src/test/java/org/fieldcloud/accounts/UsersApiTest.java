package org.fieldcloud.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/users/}: the user scenarios of reference-api-core §6.7 and bad input. */
class UsersApiTest extends ApiTest {

    private Map<String, Object> newUser(String username) {
        Map<String, Object> body = new HashMap<>();
        body.put("username", username);
        body.put("email", username.toLowerCase() + "@example.org");
        body.put("password", "pass");
        return body;
    }

    private long usersNamed(String username) {
        return data.jdbc().sql("SELECT count(*) FROM users WHERE upper(username) = upper(:u)").param("u", username).query(Long.class).single();
    }

    @Test
    void staffCreatesUsersWithNamesAndWithoutAcceptedTerms() {
        TestData.User staff = data.staff("staff");
        String name = TestData.unique("newbie");
        Map<String, Object> body = newUser(name);
        body.put("first_name", "New");
        body.put("last_name", "Bie");
        Http.Response r = http.as(staff).post("/api/v1/users/", body);
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("username").asString()).isEqualTo(name);
        assertThat(r.json().get("full_name").asString()).isEqualTo("New Bie");
        Boolean tos = data.jdbc().sql("SELECT has_accepted_tos FROM users WHERE username = :u").param("u", name).query(Boolean.class).single();
        assertThat(tos).isFalse();
        Http.Response login = http.post("/api/v1/auth/login/", Map.of("username", name, "password", "pass"));
        assertThat(login.status()).isEqualTo(200);
    }

    @Test
    void onlyStaffCreatesUsers() {
        String name = TestData.unique("x");
        assertThat(http.post("/api/v1/users/", newUser(name)).status()).isEqualTo(401);
        Http.Response r = http.as(data.person("plain")).post("/api/v1/users/", newUser(name));
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("code").asString()).isEqualTo("permission_denied");
        assertThat(usersNamed(name)).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"bad username!", "ab", "1badname", "users", "Projects", "qfield-files"})
    void invalidOrReservedUsernamesAreRefusedNamingTheField(String username) {
        Http.Response r = http.as(data.staff("staff")).post("/api/v1/users/", newUser(username));
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.json().get("message").asString()).contains("'username'");
        assertThat(usersNamed(username)).isZero();
    }

    @Test
    void overlongUsernameIsRefused() {
        String name = "a".repeat(300);
        Http.Response r = http.as(data.staff("staff")).post("/api/v1/users/", newUser(name));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asString()).contains("'username'").contains("150");
        assertThat(usersNamed(name)).isZero();
    }

    @Test
    void duplicateUsernamesIgnoringCaseAndDuplicateEmailsAreRefused() {
        TestData.User staff = data.staff("staff");
        TestData.User existing = data.person("taken");
        Map<String, Object> caseVariant = newUser(existing.username().toUpperCase());
        caseVariant.put("email", TestData.unique("other") + "@example.org");
        Http.Response dupName = http.as(staff).post("/api/v1/users/", caseVariant);
        assertThat(dupName.status()).as(dupName.toString()).isEqualTo(400);
        assertThat(dupName.json().get("message").asString()).contains("'username'");

        Map<String, Object> sameEmail = newUser(TestData.unique("fresh"));
        sameEmail.put("email", existing.username().toUpperCase() + "@EXAMPLE.org");
        Http.Response dupEmail = http.as(staff).post("/api/v1/users/", sameEmail);
        assertThat(dupEmail.status()).isEqualTo(400);
        assertThat(dupEmail.json().get("message").asString()).contains("'email'");
        assertThat(usersNamed((String) sameEmail.get("username"))).isZero();
    }

    @Test
    void missingOrMistypedFieldsAreBadRequests() {
        TestData.User staff = data.staff("staff");
        Map<String, Object> noEmail = newUser(TestData.unique("noemail"));
        noEmail.remove("email");
        Http.Response r = http.as(staff).post("/api/v1/users/", noEmail);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("message").asString()).contains("'email'");
        Map<String, Object> numeric = newUser(TestData.unique("num"));
        numeric.put("password", 12345);
        Http.Response typed = http.as(staff).post("/api/v1/users/", numeric);
        assertThat(typed.status()).isEqualTo(400);
        assertThat(typed.json().get("message").asString()).contains("'password'").contains("string");
        Http.Response array = http.as(staff).raw("POST", "/api/v1/users/", "application/json", "[1,2]");
        assertThat(array.status()).isEqualTo(400);
        assertThat(usersNamed((String) numeric.get("username"))).isZero();
    }

    @Test
    void selfSeesEmailOthersSeePublicFields() {
        TestData.User a = data.person("anna");
        TestData.User b = data.person("ben");
        JsonNode self = http.as(a).get("/api/v1/users/" + a.username() + "/").json();
        assertThat(self.get("email").asString()).isEqualTo(a.username() + "@example.org");
        assertThat(self.get("type").asInt()).isEqualTo(1);
        JsonNode other = http.as(b).get("/api/v1/users/" + a.username() + "/").json();
        assertThat(other.has("email")).isFalse();
        assertThat(other.get("username_display").asString()).isEqualTo(a.username());
        assertThat(http.get("/api/v1/users/" + a.username() + "/").status()).isEqualTo(401);
    }

    @Test
    void selfUpdatesNamesAndEmailButNotOthers() {
        TestData.User a = data.person("cara");
        TestData.User b = data.person("dan");
        String email = TestData.unique("new") + "@example.org";
        Http.Response r = http.as(a).patch("/api/v1/users/" + a.username() + "/", Map.of("first_name", "Cara", "last_name", "Doe", "email", email));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("first_name").asString()).isEqualTo("Cara");
        assertThat(r.json().get("email").asString()).isEqualTo(email);
        Http.Response other = http.as(b).patch("/api/v1/users/" + a.username() + "/", Map.of("first_name", "Evil"));
        assertThat(other.status()).isEqualTo(403);
        Http.Response taken = http.as(b).patch("/api/v1/users/" + b.username() + "/", Map.of("email", email.toUpperCase()));
        assertThat(taken.status()).as("duplicate e-mail is a 400, not a 500").isEqualTo(400);
        String first = data.jdbc().sql("SELECT first_name FROM users WHERE id = :id").param("id", a.id()).query(String.class).single();
        assertThat(first).isEqualTo("Cara");
    }

    @Test
    void listFiltersByQueryAndExcludesOrganizationsAndTeams() {
        TestData.User owner = data.person("lister");
        TestData.Org org = data.organization(owner);
        TestData.User member = data.person("lister");
        data.member(org, member, "member");
        TestData.Team team = data.team(org, member);
        String prefix = owner.username().substring(0, owner.username().indexOf('_'));
        List<String> all = names(http.as(owner).get("/api/v1/users/?q=" + org.username()));
        assertThat(all).containsExactly(org.username(), team.username());
        assertThat(names(http.as(owner).get("/api/v1/users/?exclude_teams=1&q=" + org.username()))).containsExactly(org.username());
        List<String> candidates = names(http.as(owner).get("/api/v1/users/?organization=" + org.username() + "&q=" + prefix));
        assertThat(candidates).doesNotContain(owner.username(), member.username(), org.username());
        List<String> inverted = names(http.as(owner).get("/api/v1/users/?organization=" + org.username() + "&invert=1"));
        assertThat(inverted).contains(member.username(), owner.username());
        assertThat(names(http.as(owner).get("/api/v1/users/?exclude_organizations=1&q=" + org.username()))).containsExactly(team.username());
        Http.Response badProject = http.as(owner).get("/api/v1/users/?project=not-a-uuid");
        assertThat(badProject.status()).isEqualTo(400);
        assertThat(http.as(owner).get("/api/v1/users/?organization=no_such_org_x").status()).isEqualTo(404);
    }

    @Test
    void listPaginatesWithReferenceHeaders() {
        TestData.User u = data.person("pager");
        Http.Response page = http.as(u).get("/api/v1/users/?limit=2&offset=1");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.json().size()).isEqualTo(2);
        long total = Long.parseLong(page.header("X-Total-Count"));
        assertThat(total).isGreaterThanOrEqualTo(3);
        assertThat(page.header("X-Previous-Page")).contains("offset=0");
        if (total > 3) {
            assertThat(page.header("X-Next-Page")).contains("offset=3").contains("limit=2");
        }
    }

    @Test
    void selfDeletionNeedsConfirmationAndNoOwnedOrganization() {
        TestData.User a = data.person("leaver");
        TestData.Project p = data.project(a);
        Http.Response unconfirmed = http.as(a).delete("/api/v1/users/" + a.username() + "/");
        assertThat(unconfirmed.status()).isEqualTo(400);
        assertThat(unconfirmed.json().get("message").asString()).contains("'confirm'");
        TestData.Org org = data.organization(a);
        Http.Response owning = http.as(a).delete("/api/v1/users/" + a.username() + "/", Map.of("confirm", a.username()));
        assertThat(owning.status()).isEqualTo(400);
        assertThat(owning.json().get("message").asString()).contains(org.username());
        data.jdbc().sql("DELETE FROM users WHERE id = :id").param("id", org.id()).update();
        TestData.User other = data.person("stayer");
        assertThat(http.as(other).delete("/api/v1/users/" + a.username() + "/", Map.of("confirm", a.username())).status()).isEqualTo(403);
        assertThat(http.as(a).delete("/api/v1/users/" + a.username() + "/", Map.of("confirm", a.username())).status()).isEqualTo(204);
        assertThat(usersNamed(a.username())).isZero();
        Long projects = data.jdbc().sql("SELECT count(*) FROM projects WHERE id = :p").param("p", p.id()).query(Long.class).single();
        assertThat(projects).as("personal projects go with the account").isZero();
    }

    /** DECISIONS D10.5 (security item 3): the project filter once listed any project's collaborators to anyone. */
    @Test
    void projectFilterAnswersOnlyThoseWhoMayListTheCollaboratorsAndHidesIncognitoOnes() {
        TestData.User owner = data.staff("fowner");
        TestData.User manager = data.person("fmanager");
        TestData.User secretive = data.person("fincognito");
        TestData.User stranger = data.person("fstranger");
        TestData.User reader = data.person("freader");
        TestData.Org org = data.organization(owner);
        for (TestData.User u : List.of(manager, secretive, reader)) {
            data.member(org, u, "member");
        }
        TestData.Project p = data.project(org.id(), true);
        data.collaborator(p, manager, "manager");
        data.collaborator(p, reader, "reader");
        data.jdbc().sql("INSERT INTO project_collaborators (project_id, collaborator_id, role, is_incognito) VALUES (:p, :c, 'editor', true)")
                .param("p", p.id()).param("c", secretive.id()).update();
        String filter = "/api/v1/users/?project=" + p.id();

        for (String query : List.of(filter + "&invert=1", filter, filter + "&invert=1&q=" + manager.username())) {
            for (TestData.User denied : List.of(stranger, reader)) {
                Http.Response r = http.as(denied).get(query);
                assertThat(r.status()).as(query + " as " + denied.username() + ": " + r).isEqualTo(403);
                assertThat(r.json().get("code").asString()).isEqualTo("permission_denied");
                assertThat(r.text()).doesNotContain(manager.username()).doesNotContain(secretive.username());
            }
        }
        Http.Response unknown = http.as(stranger).get("/api/v1/users/?project=" + java.util.UUID.randomUUID() + "&invert=1");
        assertThat(unknown.status()).as("like every endpoint for an unknown project").isEqualTo(404);
        assertThat(http.get(filter + "&invert=1").status()).isEqualTo(401);

        assertThat(names(http.as(manager).get(filter + "&invert=1")))
                .contains(manager.username(), reader.username(), org.username()).doesNotContain(secretive.username());
        assertThat(names(http.as(manager).get(filter + "&q=" + secretive.username())))
                .as("an incognito collaborator looks like any candidate").containsExactly(secretive.username());
        assertThat(names(http.as(owner).get(filter + "&invert=1"))).as("staff see incognito collaborators").contains(secretive.username());
    }

    /** DECISIONS D10.5: excluding a team's members revealed who they are to anyone. */
    @Test
    void teamFilterAnswersOnlyThoseWhoMayListTheOrganizationsTeams() {
        TestData.User owner = data.person("towner");
        TestData.User member = data.person("tmember");
        TestData.User hidden = data.person("thidden");
        TestData.User stranger = data.person("tstranger");
        TestData.Org org = data.organization(owner);
        data.member(org, member, "member");
        data.member(org, hidden, "member");
        TestData.Team team = data.team(org, hidden);
        String filter = "/api/v1/users/?exclude_members_of_team=" + team.id() + "&q=" + hidden.username();

        Http.Response refused = http.as(stranger).get(filter);
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.text()).doesNotContain(hidden.username());
        assertThat(names(http.as(member).get(filter))).as("members may list teams").isEmpty();
        assertThat(names(http.as(member).get("/api/v1/users/?q=" + hidden.username()))).containsExactly(hidden.username());
        assertThat(http.as(stranger).get("/api/v1/users/?exclude_members_of_team=" + owner.id()).status())
                .as("not a team").isEqualTo(404);
        Http.Response malformed = http.as(member).get("/api/v1/users/?exclude_members_of_team=abc");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asString()).contains("exclude_members_of_team");
    }

    private static List<String> names(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return StreamSupport.stream(r.json().spliterator(), false).map(n -> n.get("username").asString()).toList();
    }
}
