package org.fieldcloud.processing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.fieldcloud.deltas.apply.DatasourceHostPolicy;
import org.fieldcloud.deltas.apply.FeatureLayer;
import org.fieldcloud.deltas.apply.LayerException;
import org.fieldcloud.files.JobFiles;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.JobContext;
import org.fieldcloud.jobs.JobHandler;
import org.fieldcloud.qgis.OgrSource;
import org.fieldcloud.qgis.LayerDetails;
import org.fieldcloud.qgis.QgisLayer;
import org.fieldcloud.qgis.QgisProject;
import org.fieldcloud.qgis.QgisProjectException;
import org.fieldcloud.secrets.JobSecrets;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code process_projectfile} job: reads the project's QGIS file and records its {@code project_details}
 * (reference-api-jobs §4.2), checking that every editable layer can really be opened — file layers in the
 * project's files, PostgreSQL layers through the secrets of the person who uploaded the project file's latest
 * version (DECISIONS D10.3: not whoever queued the job), so a missing service or a wrong password is reported on
 * that layer by name. No thumbnail is rendered (there is no QGIS here).
 */
@Component
class ProcessProjectfileJob implements JobHandler {

    private final JdbcClient jdbc;
    private final JobWorkspace workspace;
    private final JobFiles files;
    private final ObjectMapper json;
    private final DatasourceHostPolicy hostPolicy;

    ProcessProjectfileJob(JdbcClient jdbc, JobWorkspace workspace, JobFiles files, ObjectMapper json, DatasourceHostPolicy hostPolicy) {
        this.jdbc = jdbc;
        this.workspace = workspace;
        this.files = files;
        this.json = json;
        this.hostPolicy = hostPolicy;
    }

    @Override
    public String type() {
        return Job.PROCESS_PROJECTFILE;
    }

    @Override
    public void run(JobContext ctx) throws Exception {
        try (JobWorkspace.Opened work = openOrForgetDetails(ctx)) {
            QgisProject project = work.project();
            Path filesDir = work.filesDir();
            long uploader = files.latestUploader(ctx.projectId(), work.qgisFile()).orElseThrow(() -> new QgisProjectException(
                    "The account that uploaded " + work.qgisFile() + " no longer exists, so no one's secrets can check its layers; "
                            + "upload the project file again."));
            JobSecrets resolved = work.secretsOf(uploader);
            ProjectLayerOpener opener = new ProjectLayerOpener(project, filesDir, resolved.withoutEffectiveUser(), hostPolicy);
            Map<String, Object> details = details(project, opener, filesDir, ctx);
            String detailsJson = resolved.masker().apply(json.writeValueAsString(details));
            jdbc.sql("UPDATE projects SET project_details = CAST(:d AS jsonb), qgis_version = coalesce(qgis_version, :v) WHERE id = :p")
                    .param("d", detailsJson).param("v", project.qgisVersion()).param("p", ctx.projectId()).update();
            ctx.feedback(Map.of("outputs", Map.of("project_details", Map.of("project_details", details))));
        }
    }

    /** A project file that cannot be read leaves the project without details (its status becomes failed). */
    private JobWorkspace.Opened openOrForgetDetails(JobContext ctx) throws Exception {
        try {
            return workspace.open(ctx);
        } catch (QgisProjectException e) {
            jdbc.sql("UPDATE projects SET project_details = NULL WHERE id = :p").param("p", ctx.projectId()).update();
            throw e;
        }
    }

    private Map<String, Object> details(QgisProject project, ProjectLayerOpener opener, Path filesDir, JobContext ctx) {
        Map<String, Object> layers = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        project.layers().stream().sorted(java.util.Comparator.comparing(QgisLayer::id)).forEach(layer -> {
            layers.put(layer.id(), layer(layer, opener, filesDir, ctx));
            ids.add(layer.id());
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project_name", project.title());
        out.put("crs", project.crs());
        out.put("qgis_version", project.qgisVersion());
        out.put("attachment_dirs", project.attachmentDirs());
        out.put("data_dirs", List.of());
        out.put("background_color", "#ffffff");
        out.put("extent", "");
        out.put("area_of_interest", "");
        out.put("layers_by_id", layers);
        out.put("ordered_layer_ids", ids);
        return out;
    }

    private Map<String, Object> layer(QgisLayer layer, ProjectLayerOpener opener, Path filesDir, JobContext ctx) {
        String provider = layer.provider() == null ? "" : layer.provider();
        String error = null;
        if (layer.vector() && (provider.equals("postgres") || provider.equals("ogr"))) {
            try (FeatureLayer opened = opener.open(layer.id())) {
                ctx.log("Layer \"" + layer.name() + "\" (" + provider + ") opens.");
            } catch (LayerException e) {
                error = e.getMessage();
            } catch (Exception e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            if (error != null) {
                ctx.log("Layer \"" + layer.name() + "\" is invalid: " + error);
            }
        }
        Map<String, Object> out = LayerDetails.of(layer);
        out.put("filename", provider.equals("ogr") ? OgrSource.parse(String.valueOf(layer.datasource())).resolveInside(filesDir)
                .map(p -> filesDir.relativize(p).toString()).orElse("") : "");
        out.put("is_valid", error == null);
        out.put("error_code", error == null ? "no_error" : "invalid_dataprovider");
        out.put("error_summary", error);
        out.put("error_message", error);
        out.put("provider_error_summary", error);
        out.put("provider_error_message", error);
        return out;
    }
}
