package org.fieldcloud.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.Page;
import org.springframework.stereotype.Service;

/**
 * Project files for jobs: a job copies the latest version of every project file (attachments aside) into
 * its private work directory, and afterwards stores the files it changed as new versions, as the
 * triggering user with the worker client type (exempt from the quota, like the reference's worker token).
 */
@Service
public class JobFiles {

    private final ProjectFiles files;
    private final Blobs blobs;

    JobFiles(ProjectFiles files, Blobs blobs) {
        this.files = files;
        this.blobs = blobs;
    }

    /** Copies the latest versions into {@code dir}; returns each file's sha256 to detect changes later. */
    public Map<String, String> download(UUID projectId, Path dir) throws IOException {
        Map<String, String> copied = new LinkedHashMap<>();
        for (FileRecords.StoredFile file : files.list(projectId, new Page(null, 0))) {
            if (FileNames.isAttachment(file.name())) {
                continue;
            }
            FileRecords.Version latest = file.latest();
            Path target = dir.resolve(file.name()).normalize();
            if (!target.startsWith(dir)) {
                throw new IOException("refusing to write " + file.name() + " outside the job directory");
            }
            Files.createDirectories(target.getParent());
            if (latest.size() == 0) {
                Files.write(target, new byte[0]);
            } else {
                try (InputStream in = blobs.store().read(latest.storageKey(), 0, latest.size() - 1)) {
                    Files.copy(in, target);
                }
            }
            copied.put(file.name(), latest.sha256());
        }
        return copied;
    }

    /**
     * Who uploaded the latest version of a project file: jobs that read that file work with that person's secrets
     * (DECISIONS D10.3). Empty when there is no such file or the account is gone.
     */
    public java.util.Optional<Long> latestUploader(UUID projectId, String name) {
        return files.jdbc().sql("""
                SELECT v.uploaded_by FROM file_versions v JOIN project_files f ON f.id = v.file_id
                 WHERE f.project_id = :p AND f.name = :n ORDER BY v.uploaded_at DESC, v.id LIMIT 1""")
                .param("p", projectId).param("n", name).query((rs, n) -> rs.getObject(1, Long.class)).optional().flatMap(java.util.Optional::ofNullable);
    }

    /** Stores every downloaded file whose content changed as a new version; returns the names stored. */
    public java.util.List<String> uploadChanged(UUID projectId, Path dir, Map<String, String> downloaded, long userId, String username)
            throws IOException {
        java.util.List<String> stored = new java.util.ArrayList<>();
        Actor worker = new Actor(userId, username, false, "worker");
        for (Map.Entry<String, String> entry : downloaded.entrySet()) {
            Path file = dir.resolve(entry.getKey());
            if (!Files.isRegularFile(file) || sha256(file).equals(entry.getValue())) {
                continue;
            }
            UUID versionId = UUID.randomUUID();
            String key = "projects/" + projectId + "/files/" + versionId;
            blobs.registerPending(key);
            ContentDigest digest;
            try (InputStream in = Files.newInputStream(file)) {
                digest = new ContentDigest(in);
                blobs.store().write(key, digest);
            } catch (IOException | RuntimeException e) {
                blobs.discard(key);
                throw e;
            }
            ProjectState state = ProjectState.load(files.jdbc(), projectId, false);
            files.commit(worker, state, entry.getKey(), new ProjectFiles.Received(versionId, key, digest.size(), digest.etag(), digest.sha256Hex()));
            stored.add(entry.getKey());
        }
        return stored;
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
