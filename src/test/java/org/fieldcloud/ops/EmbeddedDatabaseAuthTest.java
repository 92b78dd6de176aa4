package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * DECISIONS D10.1 on the real embedded PostgreSQL: no password-less login (fresh and migrated data directories),
 * the generated password file is owner-only and reused, and one readable by others stops the start. Also that it
 * acknowledges only durable commits (the embedding library's defaults are {@code synchronous_commit=off} and no fsync).
 */
class EmbeddedDatabaseAuthTest {

    private final Path dataDir = Path.of("target", "test-data", "auth-" + UUID.randomUUID()).toAbsolutePath();

    private DatabaseConfig.EmbeddedDatabase start() throws Exception {
        FieldCloudSettings settings = new FieldCloudSettings(dataDir, "embedded", null, null, 720);
        return new DatabaseConfig().embeddedDatabase(settings);
    }

    @Test
    void aFreshEmbeddedDatabaseRefusesPasswordlessLoginsAndKeepsItsPasswordOwnerOnly() throws Exception {
        String password;
        try (DatabaseConfig.EmbeddedDatabase db = start()) {
            assertPasswordlessRefused(db.port());
            password = db.password();
            assertThat(query(db.port(), password, "SELECT current_user")).isEqualTo("postgres");
            assertThat(query(db.port(), password, "SHOW listen_addresses")).isEqualTo("localhost");
            assertThat(query(db.port(), password, "SHOW synchronous_commit")).as("acknowledged commits survive a power cut").isEqualTo("on");
            assertThat(query(db.port(), password, "SHOW fsync")).as("written pages reach the disk").isEqualTo("on");
            assertThat(query(db.port(), password, "SHOW full_page_writes")).as("torn pages are repaired").isEqualTo("on");
        }
        Path file = dataDir.resolve(EmbeddedPostgresAuth.PASSWORD_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (DatabaseConfig.EmbeddedDatabase again = start()) {
            assertThat(again.password()).as("reused on the next start").isEqualTo(password);
            assertPasswordlessRefused(again.port());
            assertThat(query(again.port(), password, "SELECT 1")).isEqualTo("1");
        }
    }

    @Test
    void aDataDirectoryFromAnEarlierVersionWithTrustIsMigratedOnStart() throws Exception {
        try (EmbeddedPostgres old = EmbeddedPostgres.builder().setDataDirectory(dataDir.resolve("postgres")).setCleanDataDirectory(false).start();
             Connection c = old.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
        }
        try (DatabaseConfig.EmbeddedDatabase db = start()) {
            assertPasswordlessRefused(db.port());
            assertThat(query(db.port(), db.password(), "SELECT v FROM kept")).isEqualTo("still here");
        }
    }

    @Test
    void aPasswordFileReadableByOthersStopsTheStart() throws Exception {
        try (DatabaseConfig.EmbeddedDatabase db = start()) {
            assertThat(db.port()).isPositive();
        }
        Path file = dataDir.resolve(EmbeddedPostgresAuth.PASSWORD_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(this::start).hasMessageContaining("readable by others").hasMessageContaining("chmod 600")
                .hasMessageNotContaining(Files.readString(file));
    }

    private static void assertPasswordlessRefused(int port) {
        for (String host : new String[] {"127.0.0.1", "localhost"}) {
            Properties p = new Properties();
            p.setProperty("user", "postgres");
            assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", p).close())
                    .isInstanceOf(SQLException.class).hasMessageContaining("password");
        }
    }

    private static String query(int port, String password, String sql) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", password);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
             Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
