package org.fieldcloud.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.fieldcloud.api.Page;
import org.springframework.stereotype.Service;

/**
 * Blob storage for packages, which keep their files under their own keys ({@code projects/<id>/packages/<job>/…}),
 * apart from the versioned project files; and the project's attachment files, which a package lists and serves
 * from the project files (reference-api-jobs §6.1).
 */
@Service
public class PackageStorage {

    private final Blobs blobs;
    private final ProjectFiles files;

    PackageStorage(Blobs blobs, ProjectFiles files) {
        this.blobs = blobs;
        this.files = files;
    }

    /** A stored blob with its digests (md5sum is the ETag, as for project files). */
    public record Stored(String storageKey, long size, String etag, String sha256) { }

    /**
     * Writes a file under a new key; until {@link #adopt} (in the transaction that records it) the blob is pending, so
     * a crash leaves nothing behind for long.
     */
    public Stored store(String key, Path file) throws IOException {
        blobs.registerPending(key);
        try (InputStream in = Files.newInputStream(file)) {
            ContentDigest digest = new ContentDigest(in);
            blobs.store().write(key, digest);
            return new Stored(key, digest.size(), digest.etag(), digest.sha256Hex());
        } catch (IOException | RuntimeException e) {
            blobs.discard(key);
            throw e;
        }
    }

    public void adopt(String key) {
        blobs.adopt(key);
    }

    public void discard(String key) {
        blobs.discard(key);
    }

    /** Removes the blobs of deleted package file rows (the delete registered them as orphans). */
    public void collect() {
        blobs.collect();
    }

    /** The latest version of each project file in an attachment directory, as File JSON without versions. */
    public List<Map<String, Object>> attachments(UUID projectId) {
        return files.list(projectId, new Page(null, 0)).stream().filter(f -> FileNames.isAttachment(f.name())).map(f -> {
            Map<String, Object> json = new java.util.LinkedHashMap<>(f.json());
            json.remove("versions");
            return json;
        }).toList();
    }

    /** The latest version of an attachment file, for download; empty when the name is not an attachment or not there. */
    public Optional<FileDownloads.Blob> attachment(UUID projectId, String name) {
        if (!FileNames.isAttachment(name)) {
            return Optional.empty();
        }
        return files.find(projectId, name).map(FileRecords.StoredFile::latest)
                .map(v -> new FileDownloads.Blob(v.storageKey(), v.size(), v.etag(), v.uploadedAt()));
    }

    public static boolean isAttachment(String name) {
        return FileNames.isAttachment(name);
    }
}
