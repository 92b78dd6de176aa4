package org.fieldcloud.processing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.fieldcloud.files.JobFiles;
import org.fieldcloud.jobs.JobContext;
import org.fieldcloud.ops.FieldCloudSettings;
import org.fieldcloud.qgis.QgisLimits;
import org.fieldcloud.qgis.QgisProject;
import org.fieldcloud.qgis.QgisProjectException;
import org.fieldcloud.qgis.QgisProjectReader;
import org.fieldcloud.secrets.JobSecrets;
import org.fieldcloud.secrets.SecretResolution;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;
import org.springframework.stereotype.Component;

/**
 * What every project job starts from: a private directory (0700) {@code <data dir>/jobs/<job id>} holding a copy
 * of the project files and the parsed QGIS project, and the secrets of each person the job works for (DECISIONS
 * D10.3: a job may apply the edits of several people, each with their own secrets), resolved once per person,
 * with their masker registered on the job's output and their {@code pg_service.conf} in a private directory of
 * their own. Closing deletes the directory, whatever the outcome of the job; directories that a killed process
 * left behind are removed when the next job starts, once their job is no longer running.
 */
@Component
public class JobWorkspace {

    private static final Logger log = LoggerFactory.getLogger(JobWorkspace.class);
    private static final FileAttribute<Set<PosixFilePermission>> PRIVATE = PosixFilePermissions.asFileAttribute(
            PosixFilePermissions.fromString("rwx------"));

    private final JdbcClient jdbc;
    private final JobFiles files;
    private final SecretResolution secrets;
    private final Path root;
    private final QgisLimits qgisLimits;

    JobWorkspace(JdbcClient jdbc, JobFiles files, SecretResolution secrets, FieldCloudSettings settings, QgisLimits qgisLimits) {
        this.jdbc = jdbc;
        this.files = files;
        this.secrets = secrets;
        this.qgisLimits = qgisLimits;
        this.root = settings.dataDir().toAbsolutePath().resolve("jobs");
    }

    /** An open workspace; the secrets of each person are resolved on first use, at most once per job. */
    public final class Opened implements AutoCloseable {
        private final JobContext ctx;
        private final Path directory;
        private Path filesDir;
        private Map<String, String> downloaded;
        private String qgisFile;
        private QgisProject project;
        private final Map<Long, JobSecrets> secretsByPerson = new HashMap<>();

        private Opened(JobContext ctx, Path directory) {
            this.ctx = ctx;
            this.directory = directory;
        }

        /** The job's private directory, for work files such as a package being built; deleted with the workspace. */
        public Path directory() {
            return directory;
        }

        public Path filesDir() {
            return filesDir;
        }

        public Map<String, String> downloaded() {
            return downloaded;
        }

        public String qgisFile() {
            return qgisFile;
        }

        public QgisProject project() {
            return project;
        }

        /**
         * The secrets of one person for this project, with their masker added to the job's output filters and
         * their {@code pg_service.conf} written. Throws when the person has no role on the project any more.
         */
        public JobSecrets secretsOf(long person) throws IOException {
            JobSecrets known = secretsByPerson.get(person);
            if (known != null) {
                return known;
            }
            JobSecrets resolved = secrets.forJob(person, ctx.projectId(), ctx.jobId());
            ctx.addOutputFilter(resolved.masker());
            Path personal = Files.createDirectory(directory.resolve("secrets-" + person), PRIVATE);
            Path serviceFile = resolved.writeServiceFile(personal);
            ctx.log("Secrets resolved for " + personName(person) + ": " + resolved.environment().keySet().stream().sorted().toList()
                    + " and " + directory.relativize(serviceFile) + " for PGSERVICEFILE.");
            secretsByPerson.put(person, resolved);
            return resolved;
        }

        @Override
        public void close() throws IOException {
            FileSystemUtils.deleteRecursively(directory);
        }
    }

    public Opened open(JobContext ctx) throws Exception {
        removeLeftovers(ctx.jobId());
        Path dir = Files.createDirectory(root.resolve(ctx.jobId().toString()), PRIVATE);
        Opened opened = new Opened(ctx, dir);
        // The steps take milliseconds: their lines go to the job's output together (one write), or as far as they got.
        List<String> lines = new ArrayList<>();
        try {
            lines.add("Working in " + dir + " (private to this job, deleted when it ends).");
            opened.filesDir = Files.createDirectory(dir.resolve("files"));
            opened.downloaded = files.download(ctx.projectId(), opened.filesDir);
            lines.add("Downloaded " + opened.downloaded.size() + " project file(s).");
            opened.qgisFile = jdbc.sql("SELECT the_qgis_file_name FROM projects WHERE id = :p").param("p", ctx.projectId())
                    .query((rs, n) -> Optional.ofNullable(rs.getString(1))).single()
                    .orElseThrow(() -> new QgisProjectException("The project has no QGIS project file."));
            opened.project = QgisProjectReader.read(opened.filesDir.resolve(opened.qgisFile), qgisLimits);
            lines.add("Read " + opened.qgisFile + " (QGIS " + opened.project.qgisVersion() + ") with " + opened.project.layers().size() + " layer(s).");
            return opened;
        } catch (Exception e) {
            opened.close();
            throw e;
        } finally {
            ctx.log(String.join("\n", lines));
        }
    }

    private String personName(long person) {
        return jdbc.sql("SELECT username FROM users WHERE id = :u").param("u", person).query(String.class).optional().orElse("user " + person);
    }

    /**
     * Deletes the directories of jobs that are no longer running: a process killed during a job cannot clean
     * up, and its directory may hold a {@code pg_service.conf} with passwords. A directory whose job still runs
     * (on another worker sharing this data directory) is kept.
     */
    private void removeLeftovers(UUID starting) throws IOException {
        Files.createDirectories(root, PRIVATE);
        List<UUID> present = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (Path entry : entries) {
                parseJobId(entry.getFileName().toString()).filter(id -> !id.equals(starting)).ifPresent(present::add);
            }
        }
        if (present.isEmpty()) {
            return;
        }
        List<UUID> running = jdbc.sql("SELECT id FROM jobs WHERE id IN (:ids) AND status = 'started'").param("ids", present)
                .query(UUID.class).list();
        for (UUID id : present) {
            if (!running.contains(id)) {
                log.info("Removing the directory of job {}, left behind by a process that stopped during it", id);
                FileSystemUtils.deleteRecursively(root.resolve(id.toString()));
            }
        }
    }

    private static Optional<UUID> parseJobId(String name) {
        try {
            return Optional.of(UUID.fromString(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
