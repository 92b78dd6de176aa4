package org.fieldcloud.ops;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The metadata database: an external PostgreSQL when {@code FIELDCLOUD_DATABASE_URL} is set, otherwise
 * an embedded PostgreSQL kept under {@code <data dir>/postgres} so that a second start keeps all data.
 * An admin command started while the server runs attaches to the server's embedded instance instead
 * of starting a second one on the same directory. The embedded server takes only SCRAM password logins over
 * loopback ({@link EmbeddedPostgresAuth}); an attaching command uses the same password file.
 */
@Configuration(proxyBeanMethods = false)
public class DatabaseConfig {

    private static final Logger log = LoggerFactory.getLogger(DatabaseConfig.class);
    static final String EMBEDDED_MAJOR = "15";

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(FieldCloudSettings settings) throws IOException {
        if (settings.databaseOrEmpty().external()) {
            return EmbeddedDatabase.none();
        }
        Path dataDir = settings.dataDir().toAbsolutePath();
        Path dir = dataDir.resolve("postgres");
        Integer runningPort = runningPostmasterPort(dir);
        if (runningPort != null) {
            log.info("Using the embedded PostgreSQL already running on port {} for {}", runningPort, dir);
            return new EmbeddedDatabase(null, runningPort, EmbeddedPostgresAuth.readOwnerOnly(dataDir.resolve(EmbeddedPostgresAuth.PASSWORD_FILE)));
        }
        Files.createDirectories(dataDir);
        requireSupportedMajorVersion(dir);
        EmbeddedPostgresAuth.Password password = EmbeddedPostgresAuth.loadOrCreate(dataDir);
        log.info("Starting embedded PostgreSQL in {} (password logins only; password in {})", dir,
                dataDir.resolve(EmbeddedPostgresAuth.PASSWORD_FILE));
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(EmbeddedPostgresAuth.Binaries.workingDirectory())
                .setPgBinaryResolver(EmbeddedPostgresAuth.Binaries.RESOLVER)
                .setDataDirectoryCustomizer(pgData -> EmbeddedPostgresAuth.secure(pgData, password))
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("max_connections", "200")
                // The library starts PostgreSQL for tests: no fsync (-F) and synchronous_commit=off. A server must not
                // acknowledge a commit a power cut can undo, nor leave its files to the page cache (-c overrides -F).
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setConnectConfig("password", password.value())
                .start();
        return new EmbeddedDatabase(postgres, postgres.getPort(), password.value());
    }

    @Bean(destroyMethod = "close")
    DataSource dataSource(FieldCloudSettings settings, EmbeddedDatabase embedded) {
        HikariConfig config = new HikariConfig();
        FieldCloudSettings.Database db = settings.databaseOrEmpty();
        if (db.external()) {
            config.setJdbcUrl(db.url());
            config.setUsername(db.user());
            config.setPassword(db.password());
        } else {
            config.setJdbcUrl("jdbc:postgresql://localhost:" + embedded.port() + "/postgres");
            config.setUsername("postgres");
            config.setPassword(embedded.password());
        }
        config.setMaximumPoolSize(20);
        config.setPoolName("fieldcloud");
        return new HikariDataSource(config);
    }

    @Bean
    DatabaseEndpoint databaseEndpoint(FieldCloudSettings settings, EmbeddedDatabase embedded) {
        FieldCloudSettings.Database db = settings.databaseOrEmpty();
        return db.external() ? DatabaseEndpoint.fromJdbcUrl(db.url(), db.user(), db.password())
                : new DatabaseEndpoint("localhost", embedded.port(), "postgres", "postgres", embedded.password());
    }

    /**
     * The embedded server is PostgreSQL 15, the major version of the machine's own tools ({@code pg_dump} for
     * backups). A data directory of another major version cannot be opened; say how to move it instead of failing
     * obscurely.
     */
    static void requireSupportedMajorVersion(Path dir) throws IOException {
        Path version = dir.resolve("PG_VERSION");
        if (Files.exists(version) && !Files.readString(version).trim().equals(EMBEDDED_MAJOR)) {
            throw new IllegalStateException("The embedded database in " + dir + " was made by PostgreSQL " + Files.readString(version).trim()
                    + "; this FieldCloud embeds PostgreSQL " + EMBEDDED_MAJOR + ". Back it up with that version's pg_dump, move "
                    + dir + " away, start FieldCloud and restore the dump, or set FIELDCLOUD_DATABASE_URL to an external database.");
        }
    }

    /** The port of a live postmaster owning {@code dir}, from its postmaster.pid (line 1 pid, line 4 port). */
    static Integer runningPostmasterPort(Path dir) throws IOException {
        Path pidFile = dir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return null;
        }
        List<String> lines = Files.readAllLines(pidFile);
        if (lines.size() < 4) {
            return null;
        }
        long pid = Long.parseLong(lines.get(0).trim());
        boolean alive = ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        return alive ? Integer.valueOf(lines.get(3).trim()) : null;
    }

    /** Owns the embedded server's lifetime; {@code postgres} is null when we only attach or use an external DB. */
    public record EmbeddedDatabase(EmbeddedPostgres postgres, int port, String password) implements AutoCloseable {
        static EmbeddedDatabase none() {
            return new EmbeddedDatabase(null, -1, null);
        }

        public boolean embedded() {
            return port > 0;
        }

        @Override
        public String toString() {
            return "EmbeddedDatabase[port=" + port + "]";
        }

        @Override
        public void close() throws IOException {
            if (postgres != null) {
                postgres.close();
            }
        }
    }
}
