package org.fieldcloud.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenApiTest extends ApiTest {

    @Test
    void openApiDescribesTheApiWithoutInternalParameters() {
        Http.Response r = http.get("/api/openapi.json");
        assertThat(r.status()).isEqualTo(200);
        JsonNode spec = r.json();
        assertThat(spec.get("info").get("title").asString()).isEqualTo("FieldCloud API");
        assertThat(spec.get("paths").has("/api/v1/auth/login")).isTrue();
        assertThat(spec.get("paths").has("/api/v1/users/{username}")).isTrue();
        assertThat(r.text()).doesNotContain("\"name\":\"actor\"");
        assertThat(r.text()).as("the web pages are not API").doesNotContain("\"/projects/").doesNotContain("\"/organizations/");
        JsonNode login = spec.get("paths").get("/api/v1/auth/login").get("post");
        assertThat(login.get("requestBody").get("content").get("application/json").get("examples").get("example").get("value").has("username")).isTrue();
    }

    @Test
    void humanReadableApiPageIsServed() {
        Http.Response entry = http.get("/api/docs");
        assertThat(entry.status()).isEqualTo(302);
        assertThat(entry.header("Location")).isEqualTo("/api/swagger-ui/index.html");
        Http.Response r = http.get(entry.header("Location"));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).contains("swagger-ui");
    }
}
