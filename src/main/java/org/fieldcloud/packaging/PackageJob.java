package org.fieldcloud.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.fieldcloud.deltas.apply.DatasourceHostPolicy;
import org.fieldcloud.files.PackageStorage;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.JobContext;
import org.fieldcloud.jobs.JobHandler;
import org.fieldcloud.processing.JobWorkspace;
import org.fieldcloud.processing.ProjectLayerOpener;
import org.fieldcloud.qgis.QgisLimits;
import org.fieldcloud.qgis.QgisProjectReader;
import org.fieldcloud.secrets.JobSecrets;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code package} job (reference-api-jobs §4.4): builds the QField package of a project for the person who
 * asked for it, with that person's secrets and {@code QFC_PG_EFFECTIVE_USER} (DECISIONS D10.3), so row-level
 * security decides what their package holds. The package is recorded only once all its files are stored; a job
 * that fails leaves the previous package in place.
 */
@Component
class PackageJob implements JobHandler {

    private final JobWorkspace workspace;
    private final DatasourceHostPolicy hostPolicy;
    private final QgisLimits qgisLimits;
    private final PackageStorage storage;
    private final Packages packages;
    private final ObjectMapper json;

    PackageJob(JobWorkspace workspace, DatasourceHostPolicy hostPolicy, QgisLimits qgisLimits, PackageStorage storage, Packages packages,
               ObjectMapper json) {
        this.workspace = workspace;
        this.hostPolicy = hostPolicy;
        this.qgisLimits = qgisLimits;
        this.storage = storage;
        this.packages = packages;
        this.json = json;
    }

    @Override
    public String type() {
        return Job.PACKAGE;
    }

    @Override
    public void run(JobContext ctx) throws Exception {
        if (ctx.createdBy() == null) {
            throw new IllegalStateException("The account this package was for no longer exists; no one else's secrets are used for it.");
        }
        long person = ctx.createdBy();
        OffsetDateTime startedAt = packages.startedAt(ctx.jobId());
        ctx.log("Step 1/4: downloading the project files.");
        try (JobWorkspace.Opened work = workspace.open(ctx)) {
            JobSecrets secrets = work.secretsOf(person);
            boolean personal = packages.personal(person, ctx.projectId());
            ctx.log("Step 2/4: packaging " + work.qgisFile() + (personal ? " for its requester alone (they have secrets of their own)."
                    : " as the project's shared package."));
            Document doc = QgisProjectReader.readDocument(work.filesDir().resolve(work.qgisFile()), qgisLimits);
            Path export = Files.createDirectory(work.directory().resolve("export"));
            ProjectLayerOpener opener = new ProjectLayerOpener(work.project(), work.filesDir(), secrets, hostPolicy);
            PackageBuilder.Progress progress = new PackageBuilder.Progress() {
                @Override
                public void log(String line) {
                    ctx.log(line);
                }

                @Override
                public boolean cancelled() {
                    return ctx.cancelled();
                }
            };
            PackageBuilder.Result result = new PackageBuilder(work.project(), new ProjectRewriter(doc), work.filesDir(), export, opener, progress,
                    AreaOfInterest.of(doc.getDocumentElement())).build(work.qgisFile());
            ctx.log("Step 3/4: storing the package files.");
            List<Packages.File> stored = store(ctx, export);
            try {
                String layersJson = ctx.filter(json.writeValueAsString(ctx.filtered(result.layers())));
                packages.record(ctx.jobId(), ctx.projectId(), person, personal ? person : null, layersJson, startedAt, stored);
            } catch (RuntimeException e) {
                stored.forEach(f -> storage.discard(f.stored().storageKey()));
                throw e;
            }
            ctx.log("Step 4/4: removing packages nobody gets any more.");
            packages.purgeObsolete(ctx.projectId());
            ctx.feedback(feedback(result, stored));
        }
    }

    private List<Packages.File> store(JobContext ctx, Path export) throws IOException {
        List<Packages.File> stored = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> listing = Files.walk(export)) {
            files = listing.filter(Files::isRegularFile).sorted().toList();
        }
        try {
            for (Path file : files) {
                String name = export.relativize(file).toString();
                String key = "projects/" + ctx.projectId() + "/packages/" + ctx.jobId() + "/" + name;
                stored.add(new Packages.File(name, storage.store(key, file)));
                ctx.log("Stored " + name + " (" + Files.size(file) + " bytes).");
            }
        } catch (IOException | RuntimeException e) {
            stored.forEach(f -> storage.discard(f.stored().storageKey()));
            throw e;
        }
        return stored;
    }

    private static Map<String, Object> feedback(PackageBuilder.Result result, List<Packages.File> stored) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        outputs.put("qgis_layers_data", Map.of("layers_by_id", result.layers()));
        outputs.put("package_project", Map.of("feature_counts", result.featureCounts(),
                "files", stored.stream().map(Packages.File::name).toList()));
        Map<String, Object> feedback = new LinkedHashMap<>();
        feedback.put("feedback_version", "2.0");
        feedback.put("workflow_id", "package_project");
        feedback.put("workflow_name", "Package Project");
        feedback.put("workflow_version", "2.0");
        feedback.put("outputs", outputs);
        return feedback;
    }
}
