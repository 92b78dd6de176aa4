package org.fieldcloud.files;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.catalina.Globals;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.MediaTypeFactory;
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

    private static final Logger log = LoggerFactory.getLogger(FilesController.class);
    private static final int COPY_BUFFER = 64 * 1024;

    private final Policy policy;
    private final ProjectFiles files;
    private final BlobStore store;
    private final FileActions actions;

    FilesController(Policy policy, ProjectFiles files, BlobStore store, FileActions actions) {
        this.policy = policy;
        this.files = files;
        this.store = store;
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
        response.setHeader(HttpHeaders.ETAG, "\"" + version.etag() + "\"");
        response.setHeader(HttpHeaders.ACCEPT_RANGES, "bytes");
        if (matches(request.getHeader(HttpHeaders.IF_NONE_MATCH), version.etag())) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        ByteRange range = ByteRange.parse(request.getHeader(HttpHeaders.RANGE), version.size());
        response.setContentType(MediaTypeFactory.getMediaType(name).orElse(MediaType.APPLICATION_OCTET_STREAM).toString());
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, contentDisposition(FileNames.basename(name)));
        response.setDateHeader(HttpHeaders.LAST_MODIFIED, version.uploadedAt().toInstant().toEpochMilli());
        long start = range == null ? 0 : range.start();
        long end = range == null ? version.size() - 1 : range.end();
        if (range != null) {
            response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
            response.setHeader(HttpHeaders.CONTENT_RANGE, "bytes " + start + "-" + end + "/" + version.size());
        }
        response.setContentLengthLong(end - start + 1);
        if (!"HEAD".equals(request.getMethod()) && version.size() > 0) {
            send(version.storageKey(), start, end, request, response);
        }
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

    /**
     * A blob that is a local file goes out through Tomcat's sendfile (kernel to socket, no copy through the
     * heap), as Tomcat serves static files; otherwise, or over TLS where Tomcat offers no sendfile, it is copied.
     */
    private void send(String key, long start, long end, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Path> file = store.localFile(key);
        if (file.isPresent() && Boolean.TRUE.equals(request.getAttribute(Globals.SENDFILE_SUPPORTED_ATTR))) {
            request.setAttribute(Globals.SENDFILE_FILENAME_ATTR, file.get().toString());
            request.setAttribute(Globals.SENDFILE_FILE_START_ATTR, start);
            request.setAttribute(Globals.SENDFILE_FILE_END_ATTR, end + 1);
            return;
        }
        stream(key, start, end, response);
    }

    private void stream(String key, long start, long end, HttpServletResponse response) throws IOException {
        try (InputStream in = store.read(key, start, end)) {
            OutputStream out = response.getOutputStream();
            byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
            }
        } catch (org.apache.catalina.connector.ClientAbortException e) {
            log.debug("Client closed the connection during a download: {}", e.getMessage());
        }
    }

    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .map(t -> t.replace("\"", ""))
                .anyMatch(t -> t.equals(etag) || t.equals("*"));
    }

    static String contentDisposition(String basename) {
        String ascii = basename.chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                ? basename : basename.codePoints().mapToObj(c -> c >= 0x20 && c < 0x7f ? Character.toString(c) : "_").collect(Collectors.joining());
        String header = "attachment; filename=\"" + ascii.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        return ascii.equals(basename) ? header
                : header + "; filename*=UTF-8''" + UriUtils.encode(basename, StandardCharsets.UTF_8);
    }

    static String location(UUID project, String name) {
        return "/api/v1/files/" + project + "/" + Arrays.stream(name.split("/"))
                .map(s -> UriUtils.encodePathSegment(s, StandardCharsets.UTF_8)).collect(Collectors.joining("/")) + "/";
    }
}
