package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.Multipart;
import org.fieldcloud.support.RawHttp;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;

/**
 * Issue 13: well over a thousand generated hostile requests — malformed and deeply nested JSON, wrong content
 * types, huge headers, malformed request lines, fuzzed deltafiles and pg_service texts, traversal names, other
 * people's ids, hostile .qgs/.qgz uploads — get no 5xx and never a secret value back, and the server is healthy
 * afterwards. The generator is seeded, so a failure names a request that can be sent again.
 */
class HostileInputTest extends ApiTest {

    private static final long SEED = 20261204L;

    private record Sent(String what, int status, String body) { }

    @Test
    void aThousandHostileRequestsGetNo5xxAndNoSecret() throws Exception {
        TestData.User owner = data.person("hostileowner");
        TestData.User stranger = data.person("hostilestranger");
        TestData.Project project = data.project(owner);
        TestData.Project othersProject = data.project(data.person("hostileother"));
        String canary = "canary-" + UUID.randomUUID();
        String password = "pw-" + UUID.randomUUID();
        assertThat(http.as(owner).post("/api/v1/projects/" + project.id() + "/secrets/",
                Map.of("type", "envvar", "name", "HOSTILE_CANARY", "value", canary)).status()).isEqualTo(201);
        assertThat(http.as(owner).post("/api/v1/projects/" + project.id() + "/secrets/",
                Map.of("type", "pgservice", "value", "[hostile]\nhost=db.example\ndbname=d\nuser=u\npassword=" + password + "\n")).status()).isEqualTo(201);

        Random random = new Random(SEED);
        List<Sent> sent = new ArrayList<>();
        List<String> paths = paths(project, othersProject);
        for (int i = 0; i < 300; i++) {
            String path = paths.get(random.nextInt(paths.size()));
            Http as = random.nextBoolean() ? http.as(owner) : http.as(stranger);
            String method = List.of("POST", "PUT", "PATCH", "DELETE").get(random.nextInt(4));
            String body = hostileJson(random);
            sent.add(record(method + " " + path + " json#" + i, () -> as.raw(method, path, "application/json", body)));
        }
        for (int i = 0; i < 150; i++) {
            String path = paths.get(random.nextInt(paths.size()));
            String type = List.of("text/xml", "application/octet-stream", "multipart/form-data", "multipart/form-data; boundary=",
                    "application/x-www-form-urlencoded; charset=nonsense", "application/json; charset=utf-32", "*/*", "text/plain").get(random.nextInt(8));
            sent.add(record("POST " + path + " as " + type, () -> http.as(owner).raw("POST", path, type, hostileJson(random))));
        }
        for (int i = 0; i < 200; i++) {
            byte[] deltafile = fuzzedDeltafile(random, project.id());
            sent.add(record("deltafile#" + i, () -> new Multipart().file("file", "deltafile.json", deltafile)
                    .post(http.as(owner), "/api/v1/deltas/" + project.id() + "/")));
        }
        for (int i = 0; i < 150; i++) {
            String text = fuzzedPgService(random);
            sent.add(record("pg_service#" + i, () -> http.as(owner).post("/api/v1/projects/" + project.id() + "/secrets/",
                    Map.of("type", "pgservice", "value", text))));
        }
        for (int i = 0; i < 100; i++) {
            String name = hostileName(random);
            String inPath = java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20").replace("%2F", "/");
            sent.add(record("upload " + name, () -> new Multipart().file("file", name, "x".getBytes())
                    .post(http.as(owner), "/api/v1/files/" + project.id() + "/" + inPath + "/")));
        }
        for (int i = 0; i < 60; i++) {
            byte[][] qgis = hostileQgis(random);
            String name = i % 2 == 0 ? "p" + i + ".qgs" : "p" + i + ".qgz";
            sent.add(record("upload hostile " + name, () -> new Multipart().file("file", name, qgis[name.endsWith(".qgs") ? 0 : 1])
                    .post(http.as(owner), "/api/v1/files/" + project.id() + "/" + name + "/")));
        }
        for (int i = 0; i < 60; i++) {
            String id = random.nextBoolean() ? othersProject.id().toString() : UUID.randomUUID().toString();
            String path = List.of("/api/v1/projects/%s/", "/api/v1/files/%s/", "/api/v1/deltas/%s/", "/api/v1/projects/%s/secrets/",
                    "/api/v1/collaborators/%s/", "/api/v1/jobs/?project_id=%s", "/api/v1/projects/%s/secrets/audit/").get(random.nextInt(7)).formatted(id);
            sent.add(record("GET other's " + path, () -> http.as(stranger).get(path)));
        }
        for (int i = 0; i < 40; i++) {
            sent.add(rawRequest(random, i));
        }

        assertThat(sent).hasSizeGreaterThanOrEqualTo(1000);
        for (Sent s : sent) {
            assertThat(s.status()).as(s.what() + " → " + s.body()).isBetween(200, 499);
            assertThat(s.body()).as(s.what()).doesNotContain(canary).doesNotContain(password);
        }
        assertThat(http.get("/api/v1/status/").json().get("database").asString()).isEqualTo("ok");
        assertThat(http.as(owner).get("/api/v1/projects/" + project.id() + "/").status()).as("still serving").isEqualTo(200);
    }

