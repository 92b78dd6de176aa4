package org.fieldcloud.processing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.Jobs;
import org.fieldcloud.jobs.ScriptedJobHandler;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** process_projectfile layer checks with secrets, credential routing, and the private job directory's lifetime. */
class ProcessingTest extends ApiTest {

    private static final Pattern WORK_DIR = Pattern.compile("Working in (\\S+) ");
    private static PostgisDatabase db;

    @Autowired
    Jobs jobs;

    @BeforeAll
    static void database() {
        db = PostgisDatabase.create("fc_processing");
        db.execute("CREATE TABLE places (id serial PRIMARY KEY, name text, geom geometry(Point, 4326));"
                + "CREATE FUNCTION slow_down() RETURNS trigger AS $$ BEGIN IF NEW.name = 'slow' THEN PERFORM pg_sleep(4); END IF; RETURN NEW; END $$"
                + " LANGUAGE plpgsql; CREATE TRIGGER slow BEFORE INSERT ON places FOR EACH ROW EXECUTE FUNCTION slow_down();");
    }

    @AfterAll
    static void drop() {
        db.close();
    }

    private record Setup(TestData.User owner, UUID project, String layer) { }

    private Setup project(String datasourceExtra) {
        Flows flows = new Flows(http);
        TestData.User owner = data.person("processor");
        UUID project = UUID.fromString(http.as(owner).post("/api/v1/projects/", Map.of("name", TestData.unique("places"))).json().get("id").asString());
        String layer = "places_" + UUID.randomUUID().toString().replace('-', '_');
        flows.upload(owner, project, "places.qgs", Flows.postgisProject(layer, "placesdb", "public", "places", "id")
                .replace("service='placesdb'", "service='placesdb'" + datasourceExtra));
        return new Setup(owner, project, layer);
    }

    private Job run(Setup s, String type, Map<String, Object> options) throws InterruptedException {
        awaitIdle(s.project());
        UUID id = jobs.enqueue(s.project(), type, s.owner().id(), options, false);
        Instant deadline = Instant.now().plusSeconds(30);
        Job job = jobs.find(id).orElseThrow();
        while (!job.status().equals("finished") && !job.status().equals("failed") && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            job = jobs.find(id).orElseThrow();
        }
        return job;
    }

    private void awaitIdle(UUID project) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (jobs.busy(project) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
    }

    private JsonNode layerDetails(Setup s) {
        String json = data.jdbc().sql("SELECT project_details::text FROM projects WHERE id = :p").param("p", s.project()).query(String.class).single();
        return org.fieldcloud.support.Http.JSON.readTree(json).get("layers_by_id").get(s.layer());
    }

    private void secret(Setup s, String password) {
        new Flows(http).secret(s.owner(), "/api/v1/projects/" + s.project() + "/secrets/", Map.of("type", "pgservice",
                "value", Flows.pgService("placesdb", db.name(), PostgisDatabase.ADMIN_USER, password)));
    }

    private static Path workDir(Job job) {
        Matcher m = WORK_DIR.matcher(job.output());
        assertThat(m.find()).as(job.output()).isTrue();
        return Path.of(m.group(1));
    }

    @Test
    void layersAreCheckedWithTheJobsSecretsAndErrorsNameTheLayer() throws Exception {
        Setup s = project("");
        Job missing = run(s, Job.PROCESS_PROJECTFILE, Map.of());
        assertThat(missing.status()).isEqualTo("finished");
        assertThat(layerDetails(s).get("is_valid").asBoolean()).isFalse();
        assertThat(layerDetails(s).get("error_summary").asString()).contains("Unable to connect to service \"placesdb\"");

        secret(s, "not-the-password");
        run(s, Job.PROCESS_PROJECTFILE, Map.of());
        assertThat(layerDetails(s).get("error_summary").asString()).contains("password authentication failed");

        data.jdbc().sql("DELETE FROM secrets WHERE project_id = :p").param("p", s.project()).update();
        secret(s, PostgisDatabase.ADMIN_PASSWORD);
        Job valid = run(s, Job.PROCESS_PROJECTFILE, Map.of());
        assertThat(layerDetails(s).get("is_valid").asBoolean()).as(valid.output()).isTrue();
        assertThat(layerDetails(s).get("provider_name").asString()).isEqualTo("postgres");
        assertThat(valid.output() + valid.feedback()).doesNotContain(PostgisDatabase.ADMIN_PASSWORD).doesNotContain("not-the-password");
    }

