package org.fieldcloud.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh database with PostGIS on the machine's PostgreSQL 15 (FIELDCLOUD_TEST_PG_HOST/_PORT/_USER/_PASSWORD,
 * defaults 127.0.0.1:5432 fieldcloud_test/fieldcloud_test, as .ci/run creates them), dropped on close.
 * When that server is unreachable the test fails and says how to provide it; it is never skipped.
 */
public final class PostgisDatabase implements AutoCloseable {

    public static final String HOST = env("FIELDCLOUD_TEST_PG_HOST", "127.0.0.1");
    public static final int PORT = Integer.parseInt(env("FIELDCLOUD_TEST_PG_PORT", "5432"));
    public static final String ADMIN_USER = env("FIELDCLOUD_TEST_PG_USER", "fieldcloud_test");
    public static final String ADMIN_PASSWORD = env("FIELDCLOUD_TEST_PG_PASSWORD", "fieldcloud_test");

    private final String name;

    private PostgisDatabase(String name) {
        this.name = name;
    }

    public static PostgisDatabase create(String prefix) {
        PostgisDatabase db = createEmpty(prefix);
        db.execute("CREATE EXTENSION postgis; CREATE EXTENSION IF NOT EXISTS \"uuid-ossp\";");
        return db;
    }

    /** A fresh database without extensions, e.g. as a server's metadata database that a restore must find empty. */
    public static PostgisDatabase createEmpty(String prefix) {
        String name = prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("The PostGIS tests need the machine's PostgreSQL 15 with PostGIS at " + HOST + ":" + PORT
                    + " and a superuser login " + ADMIN_USER + " (run .ci/run, or set FIELDCLOUD_TEST_PG_*): " + e.getMessage(), e);
        }
        return new PostgisDatabase(name);
    }

    public String name() {
        return name;
    }

    /** The {@code FIELDCLOUD_DATABASE_*} settings that make a server process use this database as its metadata store. */
    public java.util.Map<String, String> asMetadataDatabase() {
        return java.util.Map.of("FIELDCLOUD_DATABASE_URL", "jdbc:postgresql://" + HOST + ":" + PORT + "/" + name,
                "FIELDCLOUD_DATABASE_USER", ADMIN_USER, "FIELDCLOUD_DATABASE_PASSWORD", ADMIN_PASSWORD);
    }

    /** Runs SQL as the test superuser in this database. */
    public void execute(String sql) {
        try (Connection c = connect(name); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed in " + name + ": " + e.getMessage(), e);
        }
    }

    /** Runs SQL as the superuser in the maintenance database, e.g. CREATE ROLE (roles are cluster-wide). */
    public static void executeOnCluster(String sql) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    public Connection connection() throws SQLException {
        return connect(name);
    }

    private static Connection connect(String database) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ADMIN_USER);
        p.setProperty("password", ADMIN_PASSWORD);
        p.setProperty("connectTimeout", "5");
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PORT + "/" + database, p);
    }

    @Override
    public void close() {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop test database " + name + ": " + e.getMessage(), e);
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
