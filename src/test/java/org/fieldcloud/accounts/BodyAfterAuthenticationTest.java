package org.fieldcloud.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.RawHttp;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;

/**
 * D10.6 (security item 6c): request bodies are read only after authentication. Each request announces a large body
 * but sends only its start: a server that reads (spools, parses) the body before deciding keeps waiting and
 * answers nothing; one that refuses first answers at once.
 */
class BodyAfterAuthenticationTest extends ApiTest {

    private static final Duration PROMPTLY = Duration.ofSeconds(8);
    private static final long HUNDRED_MIB = 100L * 1024 * 1024;

    private String partial(String method, String path, String contentType, String extraHeaders, String bodyStart) throws Exception {
        try (RawHttp raw = new RawHttp(port)) {
            raw.head(method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                    + "\r\nContent-Length: " + HUNDRED_MIB + extraHeaders);
            raw.send(bodyStart.getBytes(StandardCharsets.UTF_8));
            return raw.answer(PROMPTLY);
        }
    }

    private static String multipartStart() {
        return "--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n" + "x".repeat(64 * 1024);
    }

    @Test
    void anonymousMultipartAndFormBodiesAreRefusedWithoutBeingRead() throws Exception {
        String multipart = "multipart/form-data; boundary=XyZ";
        for (String path : new String[] {"/api/v1/deltas/" + UUID.randomUUID() + "/", "/api/v1/projects/",
                "/api/v1/files/" + UUID.randomUUID() + "/big.bin"}) {
            String answer = partial("POST", path, multipart, "", multipartStart());
            assertThat(answer).as("POST " + path + " answered before its body arrived").isNotNull();
            assertThat(answer).startsWith("HTTP/1.1 401").contains("\"code\":\"not_authenticated\"").contains("not read");
        }
        String form = partial("PATCH", "/api/v1/users/someone/", "application/x-www-form-urlencoded", "", "first_name=" + "x".repeat(1000));
        assertThat(form).as("PATCH with a form body answered before its body arrived").isNotNull();
        assertThat(form).startsWith("HTTP/1.1 401");
    }

    @Test
    void loginBodiesAreHeldToASmallDeclaredSize() throws Exception {
        String big = partial("POST", "/api/v1/auth/login/", "multipart/form-data; boundary=XyZ", "", multipartStart());
        assertThat(big).as("an oversized login is refused before its body arrives").isNotNull();
        assertThat(big).startsWith("HTTP/1.1 413").contains("login body is larger than");
        try (RawHttp raw = new RawHttp(port)) {
            raw.head("POST /api/v1/auth/login/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked");
            raw.chunk("{\"username\": \"".getBytes(StandardCharsets.UTF_8));
            String chunked = raw.answer(PROMPTLY);
            assertThat(chunked).isNotNull().startsWith("HTTP/1.1 411").contains("Content-Length");
        }
        TestData.User u = data.person("formlogin");
        Http.Response form = http.form("POST", "/api/v1/auth/login/", Map.of("username", u.username(), "password", TestData.PASSWORD));
        assertThat(form.status()).as(form.toString()).isEqualTo(200);
    }

    @Test
    void authenticatedFormBodiesStillWorkForEveryMethod() {
        TestData.User u = data.person("formpatch");
        Http.Response r = http.as(u).form("PATCH", "/api/v1/users/" + u.username() + "/", Map.of("first_name", "Formed"));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().get("first_name").asString()).isEqualTo("Formed");
    }
}
