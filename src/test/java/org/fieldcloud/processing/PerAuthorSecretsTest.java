package org.fieldcloud.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.Jobs;
import org.fieldcloud.jobs.ScriptedJobHandler;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * DECISIONS D10.3: each person's edits are applied with that person's secrets, whoever's job applies them. Two
 * surveyors restricted by their own {@code QFC_PG_EFFECTIVE_USER} push while the project's queue is held, and a
 * manager triggers the apply; row-level security stamps every row with the role that really wrote it.
 */
class PerAuthorSecretsTest extends ApiTest {

    private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    private static final String LOGIN = "fc_proxy_" + SUFFIX;
    private static final String LOGIN_PASSWORD = "proxy-" + UUID.randomUUID();
    private static final String ROLE_A = "fc_surveyor_a_" + SUFFIX;
    private static final String ROLE_B = "fc_surveyor_b_" + SUFFIX;
    private static PostgisDatabase db;

    @Autowired
    Jobs jobs;

    private Flows flows;
    private TestData.User owner;
    private TestData.User surveyorA;
    private TestData.User surveyorB;
    private UUID project;
    private String layer;

    @BeforeAll
    static void database() {
        PostgisDatabase.executeOnCluster("CREATE ROLE " + ROLE_A + " NOLOGIN; CREATE ROLE " + ROLE_B + " NOLOGIN; "
                + "CREATE ROLE " + LOGIN + " LOGIN PASSWORD '" + LOGIN_PASSWORD + "' IN ROLE " + ROLE_A + ", " + ROLE_B);
        db = PostgisDatabase.create("fc_perauthor");
        db.execute("""
                CREATE TABLE observations (id serial PRIMARY KEY, geom geometry(Point, 4326), note text,
                                           surveyor_name text DEFAULT current_user);
                ALTER TABLE observations ENABLE ROW LEVEL SECURITY;
                CREATE POLICY own_rows ON observations FOR ALL USING (surveyor_name = current_user) WITH CHECK (surveyor_name = current_user);
                CREATE POLICY login_reads ON observations FOR SELECT TO %1$s USING (true);
                GRANT ALL ON observations TO %2$s, %3$s, %1$s;
                GRANT USAGE, SELECT ON SEQUENCE observations_id_seq TO %2$s, %3$s, %1$s;
                """.formatted(LOGIN, ROLE_A, ROLE_B));
    }

    @AfterAll
    static void drop() {
        db.close();
        PostgisDatabase.executeOnCluster("DROP ROLE " + LOGIN + "; DROP ROLE " + ROLE_A + "; DROP ROLE " + ROLE_B);
    }

