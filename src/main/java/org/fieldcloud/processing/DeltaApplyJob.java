package org.fieldcloud.processing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.fieldcloud.deltas.apply.DatasourceHostPolicy;
import org.fieldcloud.deltas.apply.DeltaApplier;
import org.fieldcloud.deltas.apply.DeltaFeedback;
import org.fieldcloud.files.JobFiles;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.JobContext;
import org.fieldcloud.jobs.JobHandler;
import org.fieldcloud.jobs.JobRecoveryListener;
import org.fieldcloud.secrets.JobSecrets;
import org.fieldcloud.secrets.NoProjectRoleException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code delta_apply} job: takes the project's pending deltas (marking them started), copies the project
 * files into a private work directory, applies each person's deltas with that person's secrets (not those of
 * whoever triggered the job, DECISIONS D10.3), in push order,
 * stores changed files as new versions, and records each delta's outcome. Outcomes on database layers are
 * recorded as soon as each delta commits, so a crash never re-applies them; outcomes on file layers only after
 * the changed files are stored. If the job dies, its still-started deltas go back to pending.
 */
@Component
class DeltaApplyJob implements JobHandler, JobRecoveryListener {

    private final JdbcClient jdbc;
    private final JobFiles files;
    private final JobWorkspace workspace;
    private final ObjectMapper json;
    private final DatasourceHostPolicy hostPolicy;

    DeltaApplyJob(JdbcClient jdbc, JobFiles files, JobWorkspace workspace, ObjectMapper json, DatasourceHostPolicy hostPolicy) {
        this.jdbc = jdbc;
        this.files = files;
        this.workspace = workspace;
        this.json = json;
        this.hostPolicy = hostPolicy;
    }

    @Override
    public String type() {
        return Job.DELTA_APPLY;
    }

    private record Claimed(UUID id, long seq, Long author, JsonNode content) { }

    /** Consecutive deltas of one person, from position {@code first} of the job's deltas: applied with that person's secrets. */
    private record Run(Long author, int first, List<Claimed> deltas) { }

    @Override
    public void run(JobContext ctx) throws Exception {
        List<Claimed> claimed = claim(ctx);
        if (claimed.isEmpty()) {
            ctx.log("No pending deltas to apply.");
            ctx.feedback(Map.of("outputs", Map.of("apply_deltas", Map.of("delta_feedback", List.of()))));
            return;
        }
        ctx.log("Applying " + claimed.size() + " delta(s).");
        try (JobWorkspace.Opened work = workspace.open(ctx)) {
            boolean overwrite = !Boolean.FALSE.equals(ctx.options().get("overwrite_conflicts"));
            Map<String, String> keys = clientPks(ctx.projectId(), claimed);
            List<DeltaFeedback> afterUpload = new ArrayList<>();
            List<DeltaFeedback> feedback = new ArrayList<>();
            for (Run run : runsByAuthor(claimed)) {
                feedback.addAll(apply(run, work, keys, overwrite, ctx, afterUpload));
            }
            List<String> stored = files.uploadChanged(ctx.projectId(), work.filesDir(), work.downloaded(), ctx.createdBy(), username(ctx.createdBy()));
            stored.forEach(name -> ctx.log("Stored a new version of " + name + "."));
            afterUpload.forEach(result -> record(result, ctx));
            if (feedback.stream().anyMatch(f -> DeltaFeedback.APPLIED.equals(f.status()))) {
                jdbc.sql("UPDATE projects SET data_last_updated_at = now() WHERE id = :p").param("p", ctx.projectId()).update();
            }
            ctx.feedback(Map.of("outputs", Map.of("apply_deltas", Map.of("delta_feedback", feedback.stream().map(DeltaApplyJob::item).toList()))));
        }
    }

    /**
     * Applies one person's deltas with that person's secrets and database role (DECISIONS D10.3), whoever
     * triggered the job. Deltas of an account that is gone, or of a person who lost their role on the project,
     * are not applied with anyone else's secrets: they are refused.
     */
    private List<DeltaFeedback> apply(Run run, JobWorkspace.Opened work, Map<String, String> keys, boolean overwrite, JobContext ctx,
                                      List<DeltaFeedback> afterUpload) throws IOException {
        JobSecrets secrets;
        try {
            if (run.author() == null) {
                return refuse(run, ctx, "The account that pushed this delta no longer exists; it is not applied with anyone else's secrets.");
            }
            secrets = work.secretsOf(run.author());
        } catch (NoProjectRoleException e) {
            return refuse(run, ctx, "The person who pushed this delta no longer has a role on this project; it is not applied.");
        }
        ProjectLayerOpener opener = new ProjectLayerOpener(work.project(), work.filesDir(), secrets, hostPolicy);
        List<DeltaFeedback> results = new DeltaApplier().apply(run.deltas().stream().map(Claimed::content).toList(), keys, overwrite,
                opener, ctx::log, result -> {
                    DeltaFeedback inJob = result.atIndex(run.first() + result.deltaIndex());
                    if (opener.isDatabaseLayer(result.layerId())) {
                        record(inJob, ctx);
                    } else {
                        afterUpload.add(inJob);
                    }
                });
        rememberCreatedKeys(run, results, keys);
        return results.stream().map(result -> result.atIndex(run.first() + result.deltaIndex())).toList();
    }

