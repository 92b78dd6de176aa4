package org.fieldcloud.jobs;

import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.api.RequestFields;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code /api/v1/jobs/} as the reference: the project comes from the body (create), the query (list) or the
 * job row (get), and is authorized once; everything after acts on that same project id. Readers see and
 * start only package jobs and never their output or feedback (permissions.md note ᶠ).
 */
@RestController
@RequestMapping("/api/v1/jobs")
class JobsController {

    private static final Set<String> STATUSES = Set.of("pending", "queued", "started", "finished", "failed", "stopped");

    private final Policy policy;
    private final Jobs jobs;
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    JobsController(Policy policy, Jobs jobs, JdbcClient jdbc, ObjectMapper json) {
        this.policy = policy;
        this.jobs = jobs;
        this.jdbc = jdbc;
        this.json = json;
    }

    @PostMapping
    ResponseEntity<Map<String, Object>> create(Actor actor, RequestFields body) {
        actor.requireUserId();
        UUID projectId = uuid("project_id", body.requiredString("project_id"));
        String type = body.choice("type", Jobs.TYPES)
                .orElseThrow(() -> ApiException.badRequest("Field 'type' is required: one of " + Jobs.TYPES.stream().sorted().toList() + "."));
        Policy.ProjectAccess access = policy.requireProject(actor, actionToCreate(type), projectId);
        if (Job.PACKAGE.equals(type) && !"regular".equals(access.projectType())) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "operation_not_allowed_for_template_project", "Only regular projects can be packaged.");
        }
        boolean force = body.bool("force").orElse(false);
        // As the reference: a forced package job is queued even without a QGIS file (and then fails).
        if (!(Job.PACKAGE.equals(type) && force) && !hasQgisFile(projectId)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "no_qgis_project", "The project has no QGIS project file; upload one first.");
        }
        boolean reused = !force && jobs.waiting(access.projectId(), type, actor.userId()).isPresent();
        UUID id = jobs.enqueue(access.projectId(), type, actor.userId(), Map.of(), !force);
        // A waiting job of the same person is answered 200, a new one 201; another person's job is never reused (D10.3).
        Job job = jobs.find(id).orElseThrow();
        return ResponseEntity.status(reused ? HttpStatus.OK : HttpStatus.CREATED)
                .body(view(job, ProjectAction.READ_JOBS.allows(access.role())));
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> list(Actor actor, HttpServletRequest request) {
        actor.requireUserId();
        String project = request.getParameter("project_id");
        if (project == null) {
            throw ApiException.badRequest("Query parameter 'project_id' is required.");
        }
        Policy.ProjectAccess access = policy.requireProject(actor, ProjectAction.PACKAGE, uuid("project_id", project));
        boolean full = ProjectAction.READ_JOBS.allows(access.role());
        StringBuilder where = new StringBuilder("WHERE j.project_id = :p");
        Map<String, Object> params = new LinkedHashMap<>(Map.of("p", access.projectId()));
        String type = request.getParameter("type");
        if (type != null) {
            if (!Jobs.TYPES.contains(type)) {
                throw ApiException.badRequest("Query parameter 'type' must be one of " + Jobs.TYPES.stream().sorted().toList() + ".");
            }
            where.append(" AND j.type = :t");
            params.put("t", type);
        }
        if (!full) {
            where.append(" AND j.type = 'package'");
        }
        String status = request.getParameter("status");
        if (status != null) {
            if (!STATUSES.contains(status)) {
                throw ApiException.badRequest("Query parameter 'status' must be one of " + STATUSES.stream().sorted().toList() + ".");
            }
            where.append(" AND j.status = :s");
            params.put("s", status);
        }
        Page page = Page.from(request);
        List<Map<String, Object>> rows = new ArrayList<>();
        jdbc.sql("SELECT " + Jobs.COLUMNS + " FROM jobs j LEFT JOIN users u ON u.id = j.created_by " + where + " ORDER BY j.seq DESC" + page.sql())
                .params(params).query(jobs::map).list().forEach(j -> rows.add(view(j, full)));
        long total = jdbc.sql("SELECT count(*) FROM jobs j " + where).params(params).query(Long.class).single();
        return page.respond(rows, total);
    }

    @GetMapping("/{id}")
    Map<String, Object> get(Actor actor, @PathVariable UUID id) {
        actor.requireUserId();
        Job job = jobs.find(id).orElseThrow(() -> ApiException.notFound("no job with id " + id + "."));
        Policy.ProjectAccess access = policy.requireProject(actor, Job.PACKAGE.equals(job.type()) ? ProjectAction.PACKAGE : ProjectAction.READ_JOBS,
                job.projectId());
        return view(job, ProjectAction.READ_JOBS.allows(access.role()));
    }

    private static ProjectAction actionToCreate(String type) {
        return switch (type) {
            case Job.PACKAGE -> ProjectAction.PACKAGE;
            case Job.DELTA_APPLY -> ProjectAction.APPLY_DELTAS;
            default -> ProjectAction.TRIGGER_PROCESSING;
        };
    }

    private Map<String, Object> view(Job job, boolean withLogs) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", job.id());
        out.put("created_at", job.createdAt());
        out.put("created_by", job.createdByUsername());
        out.put("project_id", job.projectId());
        out.put("status", job.status());
        out.put("type", job.type());
        out.put("updated_at", job.updatedAt());
        out.put("started_at", job.startedAt());
        out.put("finished_at", job.finishedAt());
        if (withLogs) {
            out.put("output", job.output());
            out.put("feedback", job.feedback() == null ? null : json.readTree(job.feedback()));
        }
        return out;
    }

    private boolean hasQgisFile(UUID projectId) {
        return jdbc.sql("SELECT the_qgis_file_name IS NOT NULL FROM projects WHERE id = :p").param("p", projectId).query(Boolean.class).single();
    }

    private static UUID uuid(String field, String value) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("Field '" + field + "' must be a project id (uuid), got '" + value + "'.");
        }
    }
}
