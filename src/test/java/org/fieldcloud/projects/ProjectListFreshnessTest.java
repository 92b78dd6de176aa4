package org.fieldcloud.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.SecondNode;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Issue 12 §1: cached project lists are never stale. Two app nodes (this test's server and a second JVM on the same
 * database) both cache the viewer's lists; after every kind of change — grant, role change, revoke, membership,
 * team membership, visibility, transfer, rename, delete — made through one node's API or by plain SQL, the very
 * next list on both nodes shows it, with no waiting. That the nodes do serve from their caches is shown first: a
 * change hidden from the triggers (replica mode) is not seen by a cached list.
 */
class ProjectListFreshnessTest extends ApiTest {

    @RegisterExtension
    static final SecondNode nodeB = new SecondNode("lists-node-b.log", Map.of("FIELDCLOUD_WORKERS", "0"));

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    ObjectMapper mapper;

    @Autowired
    javax.sql.DataSource dataSource;

    @Test
    void everyChangeIsInTheVeryNextListOnBothNodes() {
        TestData.User viewer = data.person("viewer");
        TestData.User other = data.person("other");
        TestData.Org org = data.organization(other);
        TestData.Project mine = data.project(viewer);
        TestData.Project theirs = data.project(other);
        TestData.Project orgProject = data.project(org);
        String q = "?limit=20&offset=0";
        assertBoth(viewer, q, mine.name() + ":admin:project_owner");

        data.jdbc().sql("INSERT INTO project_collaborators (project_id, collaborator_id, role) VALUES (:p, :u, 'reader')")
                .param("p", theirs.id()).param("u", viewer.id()).update();
        assertBoth(viewer, q, mine.name() + ":admin:project_owner", theirs.name() + ":reader:collaborator");

        assertThat(http.as(other).patch("/api/v1/collaborators/" + theirs.id() + "/" + viewer.username() + "/", Map.of("role", "reporter"))
                .status()).isEqualTo(200);
        assertBoth(viewer, q, mine.name() + ":admin:project_owner", theirs.name() + ":reporter:collaborator");

        assertThat(nodeB.http().as(other).delete("/api/v1/collaborators/" + theirs.id() + "/" + viewer.username() + "/").status()).isEqualTo(204);
        assertBoth(viewer, q, mine.name() + ":admin:project_owner");

        data.member(org, viewer, "admin");
        assertBoth(viewer, q, mine.name() + ":admin:project_owner", orgProject.name() + ":admin:organization_admin");

        data.jdbc().sql("UPDATE organization_members SET role = 'member' WHERE member_id = :u").param("u", viewer.id()).update();
        assertBoth(viewer, q, mine.name() + ":admin:project_owner");

        data.defaultRole(org, "reporter");
        assertBoth(viewer, q, mine.name() + ":admin:project_owner", orgProject.name() + ":reporter:organization_member");

        data.defaultRole(org, null);
        TestData.Team team = data.team(org);
        data.collaborator(orgProject, team.id(), "manager");
        assertBoth(viewer, q, mine.name() + ":admin:project_owner");
        data.jdbc().sql("INSERT INTO team_members (team_id, member_id) VALUES (:t, :u)").param("t", team.id()).param("u", viewer.id()).update();
        assertBoth(viewer, q, mine.name() + ":admin:project_owner", orgProject.name() + ":manager:team_member");

        data.jdbc().sql("UPDATE projects SET is_public = true WHERE id = :p").param("p", theirs.id()).update();
        assertBoth(viewer, "?include_public=1&owner=" + other.username(), theirs.name() + ":reader:public");
        assertBoth(viewer, "public/?owner=" + other.username(), theirs.name() + ":reader:public");
        assertThat(http.as(other).patch("/api/v1/projects/" + theirs.id() + "/", Map.of("is_public", false)).status()).isEqualTo(200);
        assertBoth(viewer, "?include_public=1&owner=" + other.username());
        assertBoth(viewer, "public/?owner=" + other.username());

        String renamed = "a" + mine.name();
        assertThat(nodeB.http().as(viewer).patch("/api/v1/projects/" + mine.id() + "/", Map.of("name", renamed)).status()).isEqualTo(200);
        assertBoth(viewer, q, orgProject.name() + ":manager:team_member", renamed + ":admin:project_owner");

        TestData.Org viewersOrg = data.organization(viewer);
        assertThat(http.as(viewer).patch("/api/v1/projects/" + mine.id() + "/", Map.of("owner", viewersOrg.username())).status())
                .isEqualTo(200);
        assertBoth(viewer, "?owner=" + viewersOrg.username(), renamed + ":admin:organization_owner");

        assertThat(http.as(viewer).delete("/api/v1/projects/" + mine.id() + "/").status()).isEqualTo(204);
        assertBoth(viewer, q, orgProject.name() + ":manager:team_member");

        data.jdbc().sql("DELETE FROM team_members WHERE member_id = :u").param("u", viewer.id()).update();
        assertBoth(viewer, q);
    }

