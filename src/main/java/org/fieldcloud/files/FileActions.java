package org.fieldcloud.files;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * File operations on behalf of a person, each asking the policy module first: the API controller and the web
 * pages share them, so an upload from a browser streams and is checked exactly like one from QField.
 */
@Service
public class FileActions {

    private final Policy policy;
    private final ProjectFiles files;
    private final BlobStore store;
    private final JdbcClient jdbc;
    private final FileDownloads downloads;

    FileActions(Policy policy, ProjectFiles files, BlobStore store, JdbcClient jdbc, FileDownloads downloads) {
        this.policy = policy;
        this.files = files;
        this.store = store;
        this.jdbc = jdbc;
        this.downloads = downloads;
    }

    /** The project's files with their versions, as the API lists them. */
    public List<Map<String, Object>> list(Actor actor, UUID project) {
        policy.requireProject(actor, ProjectAction.READ_FILES, project);
        return files.list(project, new Page(null, 0)).stream().map(FileRecords.StoredFile::json).toList();
    }

    /** Streams the multipart part {@code file} of the request into a new version of {@code name}. */
    public void upload(Actor actor, UUID project, String name, HttpServletRequest request) throws IOException {
        policy.requireProject(actor, ProjectAction.UPLOAD_FILES, project);
        MultipartReader multipart = MultipartReader.of(request.getContentType(), request.getInputStream());
        if (multipart == null) {
            throw FileErrors.emptyContent("file");
        }
        ProjectState checked = files.checkUpload(actor, project, name, request.getContentLengthLong());
        ProjectFiles.Received received = files.receive(project, multipart, "file", files.bound(actor, checked, name));
        files.commit(actor, checked, name, received);
    }

    /** Deletes a whole file (all versions). */
    public void delete(Actor actor, UUID project, String name) {
        policy.requireProject(actor, ProjectAction.DELETE_FILES, project);
        files.delete(actor, project, FileNames.validate(name), null);
    }

    /** Sends the latest version of a file as the API does (ETag, ranges, attachment name). */
    public void download(Actor actor, UUID project, String name, HttpServletRequest request, HttpServletResponse response) throws IOException {
        policy.requireProject(actor, ProjectAction.READ_FILES, project);
        FileRecords.StoredFile file = files.find(project, FileNames.validate(name))
                .orElseThrow(() -> ApiException.notFound("no file '" + name + "' in this project."));
        FileRecords.Version latest = file.latest();
        downloads.send(new FileDownloads.Blob(latest.storageKey(), latest.size(), latest.etag(), latest.uploadedAt()), file.name(), request, response);
    }

    public boolean hasThumbnail(Actor actor, UUID project) {
        policy.requireProject(actor, ProjectAction.READ_FILES, project);
        return thumbnail(project).isPresent();
    }

    /** The project's thumbnail image (PNG or JPEG); {@code withBody} false answers a HEAD request. */
    public void sendThumbnail(Actor actor, UUID project, boolean withBody, HttpServletResponse response) throws IOException {
        policy.requireProject(actor, ProjectAction.READ_FILES, project);
        Thumbnail thumb = thumbnail(project).orElseThrow(() -> ApiException.notFound("this project has no thumbnail."));
        boolean jpeg = thumb.key().endsWith(".jpg");
        response.setContentType(jpeg ? "image/jpeg" : "image/png");
        response.setHeader("Content-Disposition", "attachment; filename=\"thumbnail." + (jpeg ? "jpg" : "png") + "\"");
        response.setContentLengthLong(thumb.size());
        if (withBody) {
            try (InputStream in = store.read(thumb.key(), 0, thumb.size() - 1)) {
                in.transferTo(response.getOutputStream());
            }
        }
    }

    private record Thumbnail(String key, long size) { }

    private java.util.Optional<Thumbnail> thumbnail(UUID project) {
        return jdbc.sql("SELECT storage_key, size FROM project_thumbnails WHERE project_id = :p").param("p", project)
                .query((rs, n) -> new Thumbnail(rs.getString(1), rs.getLong(2))).optional();
    }
}
