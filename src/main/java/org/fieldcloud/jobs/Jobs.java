package org.fieldcloud.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/** The job queue in PostgreSQL: enqueue, claim, progress, finish, and recovery of abandoned jobs. */
@Service
public class Jobs {

    /** The channel whose notifications wake the workers; a statement that queues a job notifies it. */
    static final String CHANNEL = "fieldcloud_jobs";
    public static final Set<String> TYPES = Set.of(Job.PROCESS_PROJECTFILE, Job.PACKAGE, Job.DELTA_APPLY);
    static final String COLUMNS = "j.id, j.project_id, j.type, j.status, j.created_by, u.username AS created_by_username, "
            + "j.created_at, j.updated_at, j.started_at, j.finished_at, j.options, j.output, j.feedback";

    private final JdbcClient jdbc;
    private final ObjectMapper json;
    /** Wakes a worker of this process; set while {@link JobWorkers} run. */
    private volatile Runnable localWorkers = () -> { };

    Jobs(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /**
     * Queues a job and wakes the workers in the same transaction. With {@code reusePending}, an existing
     * pending job of the same type on the project, queued by the same person, is returned instead (ten quick
     * uploads make one job). Another person's waiting job is never reused: jobs work with the secrets of the
     * person they are for (DECISIONS D10.3).
     */
    @Transactional
    public UUID enqueue(UUID projectId, String type, long userId, Map<String, Object> options, boolean reusePending) {
        if (reusePending) {
            Optional<UUID> waiting = waiting(projectId, type, userId);
            if (waiting.isPresent()) {
                return waiting.get();
            }
        }
        Map<String, Object> stored = new java.util.HashMap<>(options == null ? Map.of() : options);
        if (Job.DELTA_APPLY.equals(type)) {
            // As the reference: conflicts are overwritten or not as the project says when the apply is queued.
            stored.putIfAbsent("overwrite_conflicts", jdbc.sql("SELECT overwrite_conflicts FROM projects WHERE id = :p")
                    .param("p", projectId).query(Boolean.class).single());
        }
        UUID id = UUID.randomUUID();
        jdbc.sql("INSERT INTO jobs (id, project_id, type, created_by, options) VALUES (:id, :p, :t, :u, CAST(:o AS jsonb))")
                .param("id", id).param("p", projectId).param("t", type).param("u", userId)
                .param("o", json.writeValueAsString(stored)).update();
        jdbc.sql("SELECT pg_notify('" + CHANNEL + "', :id)").param("id", id.toString()).query(String.class).optional();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    committed();
                }
            });
        }
        return id;
    }

    /**
     * Tells this process's workers that a job was committed, without waiting for the notification to come back from
     * PostgreSQL (through the listening connection and its thread, two more waits for a CPU on a loaded machine). The
     * statement that queued the job notifies too, for the other nodes; a worker woken twice finds nothing the second
     * time. Call it only after the commit: a worker woken before would not see the job yet.
     */
    public void committed() {
        localWorkers.run();
    }

    void wakeLocally(Runnable wake) {
        localWorkers = wake;
    }

    /**
     * For a statement that stores work for a person's delta_apply job in its own transaction (a push,
     * {@code Deltas#store}): the CTEs {@code waiting_job} and {@code new_job}, which, when {@code when} (a condition
     * over the statement's earlier CTEs) holds, do what {@link #enqueue} with {@code reusePending} does. The person's
     * oldest waiting delta_apply job of the project is reused, its row locked {@code FOR SHARE} until the commit: a
     * worker's claim skips a locked job, so it cannot start and take the pending deltas before the new ones are
     * visible. If a claim took it first, the re-checked row no longer waits, and a new job is queued instead.
     * Parameters: {@code :p} the project, {@code :u} the person, {@code :new_job} a fresh id. The statement then
     * selects {@link #NOTIFY_DELTA_APPLY} (whichever job it was: a skipped one must be looked at again after the
     * commit), and the caller calls {@link #committed} once it has returned.
     */
    public static String deltaApplyFor(String when) {
        return """
                waiting_job AS (
                    SELECT id FROM jobs
                     WHERE project_id = :p AND type = '%1$s' AND created_by = :u AND status IN ('pending', 'queued') AND %2$s
                     ORDER BY seq LIMIT 1 FOR SHARE
                ), new_job AS (
                    INSERT INTO jobs (id, project_id, type, created_by, options)
                    SELECT :new_job, :p, '%1$s', :u, jsonb_build_object('overwrite_conflicts', pr.overwrite_conflicts)
                      FROM projects pr
                     WHERE pr.id = :p AND %2$s AND NOT EXISTS (SELECT 1 FROM waiting_job)
                    RETURNING id
                )
                """.formatted(Job.DELTA_APPLY, when);
    }

    /** Wakes the workers for the job of {@link #deltaApplyFor}; a SQL expression. */
    public static final String NOTIFY_DELTA_APPLY =
            "pg_notify('" + CHANNEL + "', coalesce((SELECT id FROM new_job), (SELECT id FROM waiting_job))::text)";

    /** The person's oldest job of this type on the project that waits to start. */
    public Optional<UUID> waiting(UUID projectId, String type, long userId) {
        return jdbc.sql("SELECT id FROM jobs WHERE project_id = :p AND type = :t AND created_by = :u "
                        + "AND status IN ('pending', 'queued') ORDER BY seq LIMIT 1")
                .param("p", projectId).param("t", type).param("u", userId).query(UUID.class).optional();
    }

    public Optional<Job> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs j LEFT JOIN users u ON u.id = j.created_by WHERE j.id = :id")
                .param("id", id).query(this::map).optional();
    }

    /** Jobs waiting to be claimed, on every project: the queue depth. */
    public long queueDepth() {
        return jdbc.sql("SELECT count(*) FROM jobs WHERE status IN ('pending', 'queued')").query(Long.class).single();
    }

    /** True while the project has a job waiting or running (the project's status is then 'busy'). */
    public boolean busy(UUID projectId) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM jobs WHERE project_id = :p AND status IN ('pending', 'queued', 'started'))")
                .param("p", projectId).query(Boolean.class).single();
    }

    /** The newest jobs of a project, newest first; {@code packageOnly} for people who may see package jobs only. */
    public List<Job> recent(UUID projectId, boolean packageOnly, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM jobs j LEFT JOIN users u ON u.id = j.created_by WHERE j.project_id = :p"
                        + (packageOnly ? " AND j.type = 'package'" : "") + " ORDER BY j.seq DESC LIMIT :limit")
                .param("p", projectId).param("limit", limit).query(this::map).list();
    }

    /**
     * Takes the oldest waiting job of a project with no running job; empty when there is none. A project's jobs
     * run in the order they were queued: a job is only taken when no older job of its project still waits, even
     * if another worker is claiming that older one at this moment (SKIP LOCKED would otherwise pass over it).
     * A job whose row another transaction locks (a push adding its deltas to it, {@code Deltas#store}) is skipped
     * until that commits; the committer wakes the workers again.
     */
    Optional<Job> claim(String workerId) {
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                Optional<UUID> id = jdbc.sql("""
                        UPDATE jobs SET status = 'started', started_at = now(), heartbeat_at = now(), updated_at = now(), worker_id = :w
                         WHERE id = (SELECT j.id FROM jobs j
                                      WHERE j.status IN ('pending', 'queued')
                                        AND NOT EXISTS (SELECT 1 FROM jobs s WHERE s.project_id = j.project_id AND s.status = 'started')
                                        AND NOT EXISTS (SELECT 1 FROM jobs e WHERE e.project_id = j.project_id
                                                          AND e.status IN ('pending', 'queued') AND e.seq < j.seq)
                                      ORDER BY j.seq LIMIT 1 FOR UPDATE SKIP LOCKED)
                        RETURNING id""")
                        .param("w", workerId).query(UUID.class).optional();
                return id.flatMap(this::find);
            } catch (DuplicateKeyException raced) {
                // Another worker started a job of the same project at the same moment: look again.
            }
        }
        return Optional.empty();
    }

    void heartbeat(Set<UUID> running) {
        if (!running.isEmpty()) {
            jdbc.sql("UPDATE jobs SET heartbeat_at = now() WHERE id IN (:ids) AND status = 'started'").param("ids", running).update();
        }
    }

    void appendOutput(UUID id, String line) {
        jdbc.sql("UPDATE jobs SET output = output || :line || E'\\n', updated_at = now() WHERE id = :id").param("line", line).param("id", id).update();
    }

    void storeFeedback(UUID id, String feedbackJson) {
        jdbc.sql("UPDATE jobs SET feedback = CAST(:f AS jsonb), updated_at = now() WHERE id = :id").param("f", feedbackJson).param("id", id).update();
    }

    /**
     * Ends a started job; false when it had already been ended (e.g. failed by recovery). A job of the same project
     * that waited for this one may now start: workers are notified only then. This worker looks for more work next
     * anyway, and an unconditional notification is a transaction that holds PostgreSQL's notification lock until its
     * commit is on disk, so every job's end made concurrent pushes and enqueues wait for another disk flush.
     */
    boolean finish(UUID id, String status, String lastLine) {
        Optional<UUID> project = jdbc.sql("UPDATE jobs SET status = :s, finished_at = now(), updated_at = now(), "
                        + "output = output || coalesce(:line || E'\\n', '') WHERE id = :id AND status = 'started' RETURNING project_id")
                .param("s", status).param("line", lastLine).param("id", id).query(UUID.class).optional();
        project.ifPresent(p -> jdbc.sql("SELECT pg_notify('" + CHANNEL + "', '') FROM (SELECT 1 FROM jobs WHERE project_id = :p"
                + " AND status IN ('pending', 'queued') LIMIT 1) waiting").param("p", p).query(String.class).optional());
        return project.isPresent();
    }

    /** Fails started jobs whose worker stopped sending heartbeats; returns them for the recovery listeners. */
    List<Job> failStale(long staleAfterSeconds) {
        List<UUID> ids = jdbc.sql("""
                UPDATE jobs SET status = 'failed', finished_at = now(), updated_at = now(),
                       output = output || 'Job failed: its worker stopped responding (no heartbeat for ' || :secs || ' s); it may have crashed.' || E'\\n'
                 WHERE status = 'started' AND heartbeat_at < now() - make_interval(secs => :secs)
                RETURNING id""")
                .param("secs", (double) staleAfterSeconds).query(UUID.class).list();
        if (!ids.isEmpty()) {
            notifyWorkers();
        }
        return ids.stream().map(this::find).flatMap(Optional::stream).toList();
    }

    void notifyWorkers() {
        jdbc.sql("SELECT pg_notify('" + CHANNEL + "', '')").query(String.class).optional();
    }

    String toJson(Object value) {
        return json.writeValueAsString(value);
    }

    Job map(ResultSet rs, int n) throws SQLException {
        Map<String, Object> options = json.readValue(rs.getString("options"), new TypeReference<Map<String, Object>>() { });
        Long createdBy = rs.getObject("created_by", Long.class);
        return new Job(rs.getObject("id", UUID.class), rs.getObject("project_id", UUID.class), rs.getString("type"),
                rs.getString("status"), createdBy, rs.getString("created_by_username"),
                rs.getObject("created_at", OffsetDateTime.class), rs.getObject("updated_at", OffsetDateTime.class),
                rs.getObject("started_at", OffsetDateTime.class), rs.getObject("finished_at", OffsetDateTime.class),
                options, rs.getString("output"), rs.getString("feedback"));
    }
}