    @Test
    void bothNodesServeCachedListsSoTheTestAboveIsAboutTheCache() {
        TestData.User viewer = data.person("viewer");
        TestData.User other = data.person("other");
        TestData.Project theirs = data.project(other);
        String q = "?limit=20";
        assertBoth(viewer, q);
        // Replica mode turns triggers off for this transaction only: the list version does not move.
        transactions.executeWithoutResult(s -> {
            data.jdbc().sql("SET LOCAL session_replication_role = replica").update();
            data.jdbc().sql("INSERT INTO project_collaborators (project_id, collaborator_id, role) VALUES (:p, :u, 'reader')")
                    .param("p", theirs.id()).param("u", viewer.id()).update();
        });
        assertThat(names(http.as(viewer).get("/api/v1/projects/" + q))).as("node A's cached list").isEmpty();
        assertThat(names(nodeB.http().as(viewer).get("/api/v1/projects/" + q))).as("node B's cached list").isEmpty();
        assertThat(names(http.as(viewer).get("/api/v1/projects/?search=" + theirs.name()))).as("a list not cached yet")
                .containsExactly(theirs.name() + ":reader:collaborator");
        data.jdbc().sql("DELETE FROM project_collaborators WHERE project_id = :p").param("p", theirs.id()).update();
    }

    /**
     * The whole list is sent from a cached body (migration V9_7): after each change to something a row shows but
     * not to who sees what — description, size, a job starting and ending, a package, a personal secret that makes
     * the shared package not theirs, the plan's collaborator limit, the owner's plan, the owner's name — the next
     * whole list on both nodes is byte for byte the old implementation's answer for the data as it is now.
     */
    @Test
    void everyChangeToWhatARowShowsIsInTheNextWholeListOnBothNodes() {
        TestData.User viewer = data.person("viewer");
        TestData.User other = data.person("other");
        TestData.Project mine = data.project(viewer);
        TestData.Project theirs = data.project(other);
        data.collaborator(theirs, viewer, "editor");
        data.jdbc().sql("UPDATE projects SET the_qgis_file_name = 'p.qgs', project_details = '{}', data_last_updated_at = now()"
                + " WHERE id IN (:a, :b)").param("a", mine.id()).param("b", theirs.id()).update();
        assertBodiesCurrent(viewer, "start");

        sql("UPDATE projects SET description = 'surveyed' WHERE id = :p", mine.id());
        assertBodiesCurrent(viewer, "description");
        sql("UPDATE projects SET file_storage_bytes = 123456 WHERE id = :p", mine.id());
        assertBodiesCurrent(viewer, "size");

        UUID job = UUID.randomUUID();
        data.jdbc().sql("INSERT INTO jobs (id, project_id, type, status) VALUES (:j, :p, 'package', 'queued')")
                .param("j", job).param("p", theirs.id()).update();
        assertBodiesCurrent(viewer, "a job queued: busy");
        sql("UPDATE jobs SET status = 'finished' WHERE id = :p", job);
        assertBodiesCurrent(viewer, "the job finished");
        data.jdbc().sql("INSERT INTO packages (job_id, project_id, layers, packaged_at) VALUES (:j, :p, '{}', now())")
                .param("j", job).param("p", theirs.id()).update();
        assertBodiesCurrent(viewer, "its package: no repackaging needed");
        Http.Response secret = http.as(other).post("/api/v1/projects/" + theirs.id() + "/secrets/",
                Map.of("type", "envvar", "name", "PERSONAL", "value", "personal-value", "assigned_to", viewer.username()));
        assertThat(secret.status()).as(secret.toString()).isEqualTo(201);
        assertBodiesCurrent(viewer, "a personal secret: the shared package is not theirs");

        Plans.assign(data, other.id(), 1, true, 0);
        assertBodiesCurrent(viewer, "the owner's plan allows no collaborator");
        data.jdbc().sql("UPDATE plans SET max_premium_collaborators_per_private_project = 5 WHERE id = (SELECT plan_id FROM users"
                + " WHERE id = :u)").param("u", other.id()).update();
        assertBodiesCurrent(viewer, "the plan's limit raised");
        data.jdbc().sql("UPDATE users SET username = :n WHERE id = :u").param("n", TestData.unique("renamed")).param("u", other.id()).update();
        assertBodiesCurrent(viewer, "the owner renamed");
    }

