package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.fieldcloud.support.Await;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.PrivatePostgres;
import org.fieldcloud.support.ServerProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13, fault (b): the server's external PostgreSQL (a private cluster) is restarted while clients read, upload
 * and run jobs. While it is down readiness says so (503) and the API answers 503 with {@code {"code","message"}},
 * not a hang or a 500; once it is back the same server process, never restarted, serves reads, uploads and jobs
 * again (its pool and its LISTEN connection reconnect by themselves).
 */
class DatabaseRestartTest {

    private static final String ADMIN = "pgrestartadmin";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final byte[] CONTENT = {1, 2, 3};

    @Test
    void theServerReportsADatabaseOutageAndRecoversWithoutARestart() throws Exception {
        Path dataDir = Files.createDirectories(Path.of("target", "test-data", "pgrestart-" + UUID.randomUUID()));
        try (PrivatePostgres pg = PrivatePostgres.create()) {
            Map<String, String> settings = new HashMap<>(pg.asMetadataDatabase());
            settings.putAll(Map.of("FIELDCLOUD_ADMIN_USERNAME", ADMIN, "FIELDCLOUD_ADMIN_PASSWORD", PASSWORD,
                    "FIELDCLOUD_WORKERS", "1", "FIELDCLOUD_JOBS_HEARTBEAT_SECONDS", "1"));
            try (ServerProcess node = ServerProcess.serve(dataDir, dataDir.resolve("serve.log"), settings).awaitHttp()) {
                Http api = node.http().as(node.login(ADMIN, PASSWORD));
                UUID project = UUID.fromString(api.post("/api/v1/projects/", Map.of("name", "pgrestart")).json().get("id").asString());
                assertThat(node.http().get("/actuator/health/readiness").status()).isEqualTo(200);

                // Load: listing and uploading without pause, recording every answer.
                Map<Integer, AtomicInteger> answers = new ConcurrentHashMap<>();
                AtomicReference<String> unexpected = new AtomicReference<>();
                AtomicBoolean go = new AtomicBoolean(true);
                AtomicInteger seq = new AtomicInteger();
                java.util.Set<String> confirmed = ConcurrentHashMap.newKeySet();
                Thread[] clients = new Thread[6];
                for (int i = 0; i < clients.length; i++) {
                    boolean uploads = i % 2 == 0;
                    clients[i] = Thread.ofVirtual().start(() -> {
                        while (go.get()) {
                            String name = "load-" + seq.incrementAndGet() + ".bin";
                            Http.Response r = uploads
                                    ? new Multipart().file("file", name, CONTENT).post(api, "/api/v1/files/" + project + "/" + name)
                                    : api.get("/api/v1/projects/?limit=20");
                            if (uploads && r.status() == 201) {
                                confirmed.add(name);
                            }
                            answers.computeIfAbsent(r.status(), k -> new AtomicInteger()).incrementAndGet();
                            if (r.status() != 200 && r.status() != 201 && !isUnavailable(r)) {
                                unexpected.compareAndSet(null, r.status() + " " + r.text());
                            }
                        }
                    });
                }
                Thread.sleep(1000);
                pg.stop();
                Await.until(() -> node.http().get("/actuator/health/readiness").status() == 503, Duration.ofSeconds(30));
                Http.Response during = api.get("/api/v1/projects/");
                assertThat(during.status()).as("an API call while the database is down").isEqualTo(503);
                assertThat(during.json().get("code").asString()).isEqualTo("service_unavailable");
                assertThat(node.http().get("/actuator/health/readiness").status()).as("readiness while the outage lasts").isEqualTo(503);
                assertThat(node.http().get("/actuator/health/liveness").status()).as("the process itself is alive").isEqualTo(200);

                pg.start();
                Instant restarted = Instant.now();
                Await.until(() -> node.http().get("/actuator/health/readiness").status() == 200, Duration.ofSeconds(30));
                int seen = answers.getOrDefault(201, new AtomicInteger()).get();
                Await.until(() -> answers.getOrDefault(201, new AtomicInteger()).get() > seen + 10, Duration.ofSeconds(30));
                go.set(false);
                for (Thread t : clients) {
                    t.join();
                }
                assertThat(unexpected.get()).as("every answer was a success or a 503 naming the outage").isNull();
                assertThat(answers.get(503)).as("the outage was reported to clients").isNotNull();
                assertThat(node.process().isAlive()).isTrue();

                // Every confirmed upload is listed, and whatever is listed is a complete upload. An upload cut by the
                // outage may still be listed: its version committed but the answer was a 503 (the client retries).
                JsonNode listed = api.get("/api/v1/files/" + project + "/").json();
                java.util.Set<String> names = new java.util.HashSet<>();
                for (JsonNode f : listed) {
                    names.add(f.get("name").asString());
                    assertThat(f.get("sha256").asString()).as("listed %s", f.get("name")).isEqualTo(ServerCrashRecoveryTest.sha256(CONTENT));
                    assertThat(api.get("/api/v1/files/" + project + "/" + f.get("name").asString()).bytes()).as("downloaded %s", f.get("name")).isEqualTo(CONTENT);
                }
                assertThat(names).containsAll(confirmed);
                UUID job = UUID.randomUUID();
                Map<String, String> db = pg.asMetadataDatabase();
                try (Connection c = DriverManager.getConnection(db.get("FIELDCLOUD_DATABASE_URL"), db.get("FIELDCLOUD_DATABASE_USER"), db.get("FIELDCLOUD_DATABASE_PASSWORD"));
                     PreparedStatement s = c.prepareStatement("INSERT INTO jobs (id, project_id, type, created_by, options) "
                             + "SELECT ?, ?, 'test_scripted', id, '{\"test_action\":\"log\"}' FROM users WHERE username = ?")) {
                    s.setObject(1, job);
                    s.setObject(2, project);
                    s.setString(3, ADMIN);
                    assertThat(s.executeUpdate()).isEqualTo(1);
                    c.createStatement().execute("NOTIFY fieldcloud_jobs");
                }
                Await.until(() -> api.get("/api/v1/jobs/" + job + "/").json().get("status").asString().equals("finished"), Duration.ofSeconds(30));
                assertThat(Duration.between(restarted, Instant.now())).isLessThan(Duration.ofSeconds(90));
            }
        }
    }

    private static boolean isUnavailable(Http.Response r) {
        return r.status() == 503 && r.text().contains("\"service_unavailable\"");
    }
}
