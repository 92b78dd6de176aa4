package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.ServerProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13, fault (a): the only app node is killed with SIGKILL while uploads stream in and jobs run, and started
 * again on the same data directory and database. Every file it lists has the bytes of one complete upload, a
 * half-sent upload is not listed and leaves the previous version in place, every upload it confirmed is listed,
 * and every job ends: the ones that ran fail naming the dead worker, the waiting ones run to the end.
 */
class ServerCrashRecoveryTest {

    private static final String ADMIN = "crashadmin";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final int UPLOADED = 201;

    @Test
    void aKilledServerRestartsWithOnlyCompleteUploadsListedAndEveryJobEnded() throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target", "test-data", "crash-" + UUID.randomUUID()));
        try (PostgisDatabase db = PostgisDatabase.create("fc_crash_node")) {
            Map<String, String> settings = new HashMap<>(db.asMetadataDatabase());
            settings.putAll(Map.of("FIELDCLOUD_ADMIN_USERNAME", ADMIN, "FIELDCLOUD_ADMIN_PASSWORD", PASSWORD,
                    "FIELDCLOUD_WORKERS", "2", "FIELDCLOUD_JOBS_HEARTBEAT_SECONDS", "1"));
            ServerProcess node = ServerProcess.serve(dataDir, dataDir.resolve("first.log"), settings).awaitHttp();
            try {
                String token = node.login(ADMIN, PASSWORD);
                Http first = node.http().as(token);
                UUID files = project(first);
                byte[] kept = random(100_000);
                assertThat(upload(first, files, "kept.bin", kept).status()).isEqualTo(UPLOADED);

                // Jobs: on two projects a long job runs and a quick one waits behind it (one running job per project).
                long admin = single(db, "SELECT id FROM users WHERE username = ?", ADMIN);
                List<UUID> running = new ArrayList<>();
                List<UUID> waiting = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    UUID p = project(first);
                    running.add(enqueue(db, p, admin, "{\"test_action\":\"sleep\",\"millis\":600000}"));
                    waiting.add(enqueue(db, p, admin, "{\"test_action\":\"log\"}"));
                }
                await(() -> status(db, running.get(0)).equals("started") && status(db, running.get(1)).equals("started"), Duration.ofSeconds(30));

                // Half-sent uploads: a new version of kept.bin and three new files, each held after a quarter of its bytes.
                List<Socket> halfSent = new ArrayList<>();
                halfSent.add(halfUpload(node.port(), token, files, "kept.bin"));
                for (int i = 0; i < 3; i++) {
                    halfSent.add(halfUpload(node.port(), token, files, "half-" + i + ".bin"));
                }
                // The server registers an upload's blob for clean-up before it writes a byte of it.
                await(() -> single(db, "SELECT count(*) FROM orphan_blobs") == halfSent.size(), Duration.ofSeconds(30));

                // Complete uploads keep streaming in while the server dies.
                Map<String, String> sent = new ConcurrentHashMap<>();
                Map<String, String> confirmed = new ConcurrentHashMap<>();
                AtomicBoolean go = new AtomicBoolean(true);
                AtomicInteger seq = new AtomicInteger();
                List<Thread> uploaders = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    uploaders.add(Thread.ofVirtual().start(() -> {
                        while (go.get()) {
                            String name = "full-" + seq.incrementAndGet() + ".bin";
                            byte[] bytes = random(32_000 + ThreadLocalRandom.current().nextInt(200_000));
                            sent.put(name, sha256(bytes));
                            try {
                                int code = upload(first, files, name, bytes).status();
                                if (code == UPLOADED) {
                                    confirmed.put(name, sha256(bytes));
                                }
                            } catch (RuntimeException killed) {
                                return;
                            }
                        }
                    }));
                }
                await(() -> confirmed.size() >= 20, Duration.ofSeconds(60));
                node.kill();
                go.set(false);
                for (Thread t : uploaders) {
                    t.join();
                }
                for (Socket s : halfSent) {
                    s.close();
                }

                node = ServerProcess.serve(dataDir, dataDir.resolve("second.log"), settings).awaitHttp();
                Http api = node.http().as(token);

