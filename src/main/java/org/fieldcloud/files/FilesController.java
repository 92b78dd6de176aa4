package org.fieldcloud.files;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * The files API (reference §1.1). File names are the rest of the path after the project id and may contain
 * {@code /}; the trailing slash the clients send is removed by the shared filter before mapping.
 */
@RestController
class FilesController {

    private final Policy policy;
    private final ProjectFiles files;
    private final FileDownloads downloads;
    private final FileActions actions;

    FilesController(Policy policy, ProjectFiles files, FileDownloads downloads, FileActions actions) {
        this.policy = policy;
        this.files = files;
        this.downloads = downloads;
        this.actions = actions;
    }

    @GetMapping("/api/v1/files/{project}")
    ResponseEntity<List<Map<String, Object>>> list(Actor actor, @PathVariable UUID project, HttpServletRequest request) {
        policy.requireProject(actor, ProjectAction.READ_FILES, project);
        Page page = Page.from(request);
        List<Map<String, Object>> rows = files.list(project, page).stream().map(FileRecords.StoredFile::json).toList();
        return page.respond(rows, page.active() ? files.count(project) : rows.size());
    }

    @GetMapping("/api/v1/files/metadata/{project}/{*filename}")
    Map<String, Object> metadata(Actor actor, @PathVariable UUID project, @PathVariable String filename) {
        policy.requireProject(actor, ProjectAction.READ_FILES, project);
        return existing(project, name(filename)).json();
    }

    @GetMapping("/api/v1/files/{project}/{*filename}")
    void download(Actor actor, @PathVariable UUID project, @PathVariable String filename,
                  HttpServletRequest request, HttpServletResponse response) throws IOException {
        policy.requireProject(actor, ProjectAction.READ_FILES, project);
        String name = name(filename);
        FileRecords.StoredFile file = existing(project, name);
        FileRecords.Version version = chosenVersion(file, request.getParameter("version"));
        downloads.send(new FileDownloads.Blob(version.storageKey(), version.size(), version.etag(), version.uploadedAt()), name, request, response);
    }

    @PostMapping("/api/v1/files/{project}/{*filename}")
    ResponseEntity<Map<String, Object>> upload(Actor actor, @PathVariable UUID project, @PathVariable String filename,
                                               HttpServletRequest request) throws IOException {
        policy.requireProject(actor, ProjectAction.UPLOAD_FILES, project);
        String name = name(filename);
        actions.upload(actor, project, name, request);
        return ResponseEntity.created(URI.create(location(project, name))).body(Map.of());
    }

    @DeleteMapping("/api/v1/files/{project}/{*filename}")
    ResponseEntity<Void> delete(Actor actor, @PathVariable UUID project, @PathVariable String filename, HttpServletRequest request) {
        String versionParam = request.getParameter("version") != null ? request.getParameter("version") : request.getHeader("x-file-version");
        policy.requireProject(actor, versionParam == null ? ProjectAction.DELETE_FILES : ProjectAction.DELETE_FILE_VERSIONS, project);
        files.delete(actor, project, name(filename), versionParam == null ? null : versionId(versionParam));
        return ResponseEntity.noContent().build();
    }

    private FileRecords.StoredFile existing(UUID project, String name) {
        return files.find(project, name).orElseThrow(() -> ApiException.notFound("no file '" + name + "' in this project."));
    }

    private static FileRecords.Version chosenVersion(FileRecords.StoredFile file, String versionParam) {
        if (versionParam == null) {
            return file.latest();
        }
        UUID id = versionId(versionParam);
        return file.versions().stream().filter(v -> v.id().equals(id)).findFirst()
                .orElseThrow(() -> ApiException.notFound("no version " + id + " of '" + file.name() + "'."));
    }

    private static UUID versionId(String value) {
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation("'version' must be a version id (a UUID), got '" + value + "'.");
        }
    }

    /** The catch-all path variable starts with '/'; an empty rest means no file name was given. */
    private static String name(String pathRest) {
        return FileNames.validate(pathRest.startsWith("/") ? pathRest.substring(1) : pathRest);
    }

    static String location(UUID project, String name) {
        return "/api/v1/files/" + project + "/" + Arrays.stream(name.split("/"))
                .map(s -> UriUtils.encodePathSegment(s, StandardCharsets.UTF_8)).collect(Collectors.joining("/")) + "/";
    }
}
