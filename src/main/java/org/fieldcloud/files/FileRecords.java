package org.fieldcloud.files;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Stored files and versions, and their reference JSON (§1.3). */
final class FileRecords {

    private static final DateTimeFormatter LEGACY = DateTimeFormatter.ofPattern("dd.MM.yyyy HH:mm:ss 'UTC'");
    private static final DateTimeFormatter DISPLAY = DateTimeFormatter.ofPattern("'v'yyyyMMddHHmmss");

    private FileRecords() { }

    record Version(UUID id, long fileId, String storageKey, long size, String etag, String sha256, OffsetDateTime uploadedAt) {

        Map<String, Object> json(boolean latest) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version_id", id.toString());
            m.put("md5sum", etag);
            m.put("size", size);
            m.put("uploaded_at", iso(uploadedAt));
            m.put("display", uploadedAt.withOffsetSameInstant(ZoneOffset.UTC).format(DISPLAY));
            m.put("is_latest", latest);
            m.put("last_modified", legacy(uploadedAt));
            m.put("sha256", sha256);
            return m;
        }
    }

    /** A file with its versions, newest first (never empty: a file without versions is deleted). */
    record StoredFile(long id, String name, OffsetDateTime createdAt, List<Version> versions) {

        Version latest() {
            return versions.getFirst();
        }

        Map<String, Object> json() {
            Version latest = latest();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("size", latest.size());
            m.put("uploaded_at", iso(createdAt));
            m.put("is_attachment", FileNames.isAttachment(name));
            m.put("md5sum", latest.etag());
            m.put("last_modified", legacy(latest.uploadedAt()));
            m.put("sha256", latest.sha256());
            m.put("versions", versions.stream().map(v -> v.json(v == latest)).toList());
            return m;
        }
    }

    static String iso(OffsetDateTime t) {
        return t.atZoneSameInstant(ZoneId.systemDefault()).toOffsetDateTime().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    static String legacy(OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC).format(LEGACY);
    }
}
