package org.fieldcloud.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.ChannelListener;
import org.fieldcloud.support.TestData;
import org.fieldcloud.support.WorkerProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Autowired;

/** The PostgreSQL queue with the server's two in-process workers (test settings: heartbeat 1 s, stale after 3 s). */
@ExtendWith(OutputCaptureExtension.class)
class JobQueueTest extends ApiTest {

    @Autowired
    Jobs jobs;

    @Autowired
    javax.sql.DataSource dataSource;

    private Job await(UUID id, Predicate<Job> done, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        Job job = jobs.find(id).orElseThrow();
        while (!done.test(job) && Instant.now().isBefore(deadline)) {
            Thread.sleep(20);
            job = jobs.find(id).orElseThrow();
        }
        return job;
    }

    /** A project secret, created through the API by the project's owner. */
    private void secret(TestData.User owner, TestData.Project p, String name, String value) {
        assertThat(http.as(owner).post("/api/v1/projects/" + p.id() + "/secrets/", Map.of("type", "envvar", "name", name, "value", value))
                .status()).isEqualTo(201);
    }

    /** The listeners are told just after the job row ends, on the worker's thread: wait for it, bounded. */
    private static boolean awaitAbandoned(UUID id) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (!RecordingRecoveryListener.ABANDONED.contains(id) && Instant.now().isBefore(deadline)) {
            Thread.sleep(10);
        }
        return RecordingRecoveryListener.ABANDONED.contains(id);
    }

    private static boolean ended(Job j) {
        return j.status().equals("finished") || j.status().equals("failed");
    }

    @Test
    void aQueuedJobIsWokenByNotifyAndFinishesWithItsLogAndFeedbackMasked() throws Exception {
        TestData.User owner = data.person("queue");
        TestData.Project p = data.project(owner);
        secret(owner, p, "CANARY", "hunter2-canary");
        UUID id = jobs.enqueue(p.id(), ScriptedJobHandler.TYPE, p.ownerId(), Map.of("emit_secret", "CANARY"), false);
        Job started = await(id, j -> j.startedAt() != null, Duration.ofSeconds(25));
        assertThat(started.startedAt()).as("started by a notified worker, not only at the 30 s fallback re-check").isNotNull();
        Job done = await(id, JobQueueTest::ended, Duration.ofSeconds(10));
        assertThat(done.status()).isEqualTo("finished");
        assertThat(done.output()).contains("scripted step one ***").contains("Job finished.").doesNotContain("hunter2-canary");
        assertThat(done.feedback()).contains("\"result\"").doesNotContain("hunter2-canary");
    }

    /** A job this process committed wakes a local worker directly; the notification is for the other nodes. */
    @Test
    void aJobCommittedByThisProcessWakesALocalWorkerWithoutANotification() throws Exception {
        TestData.Project p = data.project(data.person("queue"));
        UUID id = UUID.randomUUID();
        // A plain insert sends no NOTIFY: without the local wake-up only the 30 s re-check would find the job.
        data.jdbc().sql("INSERT INTO jobs (id, project_id, type, created_by) VALUES (:id, :p, :t, :u)")
                .param("id", id).param("p", p.id()).param("t", ScriptedJobHandler.TYPE).param("u", p.ownerId()).update();
        jobs.committed();
        Job started = await(id, j -> j.startedAt() != null, Duration.ofSeconds(10));
        assertThat(started.startedAt()).as("started by the local wake-up").isNotNull();
    }

    @Test
    void aFailingHandlerFailsTheJobWithItsMessageAndTellsTheRecoveryListeners() throws Exception {
        TestData.Project p = data.project(data.person("queue"));
        UUID id = jobs.enqueue(p.id(), ScriptedJobHandler.TYPE, p.ownerId(), Map.of("test_action", "fail"), false);
        Job done = await(id, JobQueueTest::ended, Duration.ofSeconds(10));
        assertThat(done.status()).isEqualTo("failed");
        assertThat(done.output()).contains("Job failed: scripted failure for " + p.id());
        assertThat(awaitAbandoned(id)).as("recovery listeners told").isTrue();
    }

    @Test
    void aFailureMessageQuotingASecretIsMaskedInTheJobAndInTheServerLog(CapturedOutput log) throws Exception {
        TestData.User owner = data.person("queue");
        TestData.Project p = data.project(owner);
        String canary = "canary-" + UUID.randomUUID();
        secret(owner, p, "CANARY", canary);
        UUID id = jobs.enqueue(p.id(), ScriptedJobHandler.TYPE, p.ownerId(), Map.of("test_action", "fail", "emit_secret", "CANARY"), false);
        Job done = await(id, JobQueueTest::ended, Duration.ofSeconds(10));
        assertThat(done.status()).isEqualTo("failed");
        assertThat(done.output()).contains("Job failed: scripted failure for " + p.id() + " ***").doesNotContain(canary);
        assertThat(log.getAll()).contains("Job " + id + " failed (IllegalStateException)").doesNotContain(canary);
    }

    @Test
    void aWaitingJobIsReusedForTheSamePersonOnlyNeverForAnother() {
        TestData.User owner = data.person("queue");
        TestData.User colleague = data.person("queue");
        TestData.Project p = data.project(owner);
        data.collaborator(p, colleague, "editor");
        String latch = UUID.randomUUID().toString();
        jobs.enqueue(p.id(), ScriptedJobHandler.TYPE, owner.id(), Map.of("test_action", "block", "latch", latch), false);
        try {
            UUID first = jobs.enqueue(p.id(), Job.DELTA_APPLY, owner.id(), Map.of(), true);
            assertThat(jobs.enqueue(p.id(), Job.DELTA_APPLY, owner.id(), Map.of(), true)).isEqualTo(first);
            UUID colleagues = jobs.enqueue(p.id(), Job.DELTA_APPLY, colleague.id(), Map.of(), true);
            assertThat(colleagues).isNotEqualTo(first);
            assertThat(jobs.find(colleagues).orElseThrow().createdBy()).isEqualTo(colleague.id());
        } finally {
            ScriptedJobHandler.release(latch);
        }
    }

    @Test
    void aJobOverItsTimeLimitIsStopped() throws Exception {
        TestData.Project p = data.project(data.person("queue"));
        UUID id = jobs.enqueue(p.id(), ScriptedJobHandler.TYPE, p.ownerId(), Map.of("test_action", "sleep", "millis", 20_000, "timeout_seconds", 1), false);
        Job done = await(id, JobQueueTest::ended, Duration.ofSeconds(10));
        assertThat(done.status()).isEqualTo("failed");
        assertThat(done.output()).contains("time limit of 1 s");
        assertThat(awaitAbandoned(id)).as("recovery listeners told").isTrue();
    }

    /**
     * Workers of other processes skipped a job whose project had one running; when that one ends they are notified.
     * (An end with nothing waiting notifies no one: see {@link Jobs#finish}.)
     */
    @Test
    void theEndOfAJobNotifiesWorkersWhenItsProjectHasAnotherWaiting() throws Exception {
        TestData.Project p = data.project(data.person("queue"));
        UUID running = UUID.randomUUID();
        UUID waiting = UUID.randomUUID();
        data.jdbc().sql("INSERT INTO jobs (id, project_id, type, created_by, status, started_at) VALUES (:id, :p, :t, :u, 'started', now())")
                .param("id", running).param("p", p.id()).param("t", ScriptedJobHandler.TYPE).param("u", p.ownerId()).update();
        data.jdbc().sql("INSERT INTO jobs (id, project_id, type, created_by) VALUES (:id, :p, :t, :u)")
                .param("id", waiting).param("p", p.id()).param("t", ScriptedJobHandler.TYPE).param("u", p.ownerId()).update();
        try (ChannelListener workers = new ChannelListener(dataSource, Jobs.CHANNEL)) {
            assertThat(jobs.finish(running, "finished", "Job finished.")).isTrue();
            assertThat(workers.payloadsUntil(payload -> true, Duration.ofSeconds(10))).as("notified of the job's end").isNotEmpty();
        }
        assertThat(await(waiting, JobQueueTest::ended, Duration.ofSeconds(10)).status()).isEqualTo("finished");
    }

    @Test
    void onlyOneJobPerProjectRunsWhileAnotherProjectProceeds() throws Exception {
        TestData.User owner = data.person("queue");
        TestData.Project p = data.project(owner);
        TestData.Project other = data.project(owner);
        String latch = UUID.randomUUID().toString();
        UUID first = jobs.enqueue(p.id(), ScriptedJobHandler.TYPE, owner.id(), Map.of("test_action", "block", "latch", latch), false);
        UUID second = jobs.enqueue(p.id(), ScriptedJobHandler.TYPE, owner.id(), Map.of(), false);
        UUID elsewhere = jobs.enqueue(other.id(), ScriptedJobHandler.TYPE, owner.id(), Map.of(), false);
        assertThat(await(first, j -> j.status().equals("started"), Duration.ofSeconds(5)).status()).isEqualTo("started");
        assertThat(await(elsewhere, JobQueueTest::ended, Duration.ofSeconds(10)).status()).isEqualTo("finished");
        assertThat(jobs.find(second).orElseThrow().status()).as("waits for the project's running job").isEqualTo("pending");
        assertThat(jobs.busy(p.id())).isTrue();
        ScriptedJobHandler.release(latch);
        assertThat(await(second, JobQueueTest::ended, Duration.ofSeconds(10)).status()).isEqualTo("finished");
        assertThat(jobs.find(first).orElseThrow().finishedAt()).isBefore(jobs.find(second).orElseThrow().startedAt());
        assertThat(jobs.busy(p.id())).isFalse();
    }

    @Test
    void anApplyJobKeepsTheProjectsConflictSettingOfTheMomentItWasQueued() {
        TestData.User owner = data.person("queue");
        TestData.Project p = data.project(owner);
        String latch = UUID.randomUUID().toString();
        jobs.enqueue(p.id(), ScriptedJobHandler.TYPE, owner.id(), Map.of("test_action", "block", "latch", latch), false);
        try {
            data.jdbc().sql("UPDATE projects SET overwrite_conflicts = false WHERE id = :p").param("p", p.id()).update();
            UUID apply = jobs.enqueue(p.id(), Job.DELTA_APPLY, owner.id(), Map.of(), false);
            data.jdbc().sql("UPDATE projects SET overwrite_conflicts = true WHERE id = :p").param("p", p.id()).update();
            assertThat(jobs.find(apply).orElseThrow().options()).containsEntry("overwrite_conflicts", false);
        } finally {
            ScriptedJobHandler.release(latch);
        }
    }

    @Test
    void reusingAPendingJobGivesOneJobForManyTriggers() {
        TestData.User owner = data.person("queue");
        TestData.Project p = data.project(owner);
        String latch = UUID.randomUUID().toString();
        jobs.enqueue(p.id(), ScriptedJobHandler.TYPE, owner.id(), Map.of("test_action", "block", "latch", latch), false);
        try {
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ids.add(jobs.enqueue(p.id(), Job.DELTA_APPLY, owner.id(), Map.of(), true));
            }
            assertThat(ids).containsOnly(ids.get(0));
        } finally {
            ScriptedJobHandler.release(latch);
        }
    }

    /**
     * A separate worker process claims a job and is killed with SIGKILL: the server's maintenance sees the stale
     * heartbeat and fails the job. The server's two workers are first kept busy so that only the external one is free.
     */
    @Test
    void aJobOfAKilledWorkerProcessEndsFailedWithinAMinute() throws Exception {
        TestData.User owner = data.person("crash");
        String latch = UUID.randomUUID().toString();
        List<UUID> blockers = List.of(
                jobs.enqueue(data.project(owner).id(), ScriptedJobHandler.TYPE, owner.id(), Map.of("test_action", "block", "latch", latch), false),
                jobs.enqueue(data.project(owner).id(), ScriptedJobHandler.TYPE, owner.id(), Map.of("test_action", "block", "latch", latch), false));
        for (UUID b : blockers) {
            assertThat(await(b, j -> j.status().equals("started"), Duration.ofSeconds(10)).status()).isEqualTo("started");
        }
        Process worker = WorkerProcess.start("crash-worker.log");
        try {
            UUID crash = jobs.enqueue(data.project(owner).id(), ScriptedJobHandler.TYPE, owner.id(),
                    Map.of("test_action", "block", "latch", "never-released-" + latch), false);
            Job running = await(crash, j -> j.status().equals("started") && j.output().contains("started by worker"), Duration.ofSeconds(90));
            assertThat(running.status()).as("claimed by the external worker").isEqualTo("started");
            assertThat(running.output()).contains("started by worker " + worker.pid() + "@");
            worker.destroyForcibly().waitFor();
            Instant killed = Instant.now();
            Job failed = await(crash, JobQueueTest::ended, Duration.ofSeconds(60));
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.output()).contains("worker stopped responding");
            assertThat(Duration.between(killed, Instant.now())).isLessThan(Duration.ofSeconds(60));
            assertThat(awaitAbandoned(crash)).as("recovery listeners told").isTrue();
        } finally {
            worker.destroyForcibly();
            ScriptedJobHandler.release(latch);
        }
    }
}
