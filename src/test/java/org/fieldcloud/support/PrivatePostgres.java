package org.fieldcloud.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A PostgreSQL 15 cluster of the test's own (initdb into a temporary directory, its own loopback port, SCRAM
 * password logins, no Unix socket), so that a test may stop and start the database a server depends on without
 * disturbing anyone else. PostgreSQL refuses to run as root, so as root the cluster belongs to {@code postgres}.
 */
public final class PrivatePostgres implements AutoCloseable {

    private static final Path BIN = Path.of(System.getenv().getOrDefault("FIELDCLOUD_PG_BIN", "/usr/lib/postgresql/15/bin"));
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path dir;
    private final int port;
    private final String password = "pg-" + UUID.randomUUID();

    private PrivatePostgres(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static PrivatePostgres create() throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("fieldcloud-pg-");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        PrivatePostgres pg = new PrivatePostgres(dir, port);
        Path pwfile = dir.resolve("pwfile");
        Files.writeString(pwfile, pg.password);
        if (ROOT) {
            run(List.of("chown", "-R", "postgres", dir.toString()));
        }
        pg.pg(List.of("initdb", "-D", dir.resolve("data").toString(), "-U", "fieldcloud", "--auth=scram-sha-256",
                "--pwfile=" + pwfile, "-E", "UTF8", "--locale=C.UTF-8"));
        Files.delete(pwfile);
        pg.start();
        return pg;
    }

    public int port() {
        return port;
    }

    /** The {@code FIELDCLOUD_DATABASE_*} settings of a server that keeps its metadata here. */
    public Map<String, String> asMetadataDatabase() {
        return Map.of("FIELDCLOUD_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + port + "/postgres",
                "FIELDCLOUD_DATABASE_USER", "fieldcloud", "FIELDCLOUD_DATABASE_PASSWORD", password);
    }

    public void start() throws IOException, InterruptedException {
        pg(List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-l", dir.resolve("postgres.log").toString(), "-w", "-t", "60",
                "-o", "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=100", "start"));
    }

    /** Stops at once: sessions are cut, as when a database server fails or is restarted for an upgrade. */
    public void stop() throws IOException, InterruptedException {
        pg(List.of("pg_ctl", "-D", dir.resolve("data").toString(), "-w", "-t", "60", "-m", "fast", "stop"));
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            if (Files.exists(dir.resolve("data").resolve("postmaster.pid"))) {
                stop();
            }
        } finally {
            run(List.of("rm", "-rf", dir.toString()));
        }
    }

    private void pg(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (ROOT) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.add(BIN.resolve(command.getFirst()).toString());
        full.addAll(command.subList(1, command.size()));
        run(full);
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command.get(command.indexOf("--") + 1) + " failed: " + out);
        }
    }
}
