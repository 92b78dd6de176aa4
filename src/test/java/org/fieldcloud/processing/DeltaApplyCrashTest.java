package org.fieldcloud.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.Jobs;
import org.fieldcloud.jobs.ScriptedJobHandler;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Await;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.TestData;
import org.fieldcloud.support.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * A worker process killed with SIGKILL while it applies deltas to PostGIS: its job ends failed, no delta stays
 * started, and applying again stores each feature exactly once (the killed transaction never committed).
 */
class DeltaApplyCrashTest extends ApiTest {

    @Autowired
    Jobs jobs;

    @Test
    void killedWorkerLeavesDeltasRetryableAndRetryDoesNotDuplicate() throws Exception {
        Flows flows = new Flows(http);
        TestData.User owner = data.person("crashowner");
        String latch = UUID.randomUUID().toString();
        try (PostgisDatabase db = PostgisDatabase.create("fc_crash")) {
            db.execute("""
                    CREATE TABLE notes (id serial PRIMARY KEY, note text, geom geometry(Point, 4326));
                    CREATE FUNCTION slow_down() RETURNS trigger AS $$
                    BEGIN IF NEW.note LIKE 'slow%' THEN PERFORM pg_sleep(60); END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
                    CREATE TRIGGER slow BEFORE INSERT ON notes FOR EACH ROW EXECUTE FUNCTION slow_down();""");
            UUID project = UUID.fromString(http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique("crash"))).json().get("id").asString());
            String layer = "notes_" + UUID.randomUUID().toString().replace('-', '_');
            flows.upload(owner, project, "notes.qgs", Flows.postgisProject(layer, "crashdb", "public", "notes", "id"));
            flows.secret(owner, "/api/v1/projects/" + project + "/secrets/", Map.of("type", "pgservice",
                    "value", Flows.pgService("crashdb", db.name(), PostgisDatabase.ADMIN_USER, PostgisDatabase.ADMIN_PASSWORD)));
            awaitIdle(project);

            for (int i = 0; i < 2; i++) {
                UUID blocker = jobs.enqueue(data.project(owner).id(), ScriptedJobHandler.TYPE, owner.id(), Map.of("test_action", "block", "latch", latch), false);
                Await.until(() -> jobs.find(blocker).orElseThrow().status().equals("started"), Duration.ofSeconds(20));
            }
            Process worker = WorkerProcess.start("crash-apply-worker.log");
            try {
                String note = "slow-" + UUID.randomUUID();
                UUID deltafile = flows.push(owner, project, layer, List.of(
                        Flows.create("POINT (1 1)", "{\"note\":\"first-" + note + "\"}"),
                        Flows.create("POINT (2 2)", "{\"note\":\"" + note + "\"}")));
                Await.until(() -> statuses(owner, project, deltafile).contains("started") && jobOf(project).output().contains("started by worker " + worker.pid() + "@"),
                        Duration.ofSeconds(90));
                // Killed while the second insert is inside the database, as the database itself reports.
                Await.until(() -> sleepingJobSessions(db) == 1, Duration.ofSeconds(30));
                worker.destroyForcibly().waitFor();
                Instant killed = Instant.now();
                Await.until(() -> jobOf(project).status().equals("failed"), Duration.ofSeconds(60));
                assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(60));
                assertThat(jobOf(project).output()).contains("worker stopped responding");
                assertThat(statuses(owner, project, deltafile)).containsOnly("pending");

                // The killed worker's database session sleeps on; end it as its TCP keepalive eventually would.
                db.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                        + "AND application_name = 'fieldcloud-job'");
                db.execute("DROP TRIGGER slow ON notes");
                ScriptedJobHandler.release(latch);
                assertThat(http.as(owner).post("/api/v1/deltas/apply/" + project + "/", Map.of()).status()).isEqualTo(200);
                JsonNode applied = flows.awaitDeltas(owner, project, deltafile);
                assertThat(applied.findValuesAsString("last_status")).containsExactly("applied", "applied");
                assertThat(count(db, "SELECT count(*) FROM notes WHERE note LIKE '%" + note + "'")).isEqualTo(2);
            } finally {
                worker.destroyForcibly();
                ScriptedJobHandler.release(latch);
            }
        }
    }

    private Job jobOf(UUID project) {
        return data.jdbc().sql("SELECT id FROM jobs WHERE project_id = :p AND type = 'delta_apply' ORDER BY seq DESC LIMIT 1")
                .param("p", project).query(UUID.class).optional().flatMap(jobs::find)
                .orElse(new Job(null, project, "delta_apply", "none", null, null, null, null, null, null, Map.of(), "", null));
    }

    private List<String> statuses(TestData.User user, UUID project, UUID deltafile) {
        return http.as(user).get("/api/v1/deltas/" + project + "/" + deltafile + "/").json().findValuesAsString("last_status");
    }

    private void awaitIdle(UUID project) throws InterruptedException {
        Await.until(() -> !jobs.busy(project), Duration.ofSeconds(30));
    }

    private static long sleepingJobSessions(PostgisDatabase db) {
        try {
            return count(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                    + "AND application_name = 'fieldcloud-job' AND wait_event = 'PgSleep'");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(PostgisDatabase db, String sql) throws Exception {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