                JsonNode listed = api.get("/api/v1/files/" + files + "/").json();
                Map<String, String> listedHashes = new HashMap<>();
                for (JsonNode f : listed) {
                    listedHashes.put(f.get("name").asString(), f.get("sha256").asString());
                }
                assertThat(listedHashes).as("no half-sent file is listed").doesNotContainKeys("half-0.bin", "half-1.bin", "half-2.bin");
                assertThat(listedHashes.get("kept.bin")).as("the half-sent version left the previous one").isEqualTo(sha256(kept));
                assertThat(listedHashes).as("every confirmed upload is listed with its hash").containsAllEntriesOf(confirmed);
                for (Map.Entry<String, String> e : listedHashes.entrySet()) {
                    if (e.getKey().startsWith("full-")) {
                        assertThat(e.getValue()).as("listed %s holds one complete upload", e.getKey()).isEqualTo(sent.get(e.getKey()));
                        byte[] downloaded = api.get("/api/v1/files/" + files + "/" + e.getKey()).bytes();
                        assertThat(sha256(downloaded)).as("downloaded %s", e.getKey()).isEqualTo(e.getValue());
                    }
                }
                // The blobs of the half-sent uploads stay registered for the sweeper: none is referenced by a version.
                assertThat(single(db, "SELECT count(*) FROM orphan_blobs o WHERE NOT EXISTS "
                        + "(SELECT 1 FROM file_versions v WHERE v.storage_key = o.storage_key)")).isGreaterThanOrEqualTo(halfSent.size());

                await(() -> ended(db, running) && ended(db, waiting), Duration.ofSeconds(60));
                for (UUID id : running) {
                    assertThat(status(db, id)).isEqualTo("failed");
                    assertThat(output(db, id)).contains("its worker stopped responding");
                }
                for (UUID id : waiting) {
                    assertThat(status(db, id)).as("a job that waited behind the killed one runs after the restart").isEqualTo("finished");
                }
            } finally {
                node.kill();
            }
        }
    }

    private static Http.Response upload(Http api, UUID project, String name, byte[] bytes) {
        return new Multipart().file("file", name, bytes).post(api, "/api/v1/files/" + project + "/" + name);
    }

    private static UUID project(Http api) {
        Http.Response r = api.post("/api/v1/projects/", Map.of("name", "crash" + UUID.randomUUID().toString().substring(0, 8)));
        assertThat(r.status()).isEqualTo(201);
        return UUID.fromString(r.json().get("id").asString());
    }

    /** Opens an upload that announces 4 MiB and sends only the first MiB of it; the caller holds the socket. */
    private static Socket halfUpload(int port, String token, UUID project, String name) throws Exception {
        String boundary = "----half-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + name
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        long length = head.length + 4L * 1024 * 1024 + tail.length;
        Socket socket = new Socket("127.0.0.1", port);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /api/v1/files/" + project + "/" + name + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nAuthorization: Token " + token
                + "\r\nContent-Type: multipart/form-data; boundary=" + boundary + "\r\nContent-Length: " + length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(head);
        out.write(random(1024 * 1024));
        out.flush();
        return socket;
    }

    private static UUID enqueue(PostgisDatabase db, UUID project, long user, String options) throws Exception {
        UUID id = UUID.randomUUID();
        try (Connection c = db.connection();
             PreparedStatement s = c.prepareStatement("INSERT INTO jobs (id, project_id, type, created_by, options) VALUES (?, ?, 'test_scripted', ?, CAST(? AS jsonb))")) {
            s.setObject(1, id);
            s.setObject(2, project);
            s.setLong(3, user);
            s.setString(4, options);
            s.executeUpdate();
            c.createStatement().execute("NOTIFY fieldcloud_jobs");
        }
        return id;
    }

    private static boolean ended(PostgisDatabase db, List<UUID> jobs) {
        return jobs.stream().map(id -> status(db, id)).allMatch(s -> s.equals("finished") || s.equals("failed"));
    }

    private static String status(PostgisDatabase db, UUID job) {
        return text(db, "SELECT status FROM jobs WHERE id = ?", job);
    }

    private static String output(PostgisDatabase db, UUID job) {
        return text(db, "SELECT output FROM jobs WHERE id = ?", job);
    }

    private static String text(PostgisDatabase db, String sql, Object param) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setObject(1, param);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long single(PostgisDatabase db, String sql, Object... params) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(java.util.function.BooleanSupplier condition, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("condition not met within " + limit);
            }
            Thread.sleep(50);
        }
    }
}