    /**
     * A transaction that changed a row before the body was read but committed after it, and is not the newest
     * change: the body's snapshot saw it running, and its commit must still make the next whole list current.
     */
    @Test
    void aChangeRunningWhileTheBodyWasReadIsSeenOnceItCommits() throws Exception {
        TestData.User viewer = data.person("viewer");
        TestData.Project mine = data.project(viewer);
        TestData.Project elsewhere = data.project(data.person("other"));
        try (java.sql.Connection running = dataSource.getConnection()) {
            running.setAutoCommit(false);
            try (var update = running.prepareStatement("UPDATE projects SET description = 'committed later' WHERE id = ?")) {
                update.setObject(1, mine.id());
                update.executeUpdate();
            }
            assertBodiesCurrent(viewer, "a change still running");
            sql("UPDATE projects SET description = 'newer, committed first' WHERE id = :p", elsewhere.id());
            assertBodiesCurrent(viewer, "a newer change elsewhere, read with the first one still running");
            running.commit();
        }
        assertThat(http.as(viewer).get("/api/v1/projects/").text()).contains("committed later");
        assertBodiesCurrent(viewer, "the running change committed");
    }

    @Test
    void bothNodesServeCachedWholeListsSoTheTestAboveIsAboutTheCache() {
        TestData.User viewer = data.person("viewer");
        TestData.Project mine = data.project(viewer);
        assertBodiesCurrent(viewer, "start");
        String before = http.as(viewer).get("/api/v1/projects/").text();
        // Replica mode turns triggers off for this transaction only: nothing records the change.
        transactions.executeWithoutResult(s -> {
            data.jdbc().sql("SET LOCAL session_replication_role = replica").update();
            sql("UPDATE projects SET description = 'hidden from the triggers' WHERE id = :p", mine.id());
        });
        assertThat(http.as(viewer).get("/api/v1/projects/").text()).as("node A's cached body").isEqualTo(before);
        assertThat(nodeB.http().as(viewer).get("/api/v1/projects/").text()).as("node B's cached body").isEqualTo(before);
        assertThat(http.as(viewer).get("/api/v1/projects/?limit=5").text()).as("a page reads its rows").contains("hidden from the triggers");
    }

    private void assertBodiesCurrent(TestData.User viewer, String after) {
        String expected = LegacyProjectList.wholeListBody(data.jdbc(), mapper, viewer.id());
        for (int i = 0; i < 2; i++) {
            Http.Response onA = http.as(viewer).get("/api/v1/projects/");
            Http.Response onB = nodeB.http().as(viewer).get("/api/v1/projects/");
            assertThat(onA.status()).as(onA.toString()).isEqualTo(200);
            assertThat(onA.text()).as("node A after: " + after).isEqualTo(expected);
            assertThat(onB.text()).as("node B after: " + after).isEqualTo(expected);
        }
    }

    private void sql(String statement, UUID id) {
        data.jdbc().sql(statement).param("p", id).update();
    }

    private void assertBoth(TestData.User viewer, String query, String... expected) {
        assertThat(names(http.as(viewer).get("/api/v1/projects/" + query))).as("node A " + query).containsExactlyInAnyOrder(expected);
        assertThat(names(nodeB.http().as(viewer).get("/api/v1/projects/" + query))).as("node B " + query).containsExactlyInAnyOrder(expected);
    }

    private static List<String> names(Http.Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        for (JsonNode p : r.json()) {
            out.add(p.get("name").asString() + ":" + p.get("user_role").asString() + ":" + p.get("user_role_origin").asString());
        }
        return out;
    }
}
