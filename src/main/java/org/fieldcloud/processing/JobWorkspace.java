package org.fieldcloud.processing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.fieldcloud.files.JobFiles;
import org.fieldcloud.jobs.JobContext;
import org.fieldcloud.qgis.QgisProject;
import org.fieldcloud.qgis.QgisProjectException;
import org.fieldcloud.qgis.QgisProjectReader;
import org.fieldcloud.secrets.JobSecrets;
import org.fieldcloud.secrets.SecretResolution;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What every project job starts from: a private directory (0700) holding a copy of the project files, the
 * parsed QGIS project, and the secrets of the user who triggered the job, with their masker registered on the
 * job's output and their {@code pg_service.conf} in the private directory. Closing deletes the directory,
 * whatever the outcome of the job.
 */
@Component
class JobWorkspace {

    private final JdbcClient jdbc;
    private final JobFiles files;
    private final SecretResolution secrets;

    JobWorkspace(JdbcClient jdbc, JobFiles files, SecretResolution secrets) {
        this.jdbc = jdbc;
        this.files = files;
        this.secrets = secrets;
    }

    record Opened(Path directory, Path filesDir, Map<String, String> downloaded, String qgisFile, QgisProject project,
                  JobSecrets secrets) implements AutoCloseable {

        @Override
        public void close() throws IOException {
            try (Stream<Path> paths = Files.walk(directory)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    Opened open(JobContext ctx) throws Exception {
        Path dir = Files.createTempDirectory("fieldcloud-job-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            ctx.log("Working in " + dir + " (private to this job, deleted when it ends).");
            Path filesDir = Files.createDirectory(dir.resolve("files"));
            Map<String, String> downloaded = files.download(ctx.projectId(), filesDir);
            ctx.log("Downloaded " + downloaded.size() + " project file(s).");
            String qgisFile = jdbc.sql("SELECT the_qgis_file_name FROM projects WHERE id = :p").param("p", ctx.projectId())
                    .query((rs, n) -> java.util.Optional.ofNullable(rs.getString(1))).single()
                    .orElseThrow(() -> new QgisProjectException("The project has no QGIS project file."));
            QgisProject project = QgisProjectReader.read(filesDir.resolve(qgisFile));
            ctx.log("Read " + qgisFile + " (QGIS " + project.qgisVersion() + ") with " + project.layers().size() + " layer(s).");
            JobSecrets jobSecrets = secrets.forJob(ctx.createdBy(), ctx.projectId(), ctx.jobId());
            ctx.addOutputFilter(jobSecrets.masker());
            Path serviceFile = jobSecrets.writeServiceFile(dir);
            ctx.log("Secrets resolved for this job: " + jobSecrets.environment().keySet().stream().sorted().toList()
                    + " and " + serviceFile.getFileName() + " for PGSERVICEFILE.");
            return new Opened(dir, filesDir, downloaded, qgisFile, project, jobSecrets);
        } catch (Exception e) {
            new Opened(dir, null, null, null, null, null).close();
            throw e;
        }
    }
}
