package org.fieldcloud.packaging;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.fieldcloud.files.FileDownloads;
import org.fieldcloud.files.PackageStorage;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Packages in the database: a package row exists only for a job that stored all its files, and the package a
 * person gets is decided in SQL by {@code latest_package(person, project)} (V7_1): their own when they have secrets
 * assigned to them on the project or its organization, the newest shared one otherwise. Unlike the reference, a
 * failed or running job is never served as the latest package.
 */
@Service
class Packages {

    private final JdbcClient jdbc;
    private final PackageStorage storage;

    Packages(JdbcClient jdbc, PackageStorage storage) {
        this.jdbc = jdbc;
        this.storage = storage;
    }

    /** A package file stored under its own key. */
    record File(String name, PackageStorage.Stored stored) { }

    /** The latest package of a person: its job, layers JSON and the time its job started. */
    record Latest(UUID jobId, String status, String layersJson, OffsetDateTime packagedAt) { }

    /** True when the person has secrets of their own on the project, so their packages are theirs alone (§6.2). */
    boolean personal(long person, UUID project) {
        return jdbc.sql("SELECT has_personal_secrets(:u, :p)").param("u", person).param("p", project).query(Boolean.class).single();
    }

    /** Records a finished package and its files in one transaction, and marks when the project's data was last packaged. */
    @Transactional
    public void record(UUID jobId, UUID projectId, long createdBy, Long packagedFor, String layersJson, OffsetDateTime packagedAt, List<File> files) {
        jdbc.sql("""
                INSERT INTO packages (job_id, project_id, created_by, packaged_for, layers, packaged_at)
                VALUES (:j, :p, :c, :f, CAST(:l AS jsonb), :at)""")
                .param("j", jobId).param("p", projectId).param("c", createdBy).param("f", packagedFor).param("l", layersJson)
                .param("at", packagedAt).update();
        for (File file : files) {
            PackageStorage.Stored s = file.stored();
            jdbc.sql("""
                    INSERT INTO package_files (job_id, name, storage_key, size, etag, sha256, md5sum)
                    VALUES (:j, :n, :k, :s, :e, :h, :e)""")
                    .param("j", jobId).param("n", file.name()).param("k", s.storageKey()).param("s", s.size()).param("e", s.etag())
                    .param("h", s.sha256()).update();
            storage.adopt(s.storageKey());
        }
        jdbc.sql("UPDATE projects SET data_last_packaged_at = greatest(data_last_packaged_at, :at) WHERE id = :p")
                .param("at", packagedAt).param("p", projectId).update();
    }

    /**
     * Retention (§6.3): keeps the newest package of each person who packaged, and the newest shared package, which
     * everyone without secrets of their own downloads; deletes the others (their blobs follow through the orphan sweep).
     * Runs at the end of a package job, whose own package (its job still 'started') counts as the newest.
     */
    void purgeObsolete(UUID projectId) {
        jdbc.sql("""
                DELETE FROM packages k WHERE k.project_id = :p
                   AND k.job_id <> ALL (ARRAY(
                        SELECT DISTINCT ON (n.created_by) n.job_id FROM packages n JOIN jobs j ON j.id = n.job_id
                         WHERE n.project_id = :p AND j.status IN ('finished', 'started') ORDER BY n.created_by, j.seq DESC))
                   AND k.job_id IS DISTINCT FROM (
                        SELECT s.job_id FROM packages s JOIN jobs j ON j.id = s.job_id
                         WHERE s.project_id = :p AND s.packaged_for IS NULL AND j.status IN ('finished', 'started') ORDER BY j.seq DESC LIMIT 1)""")
                .param("p", projectId).update();
        storage.collect();
    }

    Optional<Latest> latest(Long person, UUID projectId) {
        return jdbc.sql("""
                SELECT k.job_id, j.status, k.layers, k.packaged_at FROM packages k JOIN jobs j ON j.id = k.job_id
                 WHERE k.job_id = latest_package(:u, :p)""")
                .param("u", person == null ? 0L : person).param("p", projectId)
                .query((rs, n) -> new Latest(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                        rs.getObject(4, OffsetDateTime.class))).optional();
    }

    List<Map<String, Object>> files(UUID jobId) {
        return jdbc.sql("SELECT name, size, uploaded_at, md5sum, sha256 FROM package_files WHERE job_id = :j ORDER BY name")
                .param("j", jobId).query((rs, n) -> {
                    Map<String, Object> m = new java.util.LinkedHashMap<>();
                    m.put("name", rs.getString("name"));
                    m.put("size", rs.getLong("size"));
                    m.put("uploaded_at", rs.getObject("uploaded_at", OffsetDateTime.class).toString());
                    m.put("is_attachment", false);
                    m.put("md5sum", rs.getString("md5sum"));
                    m.put("last_modified", rs.getObject("uploaded_at", OffsetDateTime.class).toString());
                    m.put("sha256", rs.getString("sha256"));
                    return m;
                }).list();
    }

    Optional<FileDownloads.Blob> file(UUID jobId, String name) {
        return jdbc.sql("SELECT storage_key, size, etag, uploaded_at FROM package_files WHERE job_id = :j AND name = :n")
                .param("j", jobId).param("n", name)
                .query((rs, n) -> new FileDownloads.Blob(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getObject(4, OffsetDateTime.class)))
                .optional();
    }

    Optional<OffsetDateTime> dataLastUpdatedAt(UUID projectId) {
        return jdbc.sql("SELECT data_last_updated_at FROM projects WHERE id = :p").param("p", projectId)
                .query((rs, n) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class))).single();
    }

    OffsetDateTime startedAt(UUID jobId) {
        return jdbc.sql("SELECT started_at FROM jobs WHERE id = :j").param("j", jobId).query(OffsetDateTime.class).single();
    }
}
