package org.fieldcloud.packaging;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.files.FileDownloads;
import org.fieldcloud.files.PackageStorage;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code /api/v1/packages/} (reference-api-jobs §6.1): the caller's latest package and its files, authorized on
 * the project id of the path. Which package a caller gets is decided in SQL ({@link Packages#latest}); files in
 * an attachment directory come from the project's files.
 */
@RestController
class PackagesController {

    private final Policy policy;
    private final Packages packages;
    private final PackageStorage storage;
    private final FileDownloads downloads;
    private final ObjectMapper json;

    PackagesController(Policy policy, Packages packages, PackageStorage storage, FileDownloads downloads, ObjectMapper json) {
        this.policy = policy;
        this.packages = packages;
        this.storage = storage;
        this.downloads = downloads;
        this.json = json;
    }

    @GetMapping("/api/v1/packages/{project}/latest")
    Map<String, Object> latest(Actor actor, @PathVariable UUID project) {
        policy.requireProject(actor, ProjectAction.PACKAGE, project);
        Packages.Latest latest = latestOf(actor, project);
        List<Map<String, Object>> files = new ArrayList<>(packages.files(latest.jobId()));
        if (files.isEmpty()) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "invalid_job", "Empty project package.");
        }
        files.addAll(storage.attachments(project));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("files", files);
        out.put("layers", json.readTree(latest.layersJson()));
        out.put("status", latest.status());
        out.put("package_id", latest.jobId());
        out.put("packaged_at", latest.packagedAt().toString());
        out.put("data_last_updated_at", packages.dataLastUpdatedAt(project).map(Object::toString).orElse(null));
        return out;
    }

    @GetMapping("/api/v1/packages/{project}/latest/files/{*filename}")
    void download(Actor actor, @PathVariable UUID project, @PathVariable String filename, HttpServletRequest request,
                  HttpServletResponse response) throws IOException {
        policy.requireProject(actor, ProjectAction.PACKAGE, project);
        String name = filename.startsWith("/") ? filename.substring(1) : filename;
        if (PackageStorage.isAttachment(name)) {
            FileDownloads.Blob blob = storage.attachment(project, name)
                    .orElseThrow(() -> ApiException.notFound("no file '" + name + "' in this project's package."));
            downloads.send(blob, name, request, response);
            return;
        }
        Packages.Latest latest = latestOf(actor, project);
        FileDownloads.Blob blob = packages.file(latest.jobId(), name)
                .orElseThrow(() -> ApiException.notFound("no file '" + name + "' in this project's package."));
        downloads.send(blob, name, request, response);
    }

    private Packages.Latest latestOf(Actor actor, UUID project) {
        return packages.latest(actor.userId(), project).orElseThrow(() -> new ApiException(HttpStatus.BAD_REQUEST, "invalid_job",
                "Packaging has never been triggered or successful for this project."));
    }
}
