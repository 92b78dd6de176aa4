package org.fieldcloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;

/** Every page renders for someone allowed to see it, and the settings, teams and delete forms do what they say. */
class WebPagesTest extends ApiTest {

    private WebSession signedIn(TestData.User user) {
        WebSession web = new WebSession("http://localhost:" + port);
        assertThat(web.signIn(user.username(), TestData.PASSWORD).status()).isEqualTo(302);
        return web;
    }

    @Test
    void everyTabRendersForTheOwner() {
        TestData.User owner = data.person("pages_owner");
        TestData.Org org = data.organization(owner);
        TestData.Project project = data.project(org);
        WebSession web = signedIn(owner);
        for (String tab : new String[] {"files", "jobs", "jobs/rows", "changes", "package", "collaborators", "settings", "secrets",
                "secrets?new=envvar", "secrets?new=pgservice", "secrets?person=" + owner.username()}) {
            assertThat(web.get("/projects/" + project.id() + "/" + tab).status()).as(tab).isEqualTo(200);
        }
        for (String tab : new String[] {"", "/teams", "/settings", "/secrets", "/secrets?new=pgservice",
                "/secrets?person=" + owner.username() + "&project=" + project.id()}) {
            assertThat(web.get("/organizations/" + org.username() + tab).status()).as("organization" + tab).isEqualTo(200);
        }
        WebSession.Page malformed = web.get("/organizations/" + org.username() + "/secrets?person=" + owner.username() + "&project=nope");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body()).contains("&#39;nope&#39; is not a valid project");
        assertThat(web.get("/projects?search=" + project.name() + "&include_public=1").body()).contains(project.name());
        assertThat(web.get("/projects?search=no-such-project-anywhere").body()).contains("No projects yet");
        assertThat(web.get("/organizations").body()).contains(org.username());
        assertThat(web.get("/account").status()).isEqualTo(200);
    }

    /** The page reuses the person's cached list (ProjectListCache) and still shows every change at once. */
    @Test
    void theProjectsPageShowsEveryChangeAtOnce() {
        TestData.User viewer = data.person("pages_lister");
        TestData.User other = data.person("pages_other");
        TestData.Project mine = data.project(viewer);
        TestData.Project theirs = data.project(other);
        WebSession web = signedIn(viewer);
        assertThat(web.get("/projects").body()).contains(mine.name()).doesNotContain(theirs.name());
        assertThat(web.get("/projects").body()).as("from the cached list").contains(mine.name()).doesNotContain(theirs.name());

        data.collaborator(theirs, viewer, "reader");
        assertThat(web.get("/projects").body()).contains(mine.name(), theirs.name());
        data.jdbc().sql("UPDATE projects SET name = 'renamed_' || name WHERE id = :p").param("p", mine.id()).update();
        assertThat(web.get("/projects").body()).contains("renamed_" + mine.name(), theirs.name());
        data.jdbc().sql("DELETE FROM project_collaborators WHERE project_id = :p").param("p", theirs.id()).update();
        assertThat(web.get("/projects").body()).contains("renamed_" + mine.name()).doesNotContain(theirs.name());
    }

    @Test
    void settingsChangeTheProjectAndDeletingNeedsItsName() {
        TestData.User owner = data.person("pages_settings");
        TestData.Project project = data.project(owner);
        WebSession web = signedIn(owner);
        String settings = "/projects/" + project.id() + "/settings";
        assertThat(web.post(settings, Map.of("description", "field survey", "isPublic", "true", "overwriteConflicts", "true"), settings)
                .status()).isEqualTo(302);
        assertThat(data.jdbc().sql("SELECT is_public AND description = 'field survey' FROM projects WHERE id = :p").param("p", project.id())
                .query(Boolean.class).single()).isTrue();

        assertThat(web.post("/projects/" + project.id() + "/delete", Map.of("confirm", "not the name"), settings).status()).isEqualTo(302);
        assertThat(web.get(settings).body()).contains("Type the project&#39;s name");
        assertThat(count(project)).isOne();
        assertThat(web.post("/projects/" + project.id() + "/delete", Map.of("confirm", project.name()), settings).status()).isEqualTo(302);
        assertThat(count(project)).isZero();
    }

    @Test
    void aPersonalProjectRefusesAnEditorWithTheRuleInWords() {
        TestData.User owner = data.person("pages_personal");
        TestData.User other = data.person("pages_other");
        TestData.Project project = data.project(owner);
        WebSession web = signedIn(owner);
        String page = "/projects/" + project.id() + "/collaborators";
        WebSession.Page refused = web.post(page, Map.of("collaborator", other.username(), "role", "editor"), page);
        assertThat(refused.status()).isEqualTo(200);
        assertThat(refused.body()).contains("class=\"error\"").containsIgnoringCase("organization");
        assertThat(web.post(page, Map.of("collaborator", other.username(), "role", "reporter"), page).status()).isEqualTo(302);
        assertThat(web.get(page).body()).contains(other.username());
    }

    @Test
    void teamsAreCreatedRenamedFilledAndDeleted() {
        TestData.User owner = data.person("pages_teams");
        TestData.User member = data.person("pages_team_member");
        TestData.Org org = data.organization(owner);
        data.member(org, member, "member");
        WebSession web = signedIn(owner);
        String teams = "/organizations/" + org.username() + "/teams";
        assertThat(web.post(teams, Map.of("name", "surveyors"), teams).status()).isEqualTo(302);
        assertThat(web.post(teams + "/surveyors/members", Map.of("member", member.username()), teams).status()).isEqualTo(302);
        assertThat(web.get(teams).body()).contains("surveyors").contains(member.username());
        assertThat(web.post(teams + "/surveyors/rename", Map.of("name", "field"), teams).status()).isEqualTo(302);
        assertThat(web.get(teams).body()).contains("field").doesNotContain("surveyors");
        assertThat(web.post(teams + "/field/delete", Map.of(), teams).status()).isEqualTo(302);
        assertThat(web.get(teams).body()).contains("No teams yet");
    }

    private long count(TestData.Project project) {
        return data.jdbc().sql("SELECT count(*) FROM projects WHERE id = :p").param("p", project.id()).query(Long.class).single();
    }
}
