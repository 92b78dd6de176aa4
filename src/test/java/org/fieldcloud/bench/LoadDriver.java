package org.fieldcloud.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.PostgisDatabase;
import org.fieldcloud.support.ServiceLayerProject;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13 §3 ({@code bench/load.sh}): N concurrent clients (virtual threads, java.net.http) run a QField-like mix
 * against a running server for a given time: list projects in pages of 20, list files, download a file, upload a
 * file, push a deltafile (one created point, applied to PostGIS by the server's workers) and poll the jobs. Prints
 * per operation the count, errors, throughput and p50/p95/p99 latency; exits 1 if any request failed (a non-2xx
 * answer or an exception).
 *
 * <p>Usage: {@code LoadDriver BASE_URL ADMIN PASSWORD SECONDS CLIENTS}. Needs the machine's PostgreSQL with PostGIS
 * ({@code FIELDCLOUD_TEST_PG_*}) for the deltas' layer; the database is dropped at the end.
 */
public final class LoadDriver {

    private static final int PROJECTS = 60;
    private static final int FILES_PER_PROJECT = 3;
    private static final int FILE_BYTES = 64 * 1024;
    /** Weights of the mix, in percent. */
    private static final Map<String, Integer> MIX = new LinkedHashMap<>();

    static {
        MIX.put("list_projects", 25);
        MIX.put("list_files", 20);
        MIX.put("download", 20);
        MIX.put("poll_jobs", 15);
        MIX.put("upload", 10);
        MIX.put("push_deltas", 10);
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();

    private record Project(UUID id, String layer) { }

    private static final class Op {
        final List<long[]> chunks = new ArrayList<>();
        final AtomicLong errors = new AtomicLong();
        final Map<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = login(base, args[1], args[2]);
        int seconds = Integer.parseInt(args[3]);
        int clients = Integer.parseInt(args[4]);
        try (PostgisDatabase gis = PostgisDatabase.create("fc_load")) {
            gis.execute("CREATE TABLE notes (id serial PRIMARY KEY, note text, geom geometry(Point, 4326))");
            Http api = new Http(base).as(token);
            List<Project> projects = setUp(api, gis);
            System.out.printf("set up %d projects with %d files each; %d clients for %d s%n", PROJECTS, FILES_PER_PROJECT, clients, seconds);

            Map<String, Op> ops = new LinkedHashMap<>();
            MIX.keySet().forEach(k -> ops.put(k, new Op()));
            long end = System.nanoTime() + seconds * 1_000_000_000L;
            CountDownLatch done = new CountDownLatch(clients);
            for (int c = 0; c < clients; c++) {
                int client = c;
                Thread.ofVirtual().start(() -> {
                    Map<String, long[]> mine = new LinkedHashMap<>();
                    Map<String, Integer> filled = new LinkedHashMap<>();
                    try {
                        while (System.nanoTime() < end) {
                            String op = pick();
                            Project p = projects.get(ThreadLocalRandom.current().nextInt(projects.size()));
                            long t0 = System.nanoTime();
                            String error;
                            try {
                                error = run(op, base, token, p, client);
                            } catch (Exception e) {
                                error = e.getClass().getSimpleName();
                            }
                            long micros = (System.nanoTime() - t0) / 1000;
                            Op o = ops.get(op);
                            if (error != null) {
                                o.errors.incrementAndGet();
                                o.errorKinds.computeIfAbsent(error, k -> new AtomicLong()).incrementAndGet();
                            }
                            long[] buf = mine.computeIfAbsent(op, k -> new long[1 << 16]);
                            int n = filled.getOrDefault(op, 0);
                            if (n == buf.length) {
                                synchronized (o) {
                                    o.chunks.add(buf);
                                }
                                buf = new long[1 << 16];
                                mine.put(op, buf);
                                n = 0;
                            }
                            buf[n] = micros;
                            filled.put(op, n + 1);
                        }
                    } finally {
                        mine.forEach((op, buf) -> {
                            Op o = ops.get(op);
                            synchronized (o) {
                                o.chunks.add(Arrays.copyOf(buf, filled.getOrDefault(op, 0)));
                            }
                        });
                        done.countDown();
                    }
                });
            }
            done.await();
            long totalErrors = report(ops, seconds);
            System.exit(totalErrors == 0 ? 0 : 1);
        }
    }

    private static List<Project> setUp(Http api, PostgisDatabase gis) {
        List<Project> projects = new ArrayList<>();
        for (int i = 0; i < PROJECTS; i++) {
            JsonNode created = api.post("/api/v1/projects/", Map.of("name", "load" + i + "_" + UUID.randomUUID().toString().substring(0, 6))).json();
            UUID id = UUID.fromString(created.get("id").asString());
            String layer = "notes_" + i;
            expect(api.post("/api/v1/projects/" + id + "/secrets/", Map.of("type", "pgservice", "value", "[notes]\nhost=" + PostgisDatabase.HOST
                    + "\nport=" + PostgisDatabase.PORT + "\ndbname=" + gis.name() + "\nuser=" + PostgisDatabase.ADMIN_USER + "\npassword="
                    + PostgisDatabase.ADMIN_PASSWORD + "\nsslmode=disable\n")), 201, "secret");
            expect(new Multipart().file("file", "notes.qgs", ServiceLayerProject.qgs("load", layer).getBytes(StandardCharsets.UTF_8)).post(api, "/api/v1/files/" + id + "/notes.qgs"), 201, "qgs");
            for (int f = 0; f < FILES_PER_PROJECT; f++) {
                expect(new Multipart().file("file", "photo" + f + ".jpg", bytes()).post(api, "/api/v1/files/" + id + "/photo" + f + ".jpg"), 201, "file");
            }
            projects.add(new Project(id, layer));
        }
        return projects;
    }

    private static void expect(Http.Response r, int status, String what) {
        if (r.status() != status) {
            throw new IllegalStateException("setting up " + what + " answered " + r.status() + ": " + r.text());
        }
    }

    private static String pick() {
        int roll = ThreadLocalRandom.current().nextInt(100);
        for (Map.Entry<String, Integer> e : MIX.entrySet()) {
            roll -= e.getValue();
            if (roll < 0) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("weights do not add up to 100");
    }

    /** Runs one operation; null when it succeeded, else what went wrong (a status). */
    private static String run(String op, String base, String token, Project p, int client) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder().header("Authorization", "Token " + token).timeout(Duration.ofSeconds(60));
        HttpRequest request = switch (op) {
            case "list_projects" -> b.uri(URI.create(base + "/api/v1/projects/?limit=20&offset=" + 20 * ThreadLocalRandom.current().nextInt(PROJECTS / 20))).GET().build();
            case "list_files" -> b.uri(URI.create(base + "/api/v1/files/" + p.id() + "/")).GET().build();
            case "download" -> b.uri(URI.create(base + "/api/v1/files/" + p.id() + "/photo" + ThreadLocalRandom.current().nextInt(FILES_PER_PROJECT) + ".jpg/")).GET().build();
            case "poll_jobs" -> b.uri(URI.create(base + "/api/v1/jobs/?project_id=" + p.id())).GET().build();
            case "upload" -> {
                Multipart m = new Multipart().file("file", "upload-" + client + ".jpg", bytes());
                yield b.uri(URI.create(base + "/api/v1/files/" + p.id() + "/upload-" + client + ".jpg"))
                        .header("Content-Type", m.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(m.body())).build();
            }
            case "push_deltas" -> {
                Multipart m = new Multipart().file("file", "deltafile.json", deltafile(p).getBytes(StandardCharsets.UTF_8));
                yield b.uri(URI.create(base + "/api/v1/deltas/" + p.id() + "/"))
                        .header("Content-Type", m.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(m.body())).build();
            }
            default -> throw new IllegalArgumentException(op);
        };
        HttpResponse<byte[]> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofByteArray());
        return r.statusCode() / 100 == 2 ? null : "HTTP " + r.statusCode();
    }

    private static String deltafile(Project p) {
        String delta = "{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + UUID.randomUUID() + "\",\"exportId\":\"" + UUID.randomUUID()
                + "\",\"localLayerId\":\"" + p.layer() + "\",\"sourceLayerId\":\"" + p.layer() + "\",\"localPk\":\"" + UUID.randomUUID()
                + "\",\"sourcePk\":\"\",\"method\":\"create\",\"new\":{\"geometry\":\"POINT (7 46)\",\"attributes\":{\"note\":\"load\"}}}";
        return "{\"version\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"project\":\"" + p.id() + "\",\"files\":[],\"deltas\":[" + delta + "]}";
    }

    private static byte[] bytes() {
        byte[] b = new byte[FILE_BYTES];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    private static String login(String base, String user, String password) {
        Http.Response r = new Http(base).post("/api/v1/auth/token/", Map.of("username", user, "password", password));
        if (r.status() != 200) {
            throw new IllegalStateException("login answered " + r.status());
        }
        return r.json().get("token").asString();
    }

    private static long report(Map<String, Op> ops, int seconds) {
        long totalErrors = 0;
        long total = 0;
        System.out.printf("%-14s %9s %7s %9s %9s %9s %9s%n", "operation", "requests", "errors", "req/s", "p50 ms", "p95 ms", "p99 ms");
        for (Map.Entry<String, Op> e : ops.entrySet()) {
            long[] all = e.getValue().chunks.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            long errors = e.getValue().errors.get();
            totalErrors += errors;
            total += all.length;
            System.out.printf("%-14s %9d %7d %9.1f %9.1f %9.1f %9.1f%n", e.getKey(), all.length, errors, all.length / (double) seconds,
                    pct(all, 50), pct(all, 95), pct(all, 99));
            e.getValue().errorKinds.forEach((k, v) -> System.out.printf("    %s: %d%n", k, v.get()));
        }
        System.out.printf("%-14s %9d %7d %9.1f%n", "all", total, totalErrors, total / (double) seconds);
        return totalErrors;
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1000.0;
    }
}
