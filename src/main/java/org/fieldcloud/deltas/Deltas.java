package org.fieldcloud.deltas;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.jobs.Jobs;
import org.fieldcloud.permissions.Policy;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.util.RawValue;

/** Stores pushed deltas and reports their status. */
@Service
public class Deltas {

    static final String UNPERMITTED_MESSAGE = "User has no rights to create delta on this project. "
            + "Try inviting him as a collaborator with proper permissions and try again.";

    private final JdbcClient jdbc;
    private final DeltafileParser parser;
    private final ApplicationEventPublisher events;
    private final ObjectMapper json;
    private final Jobs jobs;

    Deltas(JdbcClient jdbc, DeltafileParser parser, ApplicationEventPublisher events, ObjectMapper json, Jobs jobs) {
        this.jdbc = jdbc;
        this.parser = parser;
        this.events = events;
        this.json = json;
        this.jobs = jobs;
    }

    /**
     * Validates and stores a deltafile, with its delta_apply job, in one transaction. Deltas whose uuid exists already are skipped,
     * so pushing the same file twice is harmless. {@code mayModify} is false for reporters, whose
     * patch and delete deltas are stored as unpermitted and never applied.
     */
    void push(Policy.ProjectAccess project, long userId, boolean mayModify, byte[] raw, String userAgent) {
        DeltafileParser.Deltafile file;
        try {
            file = parser.parse(raw);
        } catch (DeltafileParser.Invalid e) {
            keepFaulty(project.projectId(), e.deltafileId, userId, userAgent, e.getMessage(), raw);
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_deltafile", e.getMessage());
        }
        if (!file.project().equals(project.projectId())) {
            String message = "The deltafile is for project " + file.project() + ", but was pushed to project " + project.projectId() + ".";
            keepFaulty(project.projectId(), file.id(), userId, userAgent, message, raw);
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_deltafile", message);
        }
        if (!hasQgisFile(project.projectId())) {
            keepFaulty(project.projectId(), file.id(), userId, userAgent, "project has no QGIS file", raw);
            throw new ApiException(HttpStatus.BAD_REQUEST, "no_qgis_project", "The project has no QGIS project file yet; upload one before pushing deltas.");
        }
        if (store(project.projectId(), file, userId, mayModify, userAgent) > 0) {
            jobs.committed();
        }
    }

    /**
     * The push's transaction is this one statement (autocommit): the push row, its deltas in file order, and, when a
     * delta is pending, the delta_apply job with its wake-up. A push is never stored without its job, and no round
     * trip to this process happens while the transaction is open (under load, each one waited for a CPU while the
     * transaction held its locks). Everything that can be done before, parsing and the checks, was.
     *
     * <p>The job part comes from the jobs feature ({@link Jobs#deltaApplyFor}): as {@link Jobs#enqueue} with
     * {@code reusePending}, the person's waiting delta_apply job of the project takes these deltas, or a new one is
     * queued.
     */
    private int store(UUID projectId, DeltafileParser.Deltafile file, long userId, boolean mayModify, String userAgent) {
        ArrayNode incoming = json.createArrayNode();
        for (DeltafileParser.Delta d : file.deltas()) {
            incoming.addObject().put("id", d.uuid().toString()).put("client_id", d.clientId().toString())
                    .put("permitted", mayModify || "create".equals(d.method()))
                    .putRawValue("content", new RawValue(d.content().toString())); // the parser's own JSON text
        }
        return jdbc.sql("""
                WITH push AS (
                    INSERT INTO delta_pushes (project_id, deltafile_id, client_pks, user_agent, created_by)
                    VALUES (:p, :d, CAST(:pks AS jsonb), :ua, :u) RETURNING id
                ), incoming AS (
                    SELECT CAST(e ->> 'id' AS uuid) AS id, CAST(e ->> 'client_id' AS uuid) AS client_id, e -> 'content' AS content,
                           CAST(e ->> 'permitted' AS boolean) AS permitted, n
                      FROM jsonb_array_elements(CAST(:incoming AS jsonb)) WITH ORDINALITY AS x (e, n)
                ), stored AS (
                    INSERT INTO deltas (id, push_id, project_id, deltafile_id, client_id, content, created_by, last_status, last_feedback)
                    SELECT i.id, push.id, :p, :d, i.client_id, i.content, :u,
                           CASE WHEN i.permitted THEN 'pending' ELSE 'unpermitted' END,
                           CASE WHEN i.permitted THEN NULL ELSE CAST(:feedback AS jsonb) END
                      FROM incoming i CROSS JOIN push
                     ORDER BY i.n
                    ON CONFLICT (id) DO NOTHING
                    RETURNING last_status
                ), pending AS (
                    SELECT count(*) AS n FROM stored WHERE last_status = 'pending'
                ), %s
                SELECT n, CASE WHEN n > 0 THEN %s END FROM pending""".formatted(Jobs.deltaApplyFor("(SELECT n FROM pending) > 0"),
                        Jobs.NOTIFY_DELTA_APPLY))
                .param("p", projectId).param("d", file.id())
                .param("pks", file.clientPks() == null ? null : file.clientPks().toString())
                .param("ua", userAgent == null ? "" : userAgent).param("u", userId)
                .param("incoming", incoming.toString())
                .param("feedback", json.writeValueAsString(Map.of("msg", UNPERMITTED_MESSAGE)))
                .param("new_job", UUID.randomUUID())
                .query((rs, n) -> rs.getInt(1)).single();
    }