    @BeforeEach
    void projectWithTwoRestrictedSurveyors() {
        flows = new Flows(http);
        owner = data.person("rlsowner");
        surveyorA = data.person("surveyora");
        surveyorB = data.person("surveyorb");
        String org = http.as(owner).post("/api/v1/organizations/", Map.of("username", TestData.unique("rlsorg"))).json().get("username").asString();
        project = UUID.fromString(http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique("rls"), "owner", org))
                .json().get("id").asString());
        for (TestData.User surveyor : List.of(surveyorA, surveyorB)) {
            assertThat(http.as(owner).post("/api/v1/members/" + org + "/", Map.of("member", surveyor.username(), "role", "member")).status()).isEqualTo(201);
            assertThat(http.as(owner).post("/api/v1/collaborators/" + project + "/", Map.of("collaborator", surveyor.username(), "role", "editor"))
                    .status()).isEqualTo(201);
        }
        layer = "obs_" + UUID.randomUUID().toString().replace('-', '_');
        flows.upload(owner, project, "rls.qgs", Flows.postgisProject(layer, "rls", "public", "observations", "id"));
        flows.secret(owner, "/api/v1/projects/" + project + "/secrets/",
                Map.of("type", "pgservice", "value", Flows.pgService("rls", db.name(), LOGIN, LOGIN_PASSWORD)));
        flows.secret(owner, "/api/v1/projects/" + project + "/secrets/",
                Map.of("type", "envvar", "name", "QFC_PG_EFFECTIVE_USER", "value", ROLE_A, "assigned_to", surveyorA.username()));
        flows.secret(owner, "/api/v1/projects/" + project + "/secrets/",
                Map.of("type", "envvar", "name", "QFC_PG_EFFECTIVE_USER", "value", ROLE_B, "assigned_to", surveyorB.username()));
    }

    @Test
    void twoSurveyorsPushingWhileAJobWaitsEachWriteUnderTheirOwnRole() throws Exception {
        String latch = holdQueue();
        String noteA = "a-" + UUID.randomUUID();
        String noteB = "b-" + UUID.randomUUID();
        UUID fileA;
        UUID fileB;
        try {
            fileA = flows.push(surveyorA, project, layer, List.of(Flows.create("POINT (7.1 46.1)", "{\"note\":\"" + noteA + "\"}")));
            fileB = flows.push(surveyorB, project, layer, List.of(Flows.create("POINT (7.2 46.2)", "{\"note\":\"" + noteB + "\"}")));
            assertThat(waitingApplyJobs()).as("a waiting job is reused only for the same person").containsExactlyInAnyOrder(
                    surveyorA.id(), surveyorB.id());
        } finally {
            ScriptedJobHandler.release(latch);
        }
        assertApplied(flows.awaitDeltas(surveyorA, project, fileA));
        assertApplied(flows.awaitDeltas(surveyorB, project, fileB));
        assertThat(stampOf(noteA)).isEqualTo(ROLE_A);
        assertThat(stampOf(noteB)).isEqualTo(ROLE_B);
    }

    @Test
    void aManagersApplyOfEveryonesDeltasUsesEachAuthorsRoleInOneJob() throws Exception {
        String latch = holdQueue();
        String noteA = "a-" + UUID.randomUUID();
        String noteB = "b-" + UUID.randomUUID();
        String noteA2 = "a2-" + UUID.randomUUID();
        UUID fileA;
        UUID fileB;
        UUID fileA2;
        try {
            fileA = flows.push(surveyorA, project, layer, List.of(Flows.create("POINT (7.1 46.1)", "{\"note\":\"" + noteA + "\"}")));
            fileB = flows.push(surveyorB, project, layer, List.of(Flows.create("POINT (7.2 46.2)", "{\"note\":\"" + noteB + "\"}")));
            fileA2 = flows.push(surveyorA, project, layer, List.of(Flows.create("POINT (7.3 46.3)", "{\"note\":\"" + noteA2 + "\"}")));
            // Only the owner's job is left waiting: every pending delta is taken by the first job that starts.
            data.jdbc().sql("DELETE FROM jobs WHERE project_id = :p AND type = 'delta_apply' AND status = 'pending'").param("p", project).update();
            assertThat(http.as(owner).post("/api/v1/deltas/apply/" + project + "/", Map.of()).status()).isEqualTo(200);
            assertThat(waitingApplyJobs()).containsExactly(owner.id());
        } finally {
            ScriptedJobHandler.release(latch);
        }
        for (UUID file : List.of(fileA, fileB, fileA2)) {
            assertApplied(flows.awaitDeltas(owner, project, file));
        }
        assertThat(stampOf(noteA)).isEqualTo(ROLE_A);
        assertThat(stampOf(noteB)).isEqualTo(ROLE_B);
        assertThat(stampOf(noteA2)).isEqualTo(ROLE_A);
        assertThat(data.jdbc().sql("SELECT count(DISTINCT job_id) FROM deltas WHERE project_id = :p").param("p", project)
                .query(Long.class).single()).as("one job applied all three").isEqualTo(1);
    }

    @Test
    void deltasOfAPersonWhoLostTheirRoleAreNotAppliedWithAnyoneElsesSecrets() throws Exception {
        String latch = holdQueue();
        String note = "gone-" + UUID.randomUUID();
        UUID file;
        try {
            file = flows.push(surveyorA, project, layer, List.of(Flows.create("POINT (7.1 46.1)", "{\"note\":\"" + note + "\"}")));
            assertThat(http.as(owner).delete("/api/v1/collaborators/" + project + "/" + surveyorA.username() + "/").status()).isEqualTo(204);
        } finally {
            ScriptedJobHandler.release(latch);
        }
        JsonNode delta = flows.awaitDeltas(owner, project, file).get(0);
        assertThat(delta.get("last_status").asString()).isEqualTo("unpermitted");
        assertThat(delta.get("last_feedback").get("msg").asString()).contains("no longer has a role");
        assertThat(count("SELECT count(*) FROM observations WHERE note = '" + note + "'")).isZero();
    }

    private String holdQueue() {
        String latch = UUID.randomUUID().toString();
        jobs.enqueue(project, ScriptedJobHandler.TYPE, owner.id(), Map.of("test_action", "block", "latch", latch), false);
        return latch;
    }

    private List<Long> waitingApplyJobs() {
        return data.jdbc().sql("SELECT created_by FROM jobs WHERE project_id = :p AND type = 'delta_apply' AND status = 'pending'")
                .param("p", project).query(Long.class).list();
    }

    private static void assertApplied(JsonNode deltas) {
        for (JsonNode d : deltas) {
            assertThat(d.get("last_status").asString()).as(d.toString()).isEqualTo("applied");
        }
    }

    /** The role that wrote a row, read by the superuser (row-level security does not hide rows from it). */
    private static String stampOf(String note) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT surveyor_name FROM observations WHERE note = '" + note + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static long count(String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
