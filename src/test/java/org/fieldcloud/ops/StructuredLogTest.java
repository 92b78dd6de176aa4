package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.ServerProcess;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 13: with {@code FIELDCLOUD_LOG_FORMAT=json} every log line is one JSON object, and a line written while a
 * request runs carries that request's id — the caller's {@code X-Request-Id}, which the response repeats.
 */
class StructuredLogTest extends ApiTest {

    @Test
    void everyLineIsJsonAndALockOutLineCarriesTheRequestId() throws Exception {
        assertThat(http.header("X-Request-Id", "plain-id-1").get("/api/v1/status/").header("X-Request-Id")).isEqualTo("plain-id-1");
        assertThat(http.header("X-Request-Id", "not plain!").get("/api/v1/status/").header("X-Request-Id")).as("a new id for a bad one")
                .matches("[0-9a-f-]{36}");

        Path dir = Files.createTempDirectory(dataDir().toAbsolutePath().getParent(), "jsonlog-");
        Path log = dir.resolve("serve.log");
        try (ServerProcess node = ServerProcess.serve(dir, log, Map.of("FIELDCLOUD_LOG_FORMAT", "json", "FIELDCLOUD_WORKERS", "0",
                "FIELDCLOUD_ADMIN_USERNAME", "jsonadmin", "FIELDCLOUD_ADMIN_PASSWORD", "json-admin-password")).awaitHttp()) {
            Http tagged = node.http().header("X-Request-Id", "lockout-req-42");
            for (int i = 0; i < 5; i++) {
                tagged.post("/api/v1/auth/login/", Map.of("username", "jsonadmin", "password", "wrong"));
            }
            List<String> lines = Files.readAllLines(log).stream().filter(l -> l.startsWith("{")).toList();
            assertThat(Files.readAllLines(log).stream().filter(l -> !l.isBlank() && !l.startsWith("{") && !l.startsWith("OpenJDK")))
                    .as("no line outside JSON").isEmpty();
            JsonNode locked = lines.stream().map(Http.JSON::readTree).filter(j -> j.path("message").asString("").contains("are locked"))
                    .findFirst().orElseThrow(() -> new AssertionError("no lock-out line in " + log));
            assertThat(locked.path("request_id").asString()).isEqualTo("lockout-req-42");
            assertThat(locked.path("log").path("level").asString(locked.path("log.level").asString(""))).isEqualTo("WARN");
        }
    }
}