    private void keepFaulty(UUID projectId, UUID deltafileId, long userId, String userAgent, String error, byte[] raw) {
        jdbc.sql("""
                INSERT INTO faulty_deltafiles (project_id, deltafile_id, user_agent, error, content, created_by)
                VALUES (:p, :d, :ua, :e, :c, :u)""")
                .param("p", projectId).param("d", deltafileId).param("ua", userAgent == null ? "" : userAgent)
                .param("e", error).param("c", raw).param("u", userId).update();
    }

    private boolean hasQgisFile(UUID projectId) {
        return jdbc.sql("SELECT the_qgis_file_name IS NOT NULL FROM projects WHERE id = :p").param("p", projectId)
                .query(Boolean.class).single();
    }

    /** The newest deltas of a project for the web page; the caller asks the policy module (READ_DELTAS) first. */
    public List<Map<String, Object>> newest(UUID projectId, int limit) {
        return list(projectId, null, true, new Page(limit, 0));
    }

    List<Map<String, Object>> list(UUID projectId, UUID deltafileId, boolean newestFirst, Page page) {
        return jdbc.sql("SELECT d.*, u.username AS created_by_username FROM deltas d LEFT JOIN users u ON u.id = d.created_by "
                        + "WHERE d.project_id = :p " + (deltafileId == null ? "" : "AND d.deltafile_id = :d ")
                        + "ORDER BY d.created_at " + (newestFirst ? "DESC" : "ASC") + ", d.seq " + (newestFirst ? "DESC" : "ASC") + page.sql())
                .param("p", projectId).params(deltafileId == null ? Map.of() : Map.of("d", deltafileId))
                .query(this::view).list();
    }

    long count(UUID projectId, UUID deltafileId) {
        return jdbc.sql("SELECT count(*) FROM deltas WHERE project_id = :p" + (deltafileId == null ? "" : " AND deltafile_id = :d"))
                .param("p", projectId).params(deltafileId == null ? Map.of() : Map.of("d", deltafileId))
                .query(Long.class).single();
    }

    Map<String, Object> setStatus(UUID projectId, UUID deltaId, DeltaStatus status, long userId) {
        int updated = jdbc.sql("UPDATE deltas SET last_status = :s, updated_at = now() WHERE id = :id AND project_id = :p AND last_status <> 'started'")
                .param("s", status.raw()).param("id", deltaId).param("p", projectId).update();
        if (updated == 0) {
            boolean exists = jdbc.sql("SELECT EXISTS (SELECT 1 FROM deltas WHERE id = :id AND project_id = :p)")
                    .param("id", deltaId).param("p", projectId).query(Boolean.class).single();
            if (!exists) {
                throw ApiException.notFound("no delta " + deltaId + " in this project.");
            }
            throw ApiException.validation("Delta " + deltaId + " is being applied right now; set its status after the job ends.");
        }
        if (status == DeltaStatus.PENDING) {
            requestApply(projectId, userId);
        }
        return jdbc.sql("SELECT d.*, u.username AS created_by_username FROM deltas d LEFT JOIN users u ON u.id = d.created_by WHERE d.id = :id")
                .param("id", deltaId).query(this::view).single();
    }

    /** Asks for an apply of the project's pending deltas (the deprecated endpoint and manual retries). */
    void requestApply(UUID projectId, long userId) {
        if (!hasQgisFile(projectId)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "no_qgis_project", "The project has no QGIS project file; nothing can be applied.");
        }
        boolean anyPending = jdbc.sql("SELECT EXISTS (SELECT 1 FROM deltas WHERE project_id = :p AND last_status = 'pending')")
                .param("p", projectId).query(Boolean.class).single();
        if (anyPending) {
            events.publishEvent(new DeltasPushed(projectId, userId));
        }
    }

    private Map<String, Object> view(ResultSet rs, int n) throws SQLException {
        String feedback = rs.getString("last_feedback");
        JsonNode feedbackJson = feedback == null ? null : json.readTree(feedback);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", rs.getObject("id", UUID.class));
        out.put("deltafile_id", rs.getObject("deltafile_id", UUID.class));
        out.put("created_by", rs.getString("created_by_username"));
        out.put("created_at", rs.getObject("created_at", OffsetDateTime.class));
        out.put("updated_at", rs.getObject("updated_at", OffsetDateTime.class));
        out.put("status", DeltaStatus.fromRaw(rs.getString("last_status")).legacy());
        out.put("output", feedback);
        out.put("last_status", rs.getString("last_status"));
        out.put("last_feedback", feedbackJson);
        out.put("content", json.readTree(rs.getString("content")));
        return out;
    }
}
