package org.fieldcloud.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.fieldcloud.support.Actors;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/** {@code /api/v1/jobs/}: permissions.md rows 23–25 and note ᶠ, and bad input. */
class JobsApiTest extends ApiTest {

    private static final Set<String> TRIGGER_PACKAGE = Set.of("3", "4", "5", "6", "7", "8", "9", "10");
    private static final Set<String> READ_ALL_JOBS = Set.of("3", "4", "5", "6", "7", "9", "10");

    @Autowired
    Jobs jobs;

    private static int denial(String column) {
        return column.equals("1") ? 401 : 403;
    }

    private Http.Response create(TestData.User user, UUID project, String type) {
        Map<String, Object> body = new HashMap<>();
        body.put("project_id", project.toString());
        body.put("type", type);
        body.put("force", true);
        return http.as(user).post("/api/v1/jobs/", body);
    }

    @Test
    void row23TriggerAndPollPackageJobs() {
        Actors actors = new Actors(data).withQgisFile(data);
        for (String column : Actors.COLUMNS) {
            TestData.User user = actors.user(column);
            UUID project = actors.project(column).id();
            Http.Response r = create(user, project, "package");
            int expected = TRIGGER_PACKAGE.contains(column) ? 201 : denial(column);
            assertThat(r.status()).as("row 23 actor " + column + ": " + r).isEqualTo(expected);
            if (expected == 201) {
                String id = r.json().get("id").asString();
                Http.Response polled = http.as(user).get("/api/v1/jobs/" + id + "/");
                assertThat(polled.status()).as("poll, actor " + column).isEqualTo(200);
                assertThat(polled.json().get("type").asString()).isEqualTo("package");
            }
        }
    }

    @Test
    void row24ListAndReadJobsWithLogs() {
        Actors actors = new Actors(data).withQgisFile(data);
        UUID orgJob = jobs.enqueue(actors.organizational.id(), Job.DELTA_APPLY, actors.user("9").id(), Map.of(), false);
        UUID personalJob = jobs.enqueue(actors.personal.id(), Job.DELTA_APPLY, actors.user("3").id(), Map.of(), false);
        for (String column : Actors.COLUMNS) {
            UUID job = column.equals("3") ? personalJob : orgJob;
            Http.Response r = http.as(actors.user(column)).get("/api/v1/jobs/" + job + "/");
            int expected = READ_ALL_JOBS.contains(column) ? 200 : denial(column);
            assertThat(r.status()).as("row 24 actor " + column + ": " + r).isEqualTo(expected);
            if (expected == 200) {
                assertThat(r.json().has("output")).isTrue();
                assertThat(r.json().has("feedback")).isTrue();
            }
            Http.Response list = http.as(actors.user(column)).get("/api/v1/jobs/?project_id=" + actors.project(column).id());
            int listExpected = READ_ALL_JOBS.contains(column) || column.equals("8") ? 200 : denial(column);
            assertThat(list.status()).as("row 24 list actor " + column).isEqualTo(listExpected);
        }
    }

    @Test
    void row25TriggerProcessing() {
        Actors actors = new Actors(data).withQgisFile(data);
        for (String column : Actors.COLUMNS) {
            Http.Response r = create(actors.user(column), actors.project(column).id(), "process_projectfile");
            int expected = READ_ALL_JOBS.contains(column) ? 201 : denial(column);
            assertThat(r.status()).as("row 25 actor " + column + ": " + r).isEqualTo(expected);
        }
    }

    @Test
    void readersSeeOnlyPackageJobsWithoutLogsOrFeedback() {
        Actors actors = new Actors(data).withQgisFile(data);
        UUID project = actors.organizational.id();
        UUID apply = jobs.enqueue(project, Job.DELTA_APPLY, actors.user("9").id(), Map.of(), false);
        TestData.User reader = actors.user("8");
        String packageId = create(reader, project, "package").json().get("id").asString();
        JsonNode list = http.as(reader).get("/api/v1/jobs/?project_id=" + project).json();
        assertThat(list.size()).isEqualTo(1);
        assertThat(list.get(0).get("id").asString()).isEqualTo(packageId);
        assertThat(list.get(0).has("output")).isFalse();
        assertThat(list.get(0).has("feedback")).isFalse();
        assertThat(http.as(reader).get("/api/v1/jobs/" + packageId + "/").json().has("output")).isFalse();
        assertThat(http.as(reader).get("/api/v1/jobs/" + apply + "/").status()).isEqualTo(403);
        JsonNode managerView = http.as(actors.user("5")).get("/api/v1/jobs/?project_id=" + project).json();
        assertThat(managerView.size()).isEqualTo(2);
    }

    @Test
    void badInputIsRefusedClearly() {
        Actors actors = new Actors(data).withQgisFile(data);
        TestData.User owner = actors.user("9");
        UUID project = actors.organizational.id();
        Http.Response unknownType = create(owner, project, "render");
        assertThat(unknownType.status()).isEqualTo(400);
        assertThat(unknownType.json().get("message").asString()).contains("'type'").contains("delta_apply");
        Http.Response noProject = http.as(owner).post("/api/v1/jobs/", Map.of("type", "package"));
        assertThat(noProject.json().get("message").asString()).contains("'project_id'");
        Http.Response badUuid = http.as(owner).post("/api/v1/jobs/", Map.of("type", "package", "project_id", "abc"));
        assertThat(badUuid.status()).isEqualTo(400);
        assertThat(create(owner, UUID.randomUUID(), "package").status()).isEqualTo(404);
        assertThat(http.as(owner).get("/api/v1/jobs/").status()).isEqualTo(400);
        assertThat(http.as(owner).get("/api/v1/jobs/?project_id=" + project + "&status=done").status()).isEqualTo(400);
        assertThat(http.as(owner).get("/api/v1/jobs/" + UUID.randomUUID() + "/").status()).isEqualTo(404);
        data.jdbc().sql("UPDATE projects SET the_qgis_file_name = NULL WHERE id = :p").param("p", project).update();
        Http.Response noQgis = create(owner, project, "process_projectfile");
        assertThat(noQgis.json().get("code").asString()).isEqualTo("no_qgis_project");
    }

    @Test
    void creatingWithoutForceReturnsTheWaitingJob() {
        Actors actors = new Actors(data).withQgisFile(data);
        UUID project = actors.organizational.id();
        String latch = UUID.randomUUID().toString();
        jobs.enqueue(project, ScriptedJobHandler.TYPE, actors.user("9").id(), Map.of("test_action", "block", "latch", latch), false);
        try {
            Map<String, Object> body = Map.of("project_id", project.toString(), "type", "delta_apply");
            String first = http.as(actors.user("9")).post("/api/v1/jobs/", body).json().get("id").asString();
            String second = http.as(actors.user("9")).post("/api/v1/jobs/", body).json().get("id").asString();
            assertThat(second).isEqualTo(first);
        } finally {
            ScriptedJobHandler.release(latch);
        }
    }
}
