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
import org.fieldcloud.files.Thumbnails;
import org.fieldcloud.qgis.QgisLimits;
import org.fieldcloud.qgis.QgisProjectReader;
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
 * that layer by name. It also records the project's extent and area of interest in WGS 84, and renders a thumbnail
 * of its file-based vector layers in Java ({@link ThumbnailRenderer}), stored as the project's thumbnail.
 */
@Component
class ProcessProjectfileJob implements JobHandler {

    private final JdbcClient jdbc;
    private final JobWorkspace workspace;
    private final JobFiles files;
    private final ObjectMapper json;
    private final DatasourceHostPolicy hostPolicy;
    private final QgisLimits qgisLimits;
    private final Thumbnails thumbnails;

    ProcessProjectfileJob(JdbcClient jdbc, JobWorkspace workspace, JobFiles files, ObjectMapper json, DatasourceHostPolicy hostPolicy,
                          QgisLimits qgisLimits, Thumbnails thumbnails) {
        this.jdbc = jdbc;
        this.workspace = workspace;
        this.files = files;
        this.json = json;
        this.hostPolicy = hostPolicy;
        this.qgisLimits = qgisLimits;
        this.thumbnails = thumbnails;
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
            ProjectCanvas canvas = ProjectCanvas.of(QgisProjectReader.readDocument(filesDir.resolve(work.qgisFile()), qgisLimits), project.crs());
            ThumbnailRenderer renderer = new ThumbnailRenderer(canvas.crs());
            Map<String, Object> details = details(project, opener, filesDir, ctx, renderer);
            double[] extent = ProjectCanvas.usable(canvas.extent()) ? canvas.extent() : renderer.fullExtent();
            details.put("extent", ProjectCanvas.wgs84Polygon(extent, canvas.crs()));
            details.put("area_of_interest", ProjectCanvas.wgs84Polygon(canvas.areaOfInterest(),
                    canvas.areaOfInterestCrs() == null || canvas.areaOfInterestCrs().isBlank() ? canvas.crs() : canvas.areaOfInterestCrs()));
            details.put("background_color", canvas.backgroundHex());
            details.put("data_dirs", canvas.dataDirs());
            String detailsJson = resolved.masker().apply(json.writeValueAsString(details));
            // A project file deleted while this job read it leaves no details, version or thumbnail behind.
            int recorded = jdbc.sql("""
                    UPDATE projects SET project_details = CAST(:d AS jsonb), qgis_version = coalesce(qgis_version, :v)
                     WHERE id = :p AND the_qgis_file_name = :f""")
                    .param("d", detailsJson).param("v", project.qgisVersion()).param("p", ctx.projectId()).param("f", work.qgisFile()).update();
            if (recorded == 0) {
                ctx.log(work.qgisFile() + " was deleted or replaced by another project file meanwhile; its details are not recorded.");
                return;
            }
            thumbnail(ctx, renderer, extent, canvas);
            ctx.feedback(Map.of("outputs", Map.of("project_details", Map.of("project_details", details))));
        }
    }

    /** Renders and stores the thumbnail; a project without a usable extent has none (as in the reference). */
    private void thumbnail(JobContext ctx, ThumbnailRenderer renderer, double[] extent, ProjectCanvas canvas) throws java.io.IOException {
        java.util.Optional<byte[]> png = renderer.render(extent, canvas.background());
        if (png.isEmpty()) {
            ctx.log("No thumbnail: the project has no usable extent.");
            return;
        }
        thumbnails.store(ctx.projectId(), png.get(), "png");
        ctx.log("Thumbnail rendered (" + ThumbnailRenderer.SIZE + "x" + ThumbnailRenderer.SIZE + " PNG).");
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

    private Map<String, Object> details(QgisProject project, ProjectLayerOpener opener, Path filesDir, JobContext ctx, ThumbnailRenderer renderer) {
        Map<String, Object> layers = new LinkedHashMap<>();
        List<String> ids = new ArrayList<>();
        project.layers().stream().sorted(java.util.Comparator.comparing(QgisLayer::id)).forEach(layer -> {
            layers.put(layer.id(), layer(layer, opener, filesDir, ctx, renderer));
            ids.add(layer.id());
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("project_name", project.title());
        out.put("crs", project.crs());
        out.put("qgis_version", project.qgisVersion());
        out.put("attachment_dirs", project.attachmentDirs());
        out.put("layers_by_id", layers);
        out.put("ordered_layer_ids", ids);
        return out;
    }

    /** The layer's fields: name and the type its source declares ("" when it declares none, as GeoJSON and CSV). */
    private static List<Map<String, Object>> fields(FeatureLayer layer) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String name : layer.fields()) {
            Map<String, Object> field = new LinkedHashMap<>();
            field.put("name", name);
            field.put("type", layer.declaredTypes().getOrDefault(name, ""));
            field.put("is_primary_key", name.equals(layer.primaryKey()));
            out.add(field);
        }
        return out;
    }

    /** Feeds the layer's first features to the thumbnail, then stops reading (a preview needs no more). */
    private static void draw(FeatureLayer layer, ThumbnailRenderer.Layer into) throws Exception {
        if (!layer.spatial()) {
            return;
        }
        int[] seen = {0};
        try {
            layer.scan((attributes, geometry) -> {
                into.add(geometry);
                if (++seen[0] >= ThumbnailRenderer.MAX_FEATURES_PER_LAYER) {
                    throw new EnoughForAPreview();
                }
            });
        } catch (EnoughForAPreview enough) {
            // the preview has all it draws
        }
    }

    /** Ends a scan early once the thumbnail has enough features. */
    private static final class EnoughForAPreview extends RuntimeException {
        EnoughForAPreview() {
            super(null, null, false, false);
        }
    }

    private Map<String, Object> layer(QgisLayer layer, ProjectLayerOpener opener, Path filesDir, JobContext ctx, ThumbnailRenderer renderer) {
        String provider = layer.provider() == null ? "" : layer.provider();
        String error = null;
        List<Map<String, Object>> fields = null;
        if (layer.vector() && (provider.equals("postgres") || provider.equals("ogr"))) {
            try (FeatureLayer opened = opener.open(layer.id())) {
                ctx.log("Layer \"" + layer.name() + "\" (" + provider + ") opens.");
                fields = fields(opened);
                // Database layers are not drawn: the thumbnail is shown to every reader, while a database may let each
                // person see only their own rows (row-level security), and this job reads as the uploader's login role.
                if (!provider.equals("postgres")) {
                    draw(opened, renderer.layer(layer.crs()));
                }
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
        if (fields != null) {
            out.put("fields", fields);
        }
        out.put("is_valid", error == null);
        out.put("error_code", error == null ? "no_error" : "invalid_dataprovider");
        out.put("error_summary", error);
        out.put("error_message", error);
        out.put("provider_error_summary", error);
        out.put("provider_error_message", error);
        return out;
    }
}
