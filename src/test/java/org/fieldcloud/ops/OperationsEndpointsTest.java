package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.junit.jupiter.api.Test;

class OperationsEndpointsTest extends ApiTest {

    @Test
    void healthAndPrometheusMetricsAreServed() {
        Http.Response health = http.get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");
        Http.Response metrics = http.as(data.staff("scraper")).get("/actuator/prometheus");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.text()).contains("jvm_memory_used_bytes").contains("http_server_requests");
    }

    @Test
    void responsesCarrySecurityHeaders() {
        Http.Response r = http.get("/api/v1/status/");
        assertThat(r.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(r.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(r.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
    }

    @Test
    void unknownRoutesAndMethodsGiveTheErrorEnvelope() {
        Http.Response missing = http.get("/api/v1/no-such-thing/");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("code").asString()).isEqualTo("object_not_found");
        Http.Response method = http.raw("DELETE", "/api/v1/status/", null, null);
        assertThat(method.status()).isEqualTo(405);
        assertThat(method.json().get("code").asString()).isEqualTo("api_error");
    }

    @Test
    void requestsTheHttpServerRefusesBeforeTheApplicationGetTheErrorEnvelope() {
        Http.Response slash = http.get("/api/v1/files/" + java.util.UUID.randomUUID() + "/folder%2Fa.txt/");
        assertThat(slash.status()).isEqualTo(400);
        assertThat(slash.header("Content-Type")).startsWith("application/json");
        assertThat(slash.json().get("code").asString()).isEqualTo("validation_error");
        assertThat(slash.json().get("message").asString()).contains("%2F").contains("plain '/'");

        Http.Response nul = http.get("/api/v1/status%00/");
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.json().get("code").asString()).isEqualTo("validation_error");

        String canary = "header-canary-" + java.util.UUID.randomUUID();
        Http.Response huge = http.header("X-Oversized", canary + "a".repeat(20_000)).get("/api/v1/status/");
        assertThat(huge.status()).isEqualTo(400);
        assertThat(huge.json().get("code").asString()).isEqualTo("api_error");
        assertThat(huge.json().get("message").asString()).contains("headers larger than the server accepts");
        assertThat(huge.text()).doesNotContain(canary);
    }
}
