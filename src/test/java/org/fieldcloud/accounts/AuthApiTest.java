package org.fieldcloud.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;

class AuthApiTest extends ApiTest {

    @Test
    void statusAnswersAnonymouslyWithAndWithoutTrailingSlash() {
        Http.Response r = http.get("/api/v1/status/");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("database").asString()).isEqualTo("ok");
        assertThat(http.get("/api/v1/status").status()).isEqualTo(200);
    }

    @Test
    void loginByUsernameIgnoringCaseReturnsTokenThatAuthenticates() {
        TestData.User u = data.person("alice");
        Http.Response r = http.header("User-Agent", "sdk|py|1.0").post("/api/v1/auth/login/",
                Map.of("username", u.username().toUpperCase(), "password", TestData.PASSWORD));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("type").asString()).isEqualTo("1");
        String token = r.json().get("token").asString();
        assertThat(token).hasSize(100).matches("[A-Za-z0-9]+");
        Http.Response me = http.as(token).get("/api/v1/auth/user/");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username").asString()).isEqualTo(u.username());
        assertThat(me.json().get("type").asInt()).isEqualTo(1);
    }
}
