package org.fieldcloud.backups;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.fieldcloud.files.BlobStore;
import org.fieldcloud.ops.AdvisoryLocks;
import org.fieldcloud.ops.DatabaseEndpoint;
import org.fieldcloud.secrets.SecretKeys;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Consistent backups of the metadata database and the file storage, and their restore (DECISIONS D9, issue 13).
 *
 * <p>A backup is a directory {@code fieldcloud-backup-<UTC time>} holding {@code database.dump} (pg_dump's custom
 * format), {@code blobs/<storage key>} for every blob the database refers to, and {@code manifest.json} (schema
 * version, the secrets' key ids — never the keys —, counts and the dump's sha256). It is written under a hidden
 * name and renamed when complete, so a half-written backup never looks like one.
 *
 * <p>Consistency: the dump and the list of referenced blobs come from one exported snapshot, and blob deletions wait
 * (advisory lock {@link AdvisoryLocks#BLOB_DELETION}) until the blobs are copied; blobs are never changed in place, so every
 * blob the dump refers to is copied as it was.
 */
@Service
public class Backups {

    static final String PREFIX = "fieldcloud-backup-";
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final DataSource dataSource;
    private final DatabaseEndpoint database;
    private final BlobStore store;
    private final SecretKeys keys;
    private final PgTools tools;
    private final JdbcClient jdbc;
    private final ObjectMapper json;

    Backups(DataSource dataSource, DatabaseEndpoint database, BlobStore store, SecretKeys keys, PgTools tools, JdbcClient jdbc, ObjectMapper json) {
        this.dataSource = dataSource;
        this.database = database;
        this.store = store;
        this.keys = keys;
        this.tools = tools;
        this.jdbc = jdbc;
        this.json = json;
    }

    public record Result(Path location, String schemaVersion, long blobs, long blobBytes) { }

    /** Writes one complete backup under {@code parent} and records it; returns where it is. */
    public Result backup(Path parent) throws IOException {
        return backup(parent, Path::toString);
    }

    /** Copies a complete local backup to where it is kept and says where that is (e.g. an {@code s3://} URL). */
    interface Publisher {
        String publish(Path complete) throws IOException;
    }

    /**
     * Writes one complete backup under {@code parent}, hands it to {@code publisher}, and records it as successful
     * only once published: {@code status/} and the backup-age metric never count a backup that did not arrive.
     */
    Result backup(Path parent, Publisher publisher) throws IOException {
        Instant started = Instant.now();
        Files.createDirectories(parent);
        Path done = parent.resolve(PREFIX + NAME.format(started));
        Path work = parent.resolve("." + done.getFileName() + ".incomplete");
        Files.createDirectories(work.resolve("blobs"));
        try {
            Result result = backupInto(work, done);
            Files.move(work, done, StandardCopyOption.ATOMIC_MOVE);
            record(started, publisher.publish(done), null);
            return result;
        } catch (IOException | SQLException | RuntimeException e) {
            FileSystemUtils.deleteRecursively(work);
            record(started, done.toString(), e.getMessage());
            throw e instanceof IOException io ? io : new IOException("Backup failed: " + e.getMessage(), e);
        }
    }

    private Result backupInto(Path work, Path done) throws IOException, SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + AdvisoryLocks.BLOB_DELETION + ")");
            try {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                String snapshot = single(s, "SELECT pg_export_snapshot()");
                tools.run(database, "pg_dump", List.of("--format=custom", "--no-owner", "--snapshot=" + snapshot,
                        "--file=" + work.resolve("database.dump")));
                String schemaVersion = single(s, "SELECT max(version COLLATE \"C\") FROM flyway_schema_history WHERE success");
                Set<String> blobKeys = referencedBlobs(s);
                c.commit();
                long bytes = copyOut(blobKeys, work.resolve("blobs"));
                writeManifest(work, schemaVersion, blobKeys.size(), bytes);
                return new Result(done, schemaVersion, blobKeys.size(), bytes);
            } finally {
                c.rollback();
                c.setAutoCommit(true);
                s.execute("SELECT pg_advisory_unlock(" + AdvisoryLocks.BLOB_DELETION + ")");
            }
        }
    }

    /** Every storage key the database refers to: any column named storage_key, in any table but orphan_blobs. */
    private static Set<String> referencedBlobs(Statement s) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = s.executeQuery("""
                SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.columns
                 WHERE column_name = 'storage_key' AND table_schema NOT IN ('pg_catalog', 'information_schema')
                   AND table_name <> 'orphan_blobs' ORDER BY 1""")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        Set<String> keys = new TreeSet<>();
        for (String table : tables) {
            try (ResultSet rs = s.executeQuery("SELECT storage_key FROM " + table + " WHERE storage_key IS NOT NULL")) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }

    private long copyOut(Set<String> blobKeys, Path blobs) throws IOException {
        long bytes = 0;
        for (String key : blobKeys) {
            Path target = inside(blobs, key);
            Files.createDirectories(target.getParent());
            try (InputStream in = store.readWhole(key)) {
                bytes += Files.copy(in, target);
            }
        }
        return bytes;
    }

    private void writeManifest(Path work, String schemaVersion, long blobs, long bytes) throws IOException {
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("format", 1);
        manifest.put("created_at", Instant.now().toString());
        manifest.put("schema_version", schemaVersion);
        manifest.put("secret_key_ids", keysInUse());
        manifest.put("database_dump_sha256", sha256(work.resolve("database.dump")));
        manifest.put("blobs", blobs);
        manifest.put("blob_bytes", bytes);
        Files.writeString(work.resolve("manifest.json"), json.writerWithDefaultPrettyPrinter().writeValueAsString(manifest));
    }

    /** The key ids the stored secrets are encrypted with: what a restore needs configured. */
    private List<String> keysInUse() {
        return jdbc.sql("SELECT DISTINCT key_id FROM secrets ORDER BY key_id").query(String.class).list();
    }

    /**
     * Restores a backup into an empty database and storage: refuses a database that has tables, a backup whose dump
     * does not match its manifest, and a server that lacks a key the backup's secrets need (they could never be
     * decrypted).
     */
    public String restore(Path backup) throws IOException {
        JsonNode manifest = json.readTree(Files.readString(backup.resolve("manifest.json")));
        if (!sha256(backup.resolve("database.dump")).equals(manifest.get("database_dump_sha256").asString())) {
            throw new IllegalArgumentException("database.dump in " + backup + " does not match its manifest; the backup is damaged.");
        }
        List<String> missing = new ArrayList<>();
        manifest.get("secret_key_ids").forEach(id -> {
            if (!keys.ids().contains(id.asString())) {
                missing.add(id.asString());
            }
        });
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("the backup's secrets are encrypted with key id(s) " + missing + ", which this server does not have "
                    + "(it has " + new TreeSet<>(keys.ids()) + "). Configure them in FIELDCLOUD_SECRETS_KEYS (or put the old secrets.key into the "
                    + "data directory) and restore again; nothing was restored.");
        }
        long tables = jdbc.sql("SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')")
                .query(Long.class).single();
        if (tables > 0) {
            throw new IllegalArgumentException("the database " + database + " is not empty (" + tables + " tables); restore into a fresh database.");
        }
        tools.run(database, "pg_restore", List.of("--no-owner", "--no-privileges", "--exit-on-error", "--dbname=" + database.database(),
                backup.resolve("database.dump").toString()));
        long blobs = copyIn(backup.resolve("blobs"));
        return "Restored " + backup.getFileName() + " (schema " + manifest.get("schema_version").asString() + ", " + blobs + " blobs).";
    }

    private long copyIn(Path blobs) throws IOException {
        long count = 0;
        try (Stream<Path> files = Files.walk(blobs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String key = blobs.relativize(file).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(file)) {
                    store.write(key, in);
                }
                count++;
            }
        }
        return count;
    }

    /** The newest complete backups are kept; older ones, and leftovers of interrupted ones, are removed. */
    public List<Path> prune(Path parent, int keep) throws IOException {
        List<Path> removed = new ArrayList<>();
        try (Stream<Path> entries = Files.list(parent)) {
            List<Path> complete = entries.filter(p -> p.getFileName().toString().startsWith(PREFIX)).sorted().toList();
            for (int i = 0; i < complete.size() - keep; i++) {
                FileSystemUtils.deleteRecursively(complete.get(i));
                removed.add(complete.get(i));
            }
        }
        return removed;
    }

    /** The last successful backup, for status and metrics; null when there was none. */
    public Instant lastSuccess() {
        return jdbc.sql("SELECT max(finished_at) FROM backups WHERE error IS NULL").query(java.sql.Timestamp.class).optional()
                .map(java.sql.Timestamp::toInstant).orElse(null);
    }

    private void record(Instant started, String location, String error) {
        // A backup that failed because the database is down cannot be recorded there either; the exception says it.
        jdbc.sql("INSERT INTO backups (started_at, finished_at, location, error) VALUES (:s, now(), :l, :e)")
                .param("s", java.sql.Timestamp.from(started)).param("l", location).param("e", error).update();
    }

    static Path inside(Path dir, String key) throws IOException {
        Path target = dir.resolve(key).normalize();
        if (!target.startsWith(dir) || key.startsWith("/")) {
            throw new IOException("refusing a storage key outside the backup: " + key);
        }
        return target;
    }

    private static String single(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
