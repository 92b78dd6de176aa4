package org.fieldcloud.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import org.fieldcloud.support.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.springframework.util.FileSystemUtils;

/**
 * Proves that uploads and downloads stream: a 2 GiB generated body (never stored on the test's side) goes
 * through a separate server process whose heap is capped at 256 MiB, and comes back with the same sha256.
 * Runs by default; skip with {@code -Dfieldcloud.skipHugeTests=true}.
 */
@Tag("huge")
@DisabledIfSystemProperty(named = "fieldcloud.skipHugeTests", matches = "true")
class HugeStreamTest {

    static final long SIZE = 2L * 1024 * 1024 * 1024;
    private static final String PASSWORD = "huge-test-" + UUID.randomUUID();
    private static final Path DATA_DIR = Path.of("target", "test-data", "huge-" + UUID.randomUUID()).toAbsolutePath();
    private static Process server;
    private static int port;

    @BeforeAll
    static void startServer() throws Exception {
        Files.createDirectories(DATA_DIR);
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), "org.fieldcloud.FieldCloudApplication",
                "--server.port=" + port, "--server.address=127.0.0.1", "--fieldcloud.data-dir=" + DATA_DIR,
                "--fieldcloud.admin.username=root"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(DATA_DIR.resolve("server.log").toFile());
        pb.environment().put("FIELDCLOUD_ADMIN_PASSWORD", PASSWORD);
        server = pb.start();
        waitUntilUp(Duration.ofMinutes(3));
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (server != null) {
            server.destroy();
            if (!server.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        FileSystemUtils.deleteRecursively(DATA_DIR.resolve("files"));
    }

    @Test
    void twoGibibytesStreamThroughA256MiBHeap() throws Exception {
        String token = login();
        UUID project = createProject();
        String path = "http://127.0.0.1:" + port + "/api/v1/files/" + project + "/huge.bin/";

        HttpURLConnection up = (HttpURLConnection) URI.create(path).toURL().openConnection();
        up.setRequestMethod("POST");
        up.setDoOutput(true);
        up.setRequestProperty("Authorization", "Token " + token);
        up.setRequestProperty("Content-Type", Multipart.CONTENT_TYPE);
        Generated content = new Generated(SIZE);
        try (InputStream body = Multipart.streamed("file", content)) {
            up.setFixedLengthStreamingMode(Multipart.head("file", "upload.bin").length + SIZE + 2 + Multipart.tail().length);
            try (OutputStream out = up.getOutputStream()) {
                body.transferTo(out);
            }
        }
        assertThat(up.getResponseCode()).as(serverLog()).isEqualTo(201);
        String sent = content.sha256();

        var metadata = new Http("http://127.0.0.1:" + port).as(token).get("/api/v1/files/metadata/" + project + "/huge.bin/").json();
        assertThat(metadata.get("size").asLong()).isEqualTo(SIZE);
        assertThat(metadata.get("sha256").asString()).isEqualTo(sent);
        assertThat(metadata.get("md5sum").asString()).endsWith("-256");

        HttpURLConnection down = (HttpURLConnection) URI.create(path).toURL().openConnection();
        down.setRequestProperty("Authorization", "Token " + token);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long received = 0;
        try (InputStream in = down.getInputStream()) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha.update(buffer, 0, n);
                received += n;
            }
        }
        assertThat(received).isEqualTo(SIZE);
        assertThat(HexFormat.of().formatHex(sha.digest())).isEqualTo(sent);
        assertThat(server.isAlive()).isTrue();
        long peakKib = peakRssKib(server.pid());
        System.out.println("Huge stream test: server peak RSS " + peakKib / 1024 + " MiB with -Xmx256m");
        // The heap cannot pass 256 MiB; the whole process (heap, metaspace, threads, buffers) stays well below the
        // 2 GiB that went through it, so nothing buffered the file outside the heap either.
        assertThat(peakKib).as("peak RSS in KiB").isLessThan(640L * 1024);
    }

    private static String login() {
        Http.Response r = new Http("http://127.0.0.1:" + port).post("/api/v1/auth/login/",
                java.util.Map.of("username", "root", "password", PASSWORD));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("token").asString();
    }

    /** Projects are made in the database (with the embedded server's generated password): the projects API is another feature's. */
    private static UUID createProject() throws Exception {
        List<String> pid = Files.readAllLines(DATA_DIR.resolve("postgres").resolve("postmaster.pid"));
        UUID id = UUID.randomUUID();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + pid.get(3).trim() + "/postgres", "postgres",
                Files.readString(DATA_DIR.resolve("embedded-postgres.password")).trim());
             PreparedStatement st = c.prepareStatement(
                     "INSERT INTO projects (id, name, owner_id) SELECT ?, 'huge', id FROM users WHERE username = 'root'")) {
            st.setObject(1, id);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
        return id;
    }

    private static void waitUntilUp(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(server.isAlive()).as(serverLog()).isTrue();
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/api/v1/status/").toURL().openConnection();
                if (c.getResponseCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(500);
        }
        throw new AssertionError("server did not start: " + serverLog());
    }

    /** The process's peak resident set (VmHWM of /proc/PID/status) in KiB. */
    static long peakRssKib(long pid) throws IOException {
        String line = Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
                .filter(l -> l.startsWith("VmHWM")).findFirst().orElseThrow(() -> new AssertionError("no VmHWM for process " + pid));
        return Long.parseLong(line.replaceAll("\\D", ""));
    }

    private static String serverLog() {
        try {
            String log = Files.readString(DATA_DIR.resolve("server.log"), StandardCharsets.UTF_8);
            return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
        } catch (IOException e) {
            return "(no server log)";
        }
    }

    /** Deterministic pseudo-random bytes (xorshift), hashed as they are produced. */
    static final class Generated extends InputStream {
        private final MessageDigest sha = sha256Digest();
        private long remaining;
        private long state = 0x9E3779B97F4A7C15L;

        Generated(long size) {
            this.remaining = size;
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (remaining == 0) {
                return -1;
            }
            int n = (int) Math.min(len, remaining);
            for (int i = 0; i < n; i++) {
                if ((i & 7) == 0) {
                    state ^= state << 13;
                    state ^= state >>> 7;
                    state ^= state << 17;
                }
                b[off + i] = (byte) (state >>> ((i & 7) * 8));
            }
            sha.update(b, off, n);
            remaining -= n;
            return n;
        }

        String sha256() {
            assertThat(remaining).isZero();
            return HexFormat.of().formatHex(sha.digest());
        }

        private static MessageDigest sha256Digest() {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
