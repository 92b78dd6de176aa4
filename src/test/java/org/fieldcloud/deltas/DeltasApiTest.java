package org.fieldcloud.deltas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.ChannelListener;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.TestData;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.Jobs;
import org.fieldcloud.jobs.ScriptedJobHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Pushing and listing deltas (reference-api-jobs §2), without applying them. */
class DeltasApiTest extends ApiTest {

    private TestData.User owner;
    private TestData.Project project;
    private String salt;

    @Autowired
    Jobs jobs;

    @Autowired
    javax.sql.DataSource dataSource;
    private String latch;

    /** A blocking job holds the project's queue, so pushed deltas stay as stored while the test looks at them. */
    @BeforeEach
    void projectWithQgisFile() {
        owner = data.person("owner");
        project = data.project(owner);
        data.jdbc().sql("UPDATE projects SET the_qgis_file_name = 'project.qgs' WHERE id = :p").param("p", project.id()).update();
        salt = UUID.randomUUID().toString();
        latch = UUID.randomUUID().toString();
        jobs.enqueue(project.id(), ScriptedJobHandler.TYPE, owner.id(), Map.of("test_action", "block", "latch", latch), false);
    }

    @AfterEach
    void releaseQueue() {
        ScriptedJobHandler.release(latch);
    }

    private Http.Response push(TestData.User user, byte[] deltafile) {
        return new Multipart().file("file", "deltafile.json", deltafile).post(http.as(user), "/api/v1/deltas/" + project.id() + "/");
    }

    private long storedDeltas() {
        return data.jdbc().sql("SELECT count(*) FROM deltas WHERE project_id = :p").param("p", project.id()).query(Long.class).single();
    }

    private long faultyFiles() {
        return data.jdbc().sql("SELECT count(*) FROM faulty_deltafiles WHERE project_id = :p").param("p", project.id()).query(Long.class).single();
    }

