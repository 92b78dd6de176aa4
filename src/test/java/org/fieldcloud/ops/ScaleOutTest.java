package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import org.fieldcloud.support.Await;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.PrivatePostgres;
import org.fieldcloud.support.S3Store;
import org.fieldcloud.support.ServerProcess;
import org.fieldcloud.support.ServiceLayerProject;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13 §2: two app nodes and two worker processes on one machine, one PostgreSQL (a private cluster, so that the
 * PostGIS data below is another server than the metadata database) and one S3 store (in-process s3proxy). 100
 * clients upload files and push deltas through both nodes at once. Every confirmed upload is listed by the other
 * node with its hash, every delta is applied exactly once (one row per delta in PostGIS), every job ends finished and
 * was started exactly once, both workers took part, and a token revoked on one node is refused by the other.
 */
class ScaleOutTest {

    private static final String ADMIN = "scaleadmin";
    private static final String PASSWORD = "pw-" + UUID.randomUUID();
    private static final int CLIENTS = 100;
    private static final int PROJECTS = 10;
    private static final int ROUNDS = 2;

    @Test
    void twoNodesAndTwoWorkersServeOneHundredClientsWithoutLossOrDoubleWork() throws Exception {
        Path dir = Files.createDirectories(Path.of("target", "test-data", "scale-" + UUID.randomUUID()));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        List<ServerProcess> processes = new ArrayList<>();
        try (PrivatePostgres metadata = PrivatePostgres.create(); S3Store s3 = new S3Store(dir.resolve("s3"));
             PostgisDatabase gis = PostgisDatabase.create("fc_scale")) {
            gis.execute("CREATE TABLE notes (id serial PRIMARY KEY, note text NOT NULL, geom geometry(Point, 4326))");
            Map<String, String> settings = new HashMap<>(metadata.asMetadataDatabase());
            settings.putAll(s3.asFileStore("scale-files"));
            settings.putAll(Map.of("FIELDCLOUD_ADMIN_USERNAME", ADMIN, "FIELDCLOUD_ADMIN_PASSWORD", PASSWORD,
                    "FIELDCLOUD_SECRETS_KEYS", "scale:" + Base64.getEncoder().encodeToString(key),
                    "FIELDCLOUD_JOBS_HEARTBEAT_SECONDS", "1", "FIELDCLOUD_TOKEN_CACHE_SECONDS", "600", "JAVA_TOOL_OPTIONS", "-Xmx384m"));
            Map<String, String> node = new HashMap<>(settings);
            node.put("FIELDCLOUD_WORKERS", "0");
            Map<String, String> worker = new HashMap<>(settings);
            worker.put("FIELDCLOUD_WORKERS", "2");
            // The first node creates the schema; the others start once it exists.
            ServerProcess a = ServerProcess.serve(dir.resolve("a"), dir.resolve("node-a.log"), node);
            processes.add(a);
            a.awaitHttp();
            ServerProcess b = ServerProcess.serve(dir.resolve("b"), dir.resolve("node-b.log"), node);
            processes.add(b);
            ServerProcess w1 = ServerProcess.worker(dir.resolve("w1"), dir.resolve("worker-1.log"), worker);
            processes.add(w1);
            ServerProcess w2 = ServerProcess.worker(dir.resolve("w2"), dir.resolve("worker-2.log"), worker);
            processes.add(w2);
            b.awaitHttp();
            w1.awaitWorkers();
            w2.awaitWorkers();

            String token = a.login(ADMIN, PASSWORD);
            Http[] nodes = {a.http().as(token), b.http().as(token)};
            List<UUID> projects = new ArrayList<>();
            for (int p = 0; p < PROJECTS; p++) {
                Http via = nodes[p % 2];
                UUID project = UUID.fromString(via.post("/api/v1/projects/", Map.of("name", "scale" + p)).json().get("id").asString());
                assertThat(via.post("/api/v1/projects/" + project + "/secrets/", Map.of("type", "pgservice",
                        "value", "[notes]\nhost=" + PostgisDatabase.HOST + "\nport=" + PostgisDatabase.PORT + "\ndbname=" + gis.name()
                                + "\nuser=" + PostgisDatabase.ADMIN_USER + "\npassword=" + PostgisDatabase.ADMIN_PASSWORD + "\nsslmode=disable\n")).status())
                        .isEqualTo(201);
                assertThat(upload(via, project, "notes.qgs", ServiceLayerProject.qgs("scale", layer(p)).getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(201);
                projects.add(project);
            }

            Map<String, String> confirmed = new ConcurrentHashMap<>();
            Queue<String> notes = new ConcurrentLinkedQueue<>();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            CountDownLatch done = new CountDownLatch(CLIENTS);
            CountDownLatch start = new CountDownLatch(1);
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                Thread.ofVirtual().start(() -> {
                    try {
                        start.await();
                        int p = client % PROJECTS;
                        UUID project = projects.get(p);
                        for (int r = 0; r < ROUNDS; r++) {
                            Http via = nodes[(client + r) % 2];
                            String name = "c" + client + "-" + r + ".bin";
                            byte[] bytes = new byte[10_000 + ThreadLocalRandom.current().nextInt(90_000)];
                            ThreadLocalRandom.current().nextBytes(bytes);
                            Http.Response up = upload(via, project, name, bytes);
                            if (up.status() == 201) {
                                confirmed.put(project + "/" + name, ServerCrashRecoveryTest.sha256(bytes));
                            } else {
                                failures.add("upload " + up.status() + " " + up.text());
                            }
                            String note = "note-" + client + "-" + r + "-" + UUID.randomUUID();
                            Http.Response pushed = push(nodes[(client + r + 1) % 2], project, layer(p), note);
                            if (pushed.status() == 200) {
                                notes.add(note);
                            } else {
                                failures.add("push " + pushed.status() + " " + pushed.text());
                            }
                        }
                    } catch (Exception e) {
                        failures.add(e.toString());
                    } finally {
                        done.countDown();
                    }
                });
            }
            start.countDown();
            assertThat(done.await(3, java.util.concurrent.TimeUnit.MINUTES)).as("all clients finished").isTrue();
            assertThat(failures).as("every upload and push answered as it should").isEmpty();
            assertThat(confirmed).hasSize(CLIENTS * ROUNDS);

            try (Connection c = DriverManager.getConnection(metadata.asMetadataDatabase().get("FIELDCLOUD_DATABASE_URL"),
                    metadata.asMetadataDatabase().get("FIELDCLOUD_DATABASE_USER"), metadata.asMetadataDatabase().get("FIELDCLOUD_DATABASE_PASSWORD"))) {
                Await.until(() -> count(c, "SELECT count(*) FROM jobs WHERE status IN ('pending', 'queued', 'started')") == 0
                        && count(c, "SELECT count(*) FROM deltas WHERE last_status IN ('pending', 'started')") == 0, Duration.ofSeconds(120));
                assertThat(count(c, "SELECT count(*) FROM jobs WHERE type = 'delta_apply'")).isPositive();
                assertThat(count(c, "SELECT count(*) FROM jobs WHERE type = 'delta_apply' AND status <> 'finished'")).as("delta jobs not finished").isZero();
                assertThat(count(c, "SELECT count(*) FROM jobs WHERE (length(output) - length(replace(output, ' started by worker ', ''))) "
                        + "/ length(' started by worker ') <> 1")).as("jobs not started exactly once").isZero();
                assertThat(count(c, "SELECT count(DISTINCT split_part(worker_id, '/', 1)) FROM jobs")).as("worker processes that ran jobs").isEqualTo(2);
            }

            // Every delta is applied, and applied once: one row per note in the data source.
            for (UUID project : projects) {
                for (JsonNode d : nodes[1].get("/api/v1/deltas/" + project + "/").json()) {
                    assertThat(d.get("last_status").asString()).as("delta %s", d.get("id")).isEqualTo("applied");
                }
            }
            try (Connection c = gis.connection()) {
                assertThat(count(c, "SELECT count(*) FROM notes")).isEqualTo(notes.size());
                assertThat(count(c, "SELECT count(DISTINCT note) FROM notes")).isEqualTo(notes.size());
            }
            assertThat(notes).hasSize(CLIENTS * ROUNDS);

            // Every confirmed upload is listed by each node with the hash of its bytes.
            for (Http via : nodes) {
                Map<String, String> listed = new HashMap<>();
                for (UUID project : projects) {
                    for (JsonNode f : via.get("/api/v1/files/" + project + "/").json()) {
                        if (f.get("name").asString().endsWith(".bin")) {
                            listed.put(project + "/" + f.get("name").asString(), f.get("sha256").asString());
                        }
                    }
                }
                assertThat(listed).isEqualTo(confirmed);
            }

            // A token revoked through one node is refused by the other, which had cached it for ten minutes.
            String other = a.login(ADMIN, PASSWORD);
            assertThat(b.http().as(other).get("/api/v1/auth/user/").status()).isEqualTo(200);
            assertThat(a.http().as(other).post("/api/v1/auth/logout/", Map.of()).status()).isEqualTo(200);
            Await.until(() -> b.http().as(other).get("/api/v1/auth/user/").status() == 401, Duration.ofSeconds(1));
        } finally {
            for (ServerProcess p : processes) {
                p.kill();
            }
        }
    }

    private static String layer(int project) {
        return "notes_layer_" + project;
    }

    private static Http.Response upload(Http via, UUID project, String name, byte[] bytes) {
        return new Multipart().file("file", name, bytes).post(via, "/api/v1/files/" + project + "/" + name);
    }

    /** One deltafile with one created point carrying {@code note}, as QField pushes it. */
    private static Http.Response push(Http via, UUID project, String layer, String note) {
        String delta = "{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + UUID.randomUUID() + "\",\"exportId\":\"" + UUID.randomUUID()
                + "\",\"localLayerId\":\"" + layer + "\",\"sourceLayerId\":\"" + layer + "\",\"localPk\":\"" + UUID.randomUUID()
                + "\",\"sourcePk\":\"\",\"method\":\"create\",\"new\":{\"geometry\":\"POINT (1 2)\",\"attributes\":{\"note\":\"" + note + "\"}}}";
        String file = "{\"version\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"project\":\"" + project + "\",\"files\":[],\"deltas\":[" + delta + "]}";
        return new Multipart().file("file", "deltafile.json", file.getBytes(StandardCharsets.UTF_8)).post(via, "/api/v1/deltas/" + project + "/");
    }

    private static long count(Connection c, String sql) {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