    private static Sent record(String what, Supplier<Http.Response> request) {
        Http.Response r = request.get();
        return new Sent(what, r.status(), r.text());
    }

    private static List<String> paths(TestData.Project project, TestData.Project others) {
        String p = project.id().toString();
        String o = others.id().toString();
        return List.of("/api/v1/auth/login/", "/api/v1/auth/token/", "/api/v1/projects/", "/api/v1/projects/" + p + "/", "/api/v1/projects/" + o + "/",
                "/api/v1/collaborators/" + p + "/", "/api/v1/organizations/", "/api/v1/projects/" + p + "/secrets/", "/api/v1/jobs/",
                "/api/v1/deltas/apply/" + p + "/", "/api/v1/users/", "/api/v1/plans/", "/api/v1/members/nobody/", "/api/v1/projects/not-a-uuid/",
                "/api/v1/deltas/" + p + "/" + UUID.randomUUID() + "/status");
    }

    private static String hostileJson(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> "{";
            case 1 -> "[".repeat(5000) + "]".repeat(5000);
            case 2 -> "{\"a\":" .repeat(3000) + "1" + "}".repeat(3000);
            case 3 -> "{\"name\":\"" + "x".repeat(200_000) + "\"}";
            case 4 -> "{\"name\":123,\"owner\":[],\"type\":{},\"role\":null,\"value\":true}";
            case 5 -> "\u0000\u0001\u0002" + randomText(r, 50);
            case 6 -> "{\"project_id\":\"" + UUID.randomUUID() + "\",\"type\":\"package\",\"force\":\"maybe\"}";
            case 7 -> "null";
            case 8 -> "{\"username\":\"admin' OR '1'='1\",\"password\":\"x\"}";
            case 9 -> "{\"name\":\"\\ud800\",\"description\":\"\\u0000\"}";
            case 10 -> "1e99999";
            default -> randomText(r, 1 + r.nextInt(400));
        };
    }

    private static byte[] fuzzedDeltafile(Random r, UUID project) {
        String delta = "{\"uuid\":\"" + UUID.randomUUID() + "\",\"clientId\":\"" + UUID.randomUUID() + "\",\"localPk\":\"1\",\"sourcePk\":\"1\","
                + "\"localLayerId\":\"l\",\"sourceLayerId\":\"l\",\"method\":\"patch\",\"old\":{\"attributes\":{\"a\":1}},\"new\":{\"attributes\":{\"a\":2}}}";
        String valid = "{\"version\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"project\":\"" + project + "\",\"files\":[],\"deltas\":[" + delta + "]}";
        byte[] bytes = valid.getBytes(StandardCharsets.UTF_8);
        switch (r.nextInt(6)) {
            case 0 -> {
                for (int i = 0; i < 1 + r.nextInt(8); i++) {
                    bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
                }
                return bytes;
            }
            case 1 -> {
                return valid.replace("\"method\":\"patch\"", "\"method\":\"" + randomText(r, 5) + "\"").getBytes(StandardCharsets.UTF_8);
            }
            case 2 -> {
                return valid.replace("\"version\":\"1.0\"", "\"version\":" + r.nextInt()).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                return valid.replace("\"project\":\"" + project + "\"", "\"project\":\"" + UUID.randomUUID() + "\"").getBytes(StandardCharsets.UTF_8);
            }
            case 4 -> {
                return valid.substring(0, r.nextInt(valid.length())).getBytes(StandardCharsets.UTF_8);
            }
            default -> {
                return valid.replace("\"a\":2", "\"a\":" + hostileJson(r)).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    private static String fuzzedPgService(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> "[a]\n[b]\nhost=x\n";
            case 1 -> "host=x\nport=5432\n";
            case 2 -> "[svc]\nport=" + randomText(r, 8) + "\n";
            case 3 -> "[svc]\nsslmode=" + randomText(r, 6) + "\n";
            case 4 -> "[" + randomText(r, 20) + "]\nhost=" + randomText(r, 30) + "\n";
            case 5 -> "[svc]\n" + "k=v\n".repeat(20_000);
            case 6 -> "\u0000[svc]\u0000\nhost=\u0000\n";
            default -> randomText(r, 1 + r.nextInt(300));
        };
    }

    private static String hostileName(Random r) {
        return switch (r.nextInt(10)) {
            case 0 -> "../escape.txt";
            case 1 -> "a/../../escape.txt";
            case 2 -> "%2e%2e/escape.txt";
            case 3 -> "/etc/passwd";
            case 4 -> "a\\..\\b.txt";
            case 5 -> "name with spaces and ünïcode ✓.txt";
            case 6 -> "x".repeat(2000) + ".txt";
            case 7 -> "COM1";
            case 8 -> "dir//double.txt";
            default -> randomText(r, 12).replace("/", "_") + ".bin";
        };
    }

    /** [0] a hostile .qgs, [1] a hostile .qgz. */
    private static byte[][] hostileQgis(Random r) throws IOException {
        String qgs = switch (r.nextInt(4)) {
            case 0 -> "<?xml version=\"1.0\"?><!DOCTYPE qgis [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]><qgis><title>&xxe;</title></qgis>";
            case 1 -> "<!DOCTYPE qgis [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><qgis><title>&c;</title></qgis>";
            case 2 -> "<qgis version=\"3.28\"><projectlayers><maplayer><id>x</id><datasource>" + randomText(r, 500) + "</datasource></maplayer></projectlayers>";
            default -> randomText(r, 1000);
        };
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream out = new ZipOutputStream(zip)) {
            out.putNextEntry(new ZipEntry(r.nextBoolean() ? "../../evil.qgs" : "p.qgs"));
            if (r.nextBoolean()) {
                out.write(new byte[5_000_000]);
            } else {
                out.write(qgs.getBytes(StandardCharsets.UTF_8));
            }
            out.closeEntry();
        }
        byte[] qgz = r.nextInt(4) == 0 ? randomText(r, 300).getBytes(StandardCharsets.UTF_8) : zip.toByteArray();
        return new byte[][] {qgs.getBytes(StandardCharsets.UTF_8), qgz};
    }

    /** Malformed request lines and oversized headers, sent as raw bytes. */
    private Sent rawRequest(Random r, int i) throws IOException {
        String request = switch (i % 5) {
            case 0 -> "GET /api/v1/status/ HTTP/1.1\r\nHost: x\r\nX-Huge: " + "h".repeat(70_000);
            case 1 -> "GE\u0000T /api/v1/status/ HTTP/1.1\r\nHost: x";
            case 2 -> "GET /api/v1/files/%00/x/ HTTP/1.1\r\nHost: x";
            case 3 -> "GET /api/v1/" + randomText(r, 40).replace(" ", "%20").replace("\r", "").replace("\n", "") + " HTTP/1.1\r\nHost: x";
            default -> "POST /api/v1/auth/login/ HTTP/1.1\r\nHost: x\r\nContent-Length: -5";
        };
        try (RawHttp raw = new RawHttp(port)) {
            raw.head(request + "\r\nConnection: close");
            String answer = raw.answer(Duration.ofSeconds(10));
            int status = answer == null || answer.length() < 12 ? 400 : Integer.parseInt(answer.substring(9, 12));
            return new Sent("raw#" + i, status, answer == null ? "" : answer);
        }
    }

    private static String randomText(Random r, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append((char) (r.nextInt(4) == 0 ? r.nextInt(0x3000) : 32 + r.nextInt(95)));
        }
        return sb.toString();
    }
}