    @Test
    void pushStoresPendingDeltasListedWithTheirContent() {
        Http.Response r = push(owner, DeltaFixtures.load("singlelayer_multidelta.json", project.id(), salt));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.bytes()).isEmpty();
        JsonNode list = http.as(owner).get("/api/v1/deltas/" + project.id() + "/").json();
        assertThat(list.size()).isEqualTo(3);
        JsonNode first = list.get(0);
        assertThat(first.get("status").asString()).isEqualTo("STATUS_PENDING");
        assertThat(first.get("last_status").asString()).isEqualTo("pending");
        assertThat(first.get("created_by").asString()).isEqualTo(owner.username());
        assertThat(list.findValuesAsString("method")).as("the fixture's three patches, in push order").containsExactly("patch", "patch", "patch");
        String deltafileId = first.get("deltafile_id").asString();
        assertThat(http.as(owner).get("/api/v1/deltas/" + project.id() + "/" + deltafileId + "/").json().size()).isEqualTo(3);
    }

    private java.util.List<Map<String, Object>> applyJobs() {
        return data.jdbc().sql("SELECT id, created_at, created_by, status, options::text AS options FROM jobs "
                + "WHERE project_id = :p AND type = 'delta_apply' ORDER BY seq").param("p", project.id()).query().listOfRows();
    }

    /** The push, its deltas and its job are one transaction: the job's created_at is the push's, to the microsecond. */
    @Test
    void aPushQueuesItsApplyJobInItsOwnTransaction() {
        assertThat(push(owner, DeltaFixtures.load("singlelayer_multidelta.json", project.id(), salt)).status()).isEqualTo(200);
        var jobs = applyJobs();
        assertThat(jobs).hasSize(1);
        assertThat(jobs.get(0).get("status")).isEqualTo("pending");
        assertThat(jobs.get(0).get("created_by")).isEqualTo(owner.id());
        assertThat((String) jobs.get(0).get("options")).isEqualTo("{\"overwrite_conflicts\": true}");
        var created = data.jdbc().sql("SELECT DISTINCT p.created_at FROM delta_pushes p JOIN deltas d ON d.push_id = p.id WHERE p.project_id = :p "
                        + "UNION SELECT created_at FROM jobs WHERE project_id = :p AND type = 'delta_apply'")
                .param("p", project.id()).query(java.time.OffsetDateTime.class).list();
        assertThat(created).as("one now(): the push's, its deltas' and its job's").hasSize(1);
    }

    /** Workers of other processes hear of the push's job: it is notified on their channel once the push committed. */
    @Test
    void otherProcessesAreNotifiedOfThePushesJob() throws Exception {
        try (ChannelListener workers = new ChannelListener(dataSource, "fieldcloud_jobs")) {
            assertThat(push(owner, DeltaFixtures.load("singlelayer_multidelta.json", project.id(), salt)).status()).isEqualTo(200);
            String job = applyJobs().getFirst().get("id").toString();
            assertThat(workers.payloadsUntil(job::equals, Duration.ofSeconds(10))).contains(job);
        }
    }

    /**
     * While the person's apply job waits, later pushes add their deltas to it instead of queueing more jobs; a push
     * that stores nothing pending (a repeat, a reporter's patch) queues none, and another person gets a job of their own.
     */
    @Test
    void pushesWhileTheApplyJobWaitsShareItAndPushesWithNothingPendingQueueNone() {
        byte[] first = DeltaFixtures.load("singlelayer_multidelta.json", project.id(), salt);
        assertThat(push(owner, first).status()).isEqualTo(200);
        assertThat(push(owner, DeltaFixtures.load("singlelayer_singledelta.json", project.id(), salt + "-2")).status()).isEqualTo(200);
        assertThat(push(owner, first).status()).isEqualTo(200);
        assertThat(applyJobs()).hasSize(1);
        TestData.User reporter = data.person("reporter");
        data.collaborator(project, reporter, "reporter");
        assertThat(push(reporter, DeltaFixtures.load("singlelayer_singledelta.json", project.id(), salt + "-3")).status()).isEqualTo(200);
        assertThat(applyJobs()).as("a reporter's patch is stored unpermitted and needs no job").hasSize(1);
        assertThat(push(reporter, DeltaFixtures.load("multistage_p1_c1_create.json", project.id(), salt)).status()).isEqualTo(200);
        var jobs = applyJobs();
        assertThat(jobs).hasSize(2);
        assertThat(jobs.get(1).get("created_by")).isEqualTo(reporter.id());
        assertThat(storedDeltas()).isEqualTo(3 + 1 + 1 + 1);
    }

    /** One statement stores the file: a uuid repeated inside one file is stored once, the first time, in file order. */
    @Test
    void aUuidRepeatedInOneFileIsStoredOnceAndTheOrderIsKept() {
        ObjectNode root = (ObjectNode) Http.JSON.readTree(DeltaFixtures.load("singlelayer_multidelta.json", project.id(), salt));
        ArrayNode deltas = (ArrayNode) root.get("deltas");
        java.util.List<String> uuids = new java.util.ArrayList<>();
        deltas.forEach(d -> uuids.add(d.get("uuid").asString()));
        ObjectNode repeat = (ObjectNode) deltas.get(0).deepCopy();
        repeat.put("method", "delete");
        deltas.add(repeat);
        assertThat(push(owner, Http.JSON.writeValueAsBytes(root)).status()).isEqualTo(200);
        JsonNode list = http.as(owner).get("/api/v1/deltas/" + project.id() + "/?ordering=created_at").json();
        assertThat(list.findValuesAsString("id")).containsExactlyElementsOf(uuids);
        assertThat(list.findValuesAsString("method")).containsExactly("patch", "patch", "patch");
    }

    @Test
    void pushingTheSameDeltasTwiceStoresThemOnce() {
        byte[] file = DeltaFixtures.load("singlelayer_multidelta.json", project.id(), salt);
        assertThat(push(owner, file).status()).isEqualTo(200);
        assertThat(push(owner, file).status()).isEqualTo(200);
        assertThat(storedDeltas()).isEqualTo(3);
    }

    @Test
    void reporterCreatesArePendingButPatchesAreUnpermitted() {
        TestData.User reporter = data.person("reporter");
        data.collaborator(project, reporter, "reporter");
        assertThat(push(reporter, DeltaFixtures.load("multistage_p1_c1_create.json", project.id(), salt)).status()).isEqualTo(200);
        // Both fixtures reuse one delta uuid: a second salt keeps the patch from being skipped as a duplicate.
        assertThat(push(reporter, DeltaFixtures.load("singlelayer_singledelta.json", project.id(), salt + "-patch")).status()).isEqualTo(200);
        Http.Response listed = http.as(owner).get("/api/v1/deltas/" + project.id() + "/?ordering=created_at");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        JsonNode list = listed.json();
        assertThat(list.get(0).get("last_status").asString()).isEqualTo("pending");
        assertThat(list.get(1).get("last_status").asString()).isEqualTo("unpermitted");
        assertThat(list.get(1).get("status").asString()).isEqualTo("STATUS_UNPERMITTED");
        assertThat(list.get(1).get("last_feedback").get("msg").asString()).contains("no rights");
    }

    @Test
    void schemaInvalidDeltafileIsRefusedWithTheSchemaErrorAndKeptForDiagnosis() {
        String raw = DeltaFixtures.read("not_schema_valid.json").replace("e02d02cc-af1b-414c-a14c-e2ed5dfee52f", project.id().toString());
        Http.Response r = push(owner, raw.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asString()).isEqualTo("invalid_deltafile");
        assertThat(r.json().get("message").asString()).contains("deltas");
        assertThat(storedDeltas()).isZero();
        assertThat(faultyFiles()).isEqualTo(1);
        byte[] kept = data.jdbc().sql("SELECT content FROM faulty_deltafiles WHERE project_id = :p").param("p", project.id()).query(byte[].class).single();
        assertThat(new String(kept, StandardCharsets.UTF_8)).isEqualTo(raw);
    }

    @Test
    void malformedJsonBadUuidsMissingClientIdAndForeignProjectAreRefused() {
        assertThat(push(owner, "{not json".getBytes(StandardCharsets.UTF_8)).json().get("message").asString()).contains("not valid JSON");
        String good = new String(DeltaFixtures.load("singlelayer_singledelta.json", project.id(), salt), StandardCharsets.UTF_8);
        Http.Response badUuid = push(owner, good.replaceFirst("\"uuid\":\"[^\"]+\"", "\"uuid\":\"not-a-uuid\"").getBytes(StandardCharsets.UTF_8));
        assertThat(badUuid.status()).isEqualTo(400);
        assertThat(badUuid.json().get("message").asString()).contains("$.deltas[0].uuid");
        Http.Response noClient = push(owner, good.replaceFirst("\"clientId\":\"[^\"]+\",", "").getBytes(StandardCharsets.UTF_8));
        assertThat(noClient.json().get("message").asString()).contains("clientId");
        UUID other = data.project(owner).id();
        Http.Response foreign = push(owner, DeltaFixtures.load("singlelayer_singledelta.json", other, salt));
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.json().get("code").asString()).isEqualTo("invalid_deltafile");
        assertThat(foreign.json().get("message").asString()).contains(other.toString());
        assertThat(storedDeltas()).isZero();
        assertThat(faultyFiles()).isEqualTo(4);
    }

    @Test
    void wrongOrDuplicateFilePartsAreRefused() {
        byte[] file = DeltaFixtures.load("singlelayer_singledelta.json", project.id(), salt);
        Http.Response wrongField = new Multipart().file("deltafile", "d.json", file).post(http.as(owner), "/api/v1/deltas/" + project.id() + "/");
        assertThat(wrongField.json().get("code").asString()).isEqualTo("empty_content");
        Http.Response two = new Multipart().file("file", "a.json", file).file("file", "b.json", file)
                .post(http.as(owner), "/api/v1/deltas/" + project.id() + "/");
        assertThat(two.json().get("code").asString()).isEqualTo("multiple_contents");
        assertThat(storedDeltas()).isZero();
    }

    @Test
    void projectWithoutQgisFileRefusesDeltas() {
        data.jdbc().sql("UPDATE projects SET the_qgis_file_name = NULL WHERE id = :p").param("p", project.id()).update();
        Http.Response r = push(owner, DeltaFixtures.load("singlelayer_singledelta.json", project.id(), salt));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().get("code").asString()).isEqualTo("no_qgis_project");
    }

    @Test
    void managersSetStatusReadersCannotSeeDeltas() {
        push(owner, DeltaFixtures.load("singlelayer_singledelta.json", project.id(), salt));
        String deltaId = http.as(owner).get("/api/v1/deltas/" + project.id() + "/").json().get(0).get("id").asString();
        Http.Response set = http.as(owner).post("/api/v1/deltas/" + project.id() + "/" + deltaId + "/status/", Map.of("status", "ignored"));
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().get("status").asString()).isEqualTo("STATUS_IGNORED");
        Http.Response bad = http.as(owner).post("/api/v1/deltas/" + project.id() + "/" + deltaId + "/status/", Map.of("status", "applied"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("message").asString()).contains("'status'");
        TestData.User reader = data.person("reader");
        data.collaborator(project, reader, "reader");
        assertThat(http.as(reader).get("/api/v1/deltas/" + project.id() + "/").status()).isEqualTo(403);
        assertThat(push(reader, DeltaFixtures.load("multistage_p1_c1_create.json", project.id(), salt)).status()).isEqualTo(403);
        TestData.User editor = data.person("editor");
        data.collaborator(project, editor, "editor");
        assertThat(http.as(editor).post("/api/v1/deltas/" + project.id() + "/" + deltaId + "/status/", Map.of("status", "pending")).status())
                .isEqualTo(403);
    }
}
