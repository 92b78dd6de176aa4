package org.fieldcloud.files;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.fieldcloud.qgis.QgisLimits;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.Page;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Versioned project files. An upload streams its bytes (hashed on the way) to a blob under a fresh key, checks
 * them, and only then records the version in one transaction with the project's bookkeeping; until that commit
 * nothing is listed, so an interrupted upload leaves the previous state intact.
 *
 * <p>Decisions where the reference is silent or looks accidental: name, restriction, QGIS and quota checks run
 * before the body is read so that a refused upload stores nothing; restricted files are checked on deletes too;
 * storage keys use the version id rather than the file name (names may exceed a file system's limits);
 * quota is checked on the declared length before and on the real size after streaming.
 */
@Service
public class ProjectFiles {

    private static final Set<String> EXEMPT_FROM_QUOTA = Set.of("qfield", "worker");
    /** The declared request length includes multipart headers: allow for them before the exact check. */
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final JdbcClient jdbc;
    private final Policy policy;
    private final Blobs blobs;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;

    private final QgisLimits qgis;

    ProjectFiles(JdbcClient jdbc, Policy policy, Blobs blobs, TransactionTemplate tx, ApplicationEventPublisher events,
                 QgisLimits qgis) {
        this.jdbc = jdbc;
        this.qgis = qgis;
        this.policy = policy;
        this.blobs = blobs;
        this.tx = tx;
        this.events = events;
    }

    /** The most bytes an upload may bring, and the error that stops it as soon as it brings more. */
    record Bound(long bytes, ApiException exceeded) { }

    /** A blob written and hashed but not yet recorded. */
    record Received(UUID versionId, String key, long size, String etag, String sha256) { }

    JdbcClient jdbc() {
        return jdbc;
    }

    // ---- reading ----------------------------------------------------------------------------------------

    List<FileRecords.StoredFile> list(UUID projectId, Page page) {
        List<Object[]> files = jdbc.sql("SELECT id, name, created_at FROM project_files WHERE project_id = :p ORDER BY name, id" + page.sql())
                .param("p", projectId)
                .query((rs, n) -> new Object[] {rs.getLong(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)})
                .list();
        Map<Long, List<FileRecords.Version>> versions = versionsOf(files.stream().map(f -> (Long) f[0]).toList());
        return files.stream()
                .map(f -> new FileRecords.StoredFile((Long) f[0], (String) f[1], (OffsetDateTime) f[2], versions.get((Long) f[0])))
                .filter(f -> f.versions() != null)
                .toList();
    }

    long count(UUID projectId) {
        return jdbc.sql("SELECT count(*) FROM project_files WHERE project_id = :p").param("p", projectId).query(Long.class).single();
    }

    Optional<FileRecords.StoredFile> find(UUID projectId, String name) {
        return jdbc.sql("SELECT id, created_at FROM project_files WHERE project_id = :p AND name = :n")
                .param("p", projectId).param("n", name)
                .query((rs, n) -> new FileRecords.StoredFile(rs.getLong(1), name, rs.getObject(2, OffsetDateTime.class), null))
                .optional()
                .map(f -> new FileRecords.StoredFile(f.id(), name, f.createdAt(), versionsOf(List.of(f.id())).get(f.id())))
                .filter(f -> f.versions() != null);
    }

    private Map<Long, List<FileRecords.Version>> versionsOf(List<Long> fileIds) {
        Map<Long, List<FileRecords.Version>> byFile = new LinkedHashMap<>();
        if (fileIds.isEmpty()) {
            return byFile;
        }
        jdbc.sql("""
                SELECT id, file_id, storage_key, size, etag, sha256, uploaded_at FROM file_versions
                 WHERE file_id = ANY(:ids) ORDER BY file_id, uploaded_at DESC, id
                """)
                .param("ids", fileIds.toArray(Long[]::new))
                .query((rs, n) -> new FileRecords.Version(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), rs.getString(6), rs.getObject(7, OffsetDateTime.class)))
                .list()
                .forEach(v -> byFile.computeIfAbsent(v.fileId(), k -> new ArrayList<>()).add(v));
        return byFile;
    }

    /** The total size of all versions of all files of every project of an owner. */
    public long ownerStorageBytes(long ownerId) {
        return jdbc.sql("SELECT coalesce(sum(file_storage_bytes), 0) FROM projects WHERE owner_id = :o")
                .param("o", ownerId).query(Long.class).single();
    }

    // ---- uploading --------------------------------------------------------------------------------------

    /** Checks that need no body: file name, restricted files, QGIS rules and the declared size against the quota. */
    ProjectState checkUpload(Actor actor, UUID projectId, String filename, long declaredLength) {
        FileNames.validate(filename);
        ProjectState state = ProjectState.load(jdbc, projectId, false);
        requireMayModify(actor, state, filename);
        if (FileNames.isQgisFile(filename)) {
            if ("shared_datasets".equals(state.projectType())) {
                throw ApiException.validation("A shared-datasets project cannot hold a QGIS project file.");
            }
            requireSingleQgisFile(state, filename);
        }
        requireQuota(actor, state, declaredLength - MULTIPART_OVERHEAD);
        if (isQgs(filename) && declaredLength - MULTIPART_OVERHEAD > qgis.maxProjectFileBytes()) {
            throw FileErrors.qgisTooLarge(filename, qgis.maxProjectFileBytes());
        }
        return state;
    }

    /**
     * The storage left to the owner (unless the client is exempt), and for a {@code .qgs} the configured project-file
     * size: enforced while the upload streams, so a chunked upload of unknown length stops at the first byte too many
     * instead of being written whole and refused afterwards.
     */
    Bound bound(Actor actor, ProjectState state, String filename) {
        Bound bound = new Bound(Long.MAX_VALUE, null);
        if (!EXEMPT_FROM_QUOTA.contains(actor.clientType())) {
            long free = Math.max(0, state.quotaBytes() - ownerStorageBytes(state.ownerId()));
            bound = new Bound(free, FileErrors.overQuota(free));
        }
        if (isQgs(filename) && qgis.maxProjectFileBytes() < bound.bytes()) {
            bound = new Bound(qgis.maxProjectFileBytes(), FileErrors.qgisTooLarge(filename, qgis.maxProjectFileBytes()));
        }
        return bound;
    }

    private static boolean isQgs(String filename) {
        return FileNames.isQgisFile(filename) && !FileNames.isQgz(filename);
    }

    /** Restricted files need admin or manager when the project restricts them, for uploads and deletes alike. */
    private void requireMayModify(Actor actor, ProjectState state, String filename) {
        if (!state.hasRestrictedFiles() || !state.isRestricted(filename)) {
            return;
        }
        try {
            policy.requireProject(actor, ProjectAction.MODIFY_RESTRICTED_FILES, state.id());
        } catch (ApiException e) {
            if (e.status() == HttpStatus.FORBIDDEN) {
                throw FileErrors.restricted(filename);
            }
            throw e;
        }
    }

    private static void requireSingleQgisFile(ProjectState state, String filename) {
        if (!FileNames.isAttachment(filename) && state.qgisFileName() != null && !state.qgisFileName().equals(filename)) {
            throw FileErrors.multipleProjects(state.qgisFileName());
        }
    }

    private void requireQuota(Actor actor, ProjectState state, long size) {
        if (EXEMPT_FROM_QUOTA.contains(actor.clientType()) || size <= 0) {
            return;
        }
        long free = state.quotaBytes() - ownerStorageBytes(state.ownerId());
        if (size > free) {
            throw FileErrors.overQuota(free);
        }
    }

    /** Streams the single part named {@code field} into a new blob of the project. */
    Received receive(UUID projectId, MultipartReader multipart, String field, Bound bound) throws IOException {
        UUID versionId = UUID.randomUUID();
        String key = "projects/" + projectId + "/files/" + versionId;
        blobs.registerPending(key);
        try {
            Received received = null;
            MultipartReader.Part part;
            while ((part = nextPart(multipart)) != null) {
                if (!field.equals(part.name())) {
                    continue;
                }
                if (received != null) {
                    throw FileErrors.multipleContents(field);
                }
                ContentDigest digest = new ContentDigest(new LimitedStream(new RequestBodyStream(part.body()), bound));
                blobs.store().write(key, digest);
                received = new Received(versionId, key, digest.size(), digest.etag(), digest.sha256Hex());
            }
            if (received == null) {
                throw FileErrors.emptyContent(field);
            }
            return received;
        } catch (RequestBodyStream.Failure e) {
            blobs.discard(key);
            throw FileErrors.incompleteUpload(e.getMessage());
        } catch (IOException | RuntimeException e) {
            blobs.discard(key);
            throw e;
        }
    }

    private static MultipartReader.Part nextPart(MultipartReader multipart) throws IOException {
        try {
            return multipart.next();
        } catch (IOException e) {
            throw new RequestBodyStream.Failure(e);
        }
    }

    /**
     * Checks the content, records the version and updates the project; until the commit any refusal discards
     * the blob. Purging and the event come after the commit and never touch the new version's blob.
     */
    void commit(Actor actor, ProjectState checked, String filename, Received blob) {
        boolean qgisFile = FileNames.isQgisFile(filename);
        boolean triggers;
        try {
            String qgisVersion = qgisFile ? qgisVersion(filename, blob) : null;
            triggers = tx.execute(status -> record(actor, checked.id(), filename, blob, qgisVersion));
        } catch (RuntimeException e) {
            blobs.discard(blob.key());
            throw e;
        }
        purgeOldVersions(checked.id());
        events.publishEvent(new ProjectFileUploaded(checked.id(), filename, actor.requireUserId(), qgisFile, triggers));
    }

    private String qgisVersion(String filename, Received blob) {
        if (blob.size() == 0) {
            throw FileErrors.invalidQgisFile(filename);
        }
        try {
            return QgisProjectSniffer.version(filename, () -> blobs.store().read(blob.key(), 0, blob.size() - 1), qgis.maxProjectFileBytes())
                    .orElseThrow(() -> FileErrors.invalidQgisFile(filename));
        } catch (IOException e) {
            throw new IllegalStateException("reading back an upload failed", e);
        }
    }

    /** In the transaction: the project row is locked so that QGIS-file and quota checks cannot race. */
    private boolean record(Actor actor, UUID projectId, String filename, Received blob, String qgisVersion) {
        ProjectState state = ProjectState.load(jdbc, projectId, true);
        boolean qgisFile = qgisVersion != null;
        if (qgisFile) {
            requireSingleQgisFile(state, filename);
        }
        requireQuota(actor, state, blob.size());
        long fileId = jdbc.sql("""
                INSERT INTO project_files (project_id, name) VALUES (:p, :n)
                ON CONFLICT (project_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id
                """).param("p", projectId).param("n", filename).query(Long.class).single();
        jdbc.sql("""
                INSERT INTO file_versions (id, file_id, storage_key, size, etag, sha256, qgis_version, uploaded_at, uploaded_by)
                VALUES (:id, :f, :k, :s, :e, :h, :q, clock_timestamp(), :u)
                """).param("id", blob.versionId()).param("f", fileId).param("k", blob.key()).param("s", blob.size())
                .param("e", blob.etag()).param("h", blob.sha256()).param("q", qgisVersion).param("u", actor.userId()).update();
        blobs.adopt(blob.key());
        boolean becomesProjectFile = qgisFile && !FileNames.isAttachment(filename);
        jdbc.sql("""
                UPDATE projects SET
                       the_qgis_file_name = CASE WHEN :qgis THEN :n ELSE the_qgis_file_name END,
                       qgis_version = CASE WHEN :qgis THEN :v ELSE qgis_version END
                 WHERE id = :p
                """).param("qgis", becomesProjectFile).param("n", filename).param("v", qgisVersion).param("p", projectId).update();
        touch(projectId, state.isRestricted(filename) || becomesProjectFile);
        return !FileNames.isAttachment(filename) && (becomesProjectFile || state.qgisFileName() != null);
    }

    /** Data timestamps and the project's storage total after any change of its files. */
    private void touch(UUID projectId, boolean restricted) {
        jdbc.sql("""
                UPDATE projects SET data_last_updated_at = now(),
                       restricted_data_last_updated_at = CASE WHEN :r THEN now() ELSE restricted_data_last_updated_at END,
                       file_storage_bytes = (SELECT coalesce(sum(v.size), 0) FROM file_versions v
                                               JOIN project_files f ON f.id = v.file_id WHERE f.project_id = :p)
                 WHERE id = :p
                """).param("r", restricted).param("p", projectId).update();
    }

    /** Keeps the newest N versions of every file of the project (N from the owner's plan or the project). */
    private void purgeOldVersions(UUID projectId) {
        tx.executeWithoutResult(status -> {
            ProjectState state = ProjectState.load(jdbc, projectId, true);
            int purged = jdbc.sql("""
                    DELETE FROM file_versions v USING (
                        SELECT v2.id, row_number() OVER (PARTITION BY v2.file_id ORDER BY v2.uploaded_at DESC, v2.id) AS rn
                          FROM file_versions v2 JOIN project_files f ON f.id = v2.file_id WHERE f.project_id = :p) r
                     WHERE v.id = r.id AND r.rn > :keep
                    """).param("p", projectId).param("keep", state.keepVersions()).update();
            if (purged > 0) {
                jdbc.sql("""
                        UPDATE projects SET file_storage_bytes = (SELECT coalesce(sum(v.size), 0) FROM file_versions v
                                               JOIN project_files f ON f.id = v.file_id WHERE f.project_id = :p)
                         WHERE id = :p
                        """).param("p", projectId).update();
            }
        });
        blobs.collect();
    }

    // ---- deleting ---------------------------------------------------------------------------------------

    void delete(Actor actor, UUID projectId, String filename, UUID versionId) {
        ProjectState state = ProjectState.load(jdbc, projectId, false);
        FileRecords.StoredFile file = find(projectId, filename)
                .orElseThrow(() -> ApiException.notFound("no file '" + filename + "' in this project."));
        requireMayModify(actor, state, filename);
        tx.executeWithoutResult(status -> {
            ProjectState locked = ProjectState.load(jdbc, projectId, true);
            if (versionId == null) {
                deleteWholeFile(locked, file);
            } else {
                deleteVersion(locked, file, versionId);
            }
            touch(projectId, locked.isRestricted(filename));
        });
        blobs.collect();
    }

    private void deleteWholeFile(ProjectState state, FileRecords.StoredFile file) {
        jdbc.sql("DELETE FROM project_files WHERE id = :f").param("f", file.id()).update();
        if (file.name().equals(state.qgisFileName())) {
            jdbc.sql("UPDATE projects SET the_qgis_file_name = NULL, qgis_version = NULL WHERE id = :p").param("p", state.id()).update();
        }
    }

    private void deleteVersion(ProjectState state, FileRecords.StoredFile file, UUID versionId) {
        long count = jdbc.sql("SELECT count(*) FROM file_versions WHERE file_id = :f").param("f", file.id()).query(Long.class).single();
        if (count <= 1) {
            throw FileErrors.lastVersion();
        }
        int deleted = jdbc.sql("DELETE FROM file_versions WHERE id = :v AND file_id = :f")
                .param("v", versionId).param("f", file.id()).update();
        if (deleted == 0) {
            throw ApiException.notFound("no version " + versionId + " of '" + file.name() + "'.");
        }
        if (file.name().equals(state.qgisFileName())) {
            jdbc.sql("""
                    UPDATE projects SET qgis_version = (SELECT qgis_version FROM file_versions WHERE file_id = :f
                                                         ORDER BY uploaded_at DESC, id LIMIT 1)
                     WHERE id = :p
                    """).param("f", file.id()).param("p", state.id()).update();
        }
    }

    /** Stops an upload with its bound's error at the first byte beyond the bound; the caller discards the blob. */
    static final class LimitedStream extends FilterInputStream {

        private final Bound bound;
        private long seen;

        LimitedStream(InputStream in, Bound bound) {
            super(in);
            this.bound = bound;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            seen += n;
            if (seen > bound.bytes()) {
                throw bound.exceeded();
            }
        }
    }

    /**
     * Marks failures of the client's request body (a dropped connection, a truncated multipart body) so that
     * they become a 400 rather than a server error; storage failures stay server errors.
     */
    static final class RequestBodyStream extends FilterInputStream {

        static final class Failure extends IOException {
            Failure(IOException cause) {
                super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
            }
        }

        RequestBodyStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw new Failure(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw new Failure(e);
            }
        }
    }
}