    private List<DeltaFeedback> refuse(Run run, JobContext ctx, String reason) {
        ctx.log(reason + " (" + run.deltas().size() + " delta(s))");
        List<DeltaFeedback> refused = new ArrayList<>();
        for (int i = 0; i < run.deltas().size(); i++) {
            refused.add(DeltaFeedback.unpermitted(run.deltas().get(i).content(), run.first() + i, reason));
        }
        refused.forEach(result -> record(result, ctx));
        return refused;
    }

    private static List<Run> runsByAuthor(List<Claimed> claimed) {
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < claimed.size(); i++) {
            Claimed delta = claimed.get(i);
            if (runs.isEmpty() || !Objects.equals(runs.getLast().author(), delta.author())) {
                runs.add(new Run(delta.author(), i, new ArrayList<>()));
            }
            runs.getLast().deltas().add(delta);
        }
        return runs;
    }

    /** Features created by one run may be patched by a later run of the same device: carry their keys over. */
    private static void rememberCreatedKeys(Run run, List<DeltaFeedback> results, Map<String, String> keys) {
        for (int i = 0; i < results.size(); i++) {
            DeltaFeedback result = results.get(i);
            JsonNode delta = run.deltas().get(i).content();
            if ("create".equals(delta.path("method").asString("")) && result.modifiedPk() != null) {
                keys.put(DeltaApplier.clientKey(delta), result.modifiedPk());
            }
        }
    }

    private List<Claimed> claim(JobContext ctx) {
        List<Claimed> claimed = new ArrayList<>(jdbc.sql("""
                UPDATE deltas d SET last_status = 'started', job_id = :job, updated_at = now()
                  FROM (SELECT id FROM deltas WHERE project_id = :p AND last_status = 'pending' ORDER BY seq FOR UPDATE) picked
                 WHERE d.id = picked.id
                RETURNING d.id, d.seq, d.created_by, d.content""")
                .param("job", ctx.jobId()).param("p", ctx.projectId())
                .query((rs, n) -> new Claimed(rs.getObject(1, UUID.class), rs.getLong(2), rs.getObject(3, Long.class),
                        json.readTree(rs.getString(4)))).list());
        claimed.sort(Comparator.comparingLong(Claimed::seq));
        return claimed;
    }

    /**
     * Keys of features that the same devices created earlier in this project: {@code clientId__localLayerId__localPk}
     * → server key. Only this project's deltas count: a client id forged into another project's deltafile must not
     * redirect this project's patches.
     */
    private Map<String, String> clientPks(UUID projectId, List<Claimed> claimed) {
        List<UUID> clients = claimed.stream().map(c -> UUID.fromString(c.content().path("clientId").asString())).distinct().toList();
        Map<String, String> keys = new HashMap<>();
        jdbc.sql("""
                SELECT client_id::text || '__' || (content ->> 'localLayerId') || '__' || (content ->> 'localPk'), last_modified_pk
                  FROM deltas WHERE project_id = :p AND client_id IN (:clients) AND last_modified_pk IS NOT NULL ORDER BY seq""")
                .param("p", projectId).param("clients", clients)
                .query((rs, n) -> keys.put(rs.getString(1), rs.getString(2))).list();
        return keys;
    }

    /** Stores a delta's outcome, masked with the secrets of everyone this job worked for, before serialization. */
    private void record(DeltaFeedback result, JobContext ctx) {
        String feedbackJson = ctx.filter(json.writeValueAsString(ctx.filtered(item(result))));
        jdbc.sql("""
                UPDATE deltas SET last_status = :s, last_feedback = CAST(:f AS jsonb), last_modified_pk = :pk,
                       last_apply_attempt_at = now(), last_apply_attempt_by = :u, updated_at = now()
                 WHERE id = :id AND job_id = :job""")
                .param("s", result.deltaStatus()).param("f", feedbackJson).param("pk", result.modifiedPk())
                .param("u", ctx.createdBy()).param("id", result.deltaId()).param("job", ctx.jobId()).update();
    }

    private static Map<String, Object> item(DeltaFeedback f) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("msg", f.msg());
        out.put("status", f.status());
        out.put("e_type", f.eType());
        out.put("layer_id", f.layerId());
        out.put("delta_index", f.deltaIndex());
        out.put("delta_id", f.deltaId().toString());
        out.put("feature_pk", f.featurePk());
        out.put("modified_pk", f.modifiedPk());
        out.put("conflicts", f.conflicts());
        out.put("method", f.method());
        return out;
    }

    private String username(Long userId) {
        return jdbc.sql("SELECT username FROM users WHERE id = :u").param("u", userId).query(String.class).optional().orElse("");
    }

    /** A job that died or failed leaves its unfinished deltas pending, so a new apply retries them. */
    @Override
    public void jobAbandoned(UUID jobId, UUID projectId, String type) {
        if (Job.DELTA_APPLY.equals(type)) {
            jdbc.sql("UPDATE deltas SET last_status = 'pending', updated_at = now() WHERE job_id = :job AND last_status = 'started'")
                    .param("job", jobId).update();
        }
    }
}