    @Test
    void aServiceLayerThatNamesItsOwnHostIsRefusedSoTheSecretPasswordGoesNowhereElse() throws Exception {
        Setup s = project(" host=attacker.example port=5432");
        secret(s, PostgisDatabase.ADMIN_PASSWORD);
        run(s, Job.PROCESS_PROJECTFILE, Map.of());
        assertThat(layerDetails(s).get("is_valid").asBoolean()).isFalse();
        assertThat(layerDetails(s).get("error_summary").asString()).contains("also sets host, port");
        UUID deltafile = new Flows(http).push(s.owner(), s.project(), s.layer(), List.of(Flows.create("POINT (1 1)", "{\"name\":\"x\"}")));
        JsonNode delta = new Flows(http).awaitDeltas(s.owner(), s.project(), deltafile).get(0);
        assertThat(delta.get("status").asString()).isEqualTo("STATUS_NOT_APPLIED");
        assertThat(delta.get("last_feedback").get("msg").asString()).contains("remove these keys");
    }

    @Test
    void directoriesLeftByAKilledJobAreRemovedWhenTheNextJobStartsButARunningJobsDirectoryIsKept() throws Exception {
        Setup s = project("");
        secret(s, PostgisDatabase.ADMIN_PASSWORD);
        Path jobsRoot = ApiTest.dataDir().toAbsolutePath().resolve("jobs");
        Path leftover = Files.createDirectories(jobsRoot.resolve(UUID.randomUUID().toString()));
        Files.writeString(leftover.resolve("pg_service.conf"), "[left]\npassword=left-behind\n");
        TestData.Project other = data.project(data.person("blocker"));
        String latch = UUID.randomUUID().toString();
        UUID blocking = jobs.enqueue(other.id(), ScriptedJobHandler.TYPE, other.ownerId(), Map.of("test_action", "block", "latch", latch), false);
        try {
            Instant deadline = Instant.now().plusSeconds(10);
            while (!jobs.find(blocking).orElseThrow().status().equals("started") && Instant.now().isBefore(deadline)) {
                Thread.sleep(20);
            }
            Path running = Files.createDirectories(jobsRoot.resolve(blocking.toString()));
            Job next = run(s, Job.PROCESS_PROJECTFILE, Map.of());
            assertThat(next.status()).isEqualTo("finished");
            assertThat(leftover).as("a dead job's directory, with its service file").doesNotExist();
            assertThat(running).as("the directory of a job that still runs").exists();
        } finally {
            ScriptedJobHandler.release(latch);
        }
    }

    @Test
    void thePrivateJobDirectoryIsGoneAfterSuccessFailureAndTimeout() throws Exception {
        Setup s = project("");
        secret(s, PostgisDatabase.ADMIN_PASSWORD);
        Job success = run(s, Job.PROCESS_PROJECTFILE, Map.of());
        assertThat(success.status()).isEqualTo("finished");
        assertThat(workDir(success)).doesNotExist();

        data.jdbc().sql("UPDATE deltas SET last_status = 'ignored' WHERE project_id = :p").param("p", s.project()).update();
        UUID slow = new Flows(http).push(s.owner(), s.project(), s.layer(), List.of(Flows.create("POINT (1 1)", "{\"name\":\"slow\"}")));
        awaitIdle(s.project());
        data.jdbc().sql("UPDATE deltas SET last_status = 'pending' WHERE deltafile_id = :d").param("d", slow).update();
        Job timedOut = run(s, Job.DELTA_APPLY, Map.of("timeout_seconds", 1));
        assertThat(timedOut.status()).isEqualTo("failed");
        assertThat(timedOut.output()).contains("time limit of 1 s");
        Path dir = workDir(timedOut);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        while (Files.exists(dir) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(dir).as("deleted once the stopped work unwinds").doesNotExist();

        data.jdbc().sql("UPDATE projects SET the_qgis_file_name = 'missing.qgs' WHERE id = :p").param("p", s.project()).update();
        Job failed = run(s, Job.PROCESS_PROJECTFILE, Map.of());
        assertThat(failed.status()).isEqualTo("failed");
        assertThat(failed.output()).contains("missing.qgs");
        assertThat(workDir(failed)).doesNotExist();
    }
}
