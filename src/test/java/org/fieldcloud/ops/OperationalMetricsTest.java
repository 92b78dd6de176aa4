package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.fieldcloud.jobs.ScriptedJobHandler;
import org.fieldcloud.jobs.Jobs;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Issue 13 monitoring: the Prometheus scrape carries the operational numbers, and they move with what happens —
 * job durations by type and outcome, the queue depth, stored bytes, login failures and lock-outs, the backup age —
 * beside Spring's requests by route and status. Readiness includes the database.
 */
class OperationalMetricsTest extends ApiTest {

    @Autowired
    Jobs jobs;

    @Test
    void theScrapeCountsJobsStorageAndLoginsAsTheyHappen() throws Exception {
        TestData.User staff = data.staff("scraper");
        String before = scrape(staff);

        TestData.User owner = data.person("metrics");
        TestData.Project project = data.project(owner);
        byte[] content = new byte[12_345];
        assertThat(new Multipart().file("file", "m.bin", content).post(http.as(owner), "/api/v1/files/" + project.id() + "/m.bin/").status()).isEqualTo(201);
        UUID failing = jobs.enqueue(project.id(), ScriptedJobHandler.TYPE, owner.id(), Map.of("test_action", "fail"), false);
        Instant deadline = Instant.now().plusSeconds(30);
        while (!jobs.find(failing).orElseThrow().status().equals("failed") && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
        }
        TestData.User locked = data.person("lockedout");
        for (int i = 0; i < 5; i++) {
            http.post("/api/v1/auth/login/", Map.of("username", locked.username(), "password", "wrong"));
        }
        http.post("/api/v1/auth/login/", Map.of("username", locked.username(), "password", "wrong"));

        String after = awaitJobMetric(staff, before);
        assertThat(value(after, "fieldcloud_job_duration_seconds_count", "status=\"failed\",type=\"test_scripted\""))
                .isGreaterThan(value(before, "fieldcloud_job_duration_seconds_count", "status=\"failed\",type=\"test_scripted\""));
        assertThat(value(after, "fieldcloud_storage_bytes", "")).isGreaterThanOrEqualTo(value(before, "fieldcloud_storage_bytes", "") + 12_345);
        assertThat(value(after, "fieldcloud_login_failures_total", "")).isGreaterThanOrEqualTo(value(before, "fieldcloud_login_failures_total", "") + 5);
        assertThat(value(after, "fieldcloud_login_lockouts_total", "")).isGreaterThanOrEqualTo(value(before, "fieldcloud_login_lockouts_total", "") + 1);
        assertThat(value(after, "fieldcloud_login_refused_locked_total", "")).isGreaterThanOrEqualTo(value(before, "fieldcloud_login_refused_locked_total", "") + 1);
        assertThat(after).contains("fieldcloud_jobs_waiting").contains("fieldcloud_backup_age_seconds")
                .contains("status=\"201\",uri=\"/api/v1/files/{project}/{*filename}\"");
        assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
    }

    /** The job's timer is recorded just after its row ends, on the worker's thread. */
    private String awaitJobMetric(TestData.User staff, String before) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        String now = scrape(staff);
        while (value(now, "fieldcloud_job_duration_seconds_count", "status=\"failed\",type=\"test_scripted\"")
                <= value(before, "fieldcloud_job_duration_seconds_count", "status=\"failed\",type=\"test_scripted\"") && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
            now = scrape(staff);
        }
        return now;
    }

    private String scrape(TestData.User staff) {
        var r = http.as(staff).get("/actuator/prometheus");
        assertThat(r.status()).isEqualTo(200);
        return r.text();
    }

    /** The value of one series (0 when absent); {@code labels} is the exact label text, empty for none. */
    private static double value(String scrape, String name, String labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + (labels.isEmpty() ? "(?:\\{[^}]*\\})?" : "\\{[^}]*" + Pattern.quote(labels) + "[^}]*\\}")
                + " ([0-9.eE+-]+)$").matcher(scrape);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
