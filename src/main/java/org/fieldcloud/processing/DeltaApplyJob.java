package org.fieldcloud.processing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.deltas.apply.DeltaApplier;
import org.fieldcloud.deltas.apply.DeltaFeedback;
import org.fieldcloud.files.JobFiles;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.JobContext;
import org.fieldcloud.jobs.JobHandler;
import org.fieldcloud.jobs.JobRecoveryListener;
import org.fieldcloud.secrets.JobSecrets;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code delta_apply} job: takes the project's pending deltas (marking them started), copies the project
 * files into a private work directory, applies the deltas with the secrets of the user who triggered the job,
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

    DeltaApplyJob(JdbcClient jdbc, JobFiles files, JobWorkspace workspace, ObjectMapper json) {
        this.jdbc = jdbc;
        this.files = files;
        this.workspace = workspace;
        this.json = json;
    }

    @Override
    public String type() {
        return Job.DELTA_APPLY;
    }

    private record Claimed(UUID id, long seq, JsonNode content) { }

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
            JobSecrets jobSecrets = work.secrets();
            ProjectLayerOpener opener = new ProjectLayerOpener(work.project(), work.filesDir(), jobSecrets);
            boolean overwrite = !Boolean.FALSE.equals(ctx.options().get("overwrite_conflicts"));
            List<DeltaFeedback> afterUpload = new ArrayList<>();
            List<DeltaFeedback> feedback = new DeltaApplier().apply(claimed.stream().map(Claimed::content).toList(), clientPks(claimed),
                    overwrite, opener, ctx::log, result -> {
                        if (opener.isDatabaseLayer(result.layerId())) {
                            record(result, ctx, jobSecrets);
                        } else {
                            afterUpload.add(result);
                        }
                    });
            List<String> stored = files.uploadChanged(ctx.projectId(), work.filesDir(), work.downloaded(), ctx.createdBy(), username(ctx.createdBy()));
            stored.forEach(name -> ctx.log("Stored a new version of " + name + "."));
            afterUpload.forEach(result -> record(result, ctx, jobSecrets));
            if (feedback.stream().anyMatch(f -> DeltaFeedback.APPLIED.equals(f.status()))) {
                jdbc.sql("UPDATE projects SET data_last_updated_at = now() WHERE id = :p").param("p", ctx.projectId()).update();
            }
            ctx.feedback(Map.of("outputs", Map.of("apply_deltas", Map.of("delta_feedback", feedback.stream().map(DeltaApplyJob::item).toList()))));
        }
    }

    private List<Claimed> claim(JobContext ctx) {
        List<Claimed> claimed = new ArrayList<>(jdbc.sql("""
                UPDATE deltas d SET last_status = 'started', job_id = :job, updated_at = now()
                  FROM (SELECT id FROM deltas WHERE project_id = :p AND last_status = 'pending' ORDER BY seq FOR UPDATE) picked
                 WHERE d.id = picked.id
                RETURNING d.id, d.seq, d.content""")
                .param("job", ctx.jobId()).param("p", ctx.projectId())
                .query((rs, n) -> new Claimed(rs.getObject(1, UUID.class), rs.getLong(2), json.readTree(rs.getString(3)))).list());
        claimed.sort(Comparator.comparingLong(Claimed::seq));
        return claimed;
    }

    /** Keys of features that the same devices created earlier: {@code clientId__localLayerId__localPk} → server key. */
    private Map<String, String> clientPks(List<Claimed> claimed) {
        List<UUID> clients = claimed.stream().map(c -> UUID.fromString(c.content().path("clientId").asString())).distinct().toList();
        Map<String, String> keys = new HashMap<>();
        jdbc.sql("""
                SELECT client_id::text || '__' || (content ->> 'localLayerId') || '__' || (content ->> 'localPk'), last_modified_pk
                  FROM deltas WHERE client_id IN (:clients) AND last_modified_pk IS NOT NULL ORDER BY seq""")
                .param("clients", clients)
                .query((rs, n) -> keys.put(rs.getString(1), rs.getString(2))).list();
        return keys;
    }

    private void record(DeltaFeedback result, JobContext ctx, JobSecrets jobSecrets) {
        String feedbackJson = jobSecrets.masker().apply(json.writeValueAsString(item(result)));
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
