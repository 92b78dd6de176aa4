package org.fieldcloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;

/** Account settings (tokens, password) and the staff people page, through real form posts. */
class WebAccountTest extends ApiTest {

    private WebSession signedIn(TestData.User user, String password) {
        WebSession web = new WebSession("http://localhost:" + port);
        assertThat(web.signIn(user.username(), password).status()).isEqualTo(302);
        return web;
    }

    private long tokenId(TestData.User user) {
        return data.jdbc().sql("SELECT id FROM auth_tokens WHERE user_id = :u AND expires_at > now() ORDER BY id LIMIT 1")
                .param("u", user.id()).query(Long.class).single();
    }

    @Test
    void aPersonSeesAndRevokesOnlyTheirOwnTokens() {
        TestData.User person = data.person("web_tokens");
        TestData.User other = data.person("web_tokens_other");
        WebSession web = signedIn(person, TestData.PASSWORD);
        assertThat(web.get("/account").body()).contains("sdk").contains("never");

        assertThat(web.post("/account/tokens/" + tokenId(other) + "/revoke", Map.of(), "/account").status()).isEqualTo(404);
        assertThat(http.as(other).get("/api/v1/auth/user/").status()).isEqualTo(200);

        assertThat(web.post("/account/tokens/" + tokenId(person) + "/revoke", Map.of(), "/account").status()).isEqualTo(302);
        assertThat(http.as(person).get("/api/v1/auth/user/").status()).isEqualTo(401);
    }

    @Test
    void changingThePasswordNeedsTheCurrentOne() {
        TestData.User person = data.person("web_password");
        WebSession web = signedIn(person, TestData.PASSWORD);
        WebSession.Page wrong = web.post("/account/password", Map.of("currentPassword", "not it", "newPassword", "a new password 1"), "/account");
        assertThat(wrong.status()).isEqualTo(200);
        assertThat(wrong.body()).contains("unknown user or wrong password").doesNotContain("a new password 1");

        assertThat(web.post("/account/password", Map.of("currentPassword", TestData.PASSWORD, "newPassword", "a new password 1"), "/account")
                .status()).isEqualTo(302);
        assertThat(new WebSession("http://localhost:" + port).signIn(person.username(), TestData.PASSWORD).status()).isEqualTo(401);
        signedIn(person, "a new password 1");
    }

    @Test
    void staffCreateAndDeactivatePeopleWhoseSessionsThenEnd() {
        TestData.User staff = data.staff("web_staff");
        TestData.User plain = data.person("web_not_staff");
        assertThat(signedIn(plain, TestData.PASSWORD).get("/staff/people").status()).isEqualTo(403);

        WebSession admin = signedIn(staff, TestData.PASSWORD);
        String username = TestData.unique("created");
        assertThat(admin.post("/staff/people", Map.of("username", username, "email", "", "password", "first password 1"), "/staff/people")
                .status()).isEqualTo(302);
        WebSession newcomer = new WebSession("http://localhost:" + port);
        assertThat(newcomer.signIn(username, "first password 1").status()).isEqualTo(302);
        assertThat(newcomer.get("/projects").status()).isEqualTo(200);

        assertThat(admin.post("/staff/people/active", Map.of("username", username, "active", "false"), "/staff/people").status()).isEqualTo(302);
        assertThat(newcomer.get("/projects").status()).isEqualTo(302);
        assertThat(new WebSession("http://localhost:" + port).signIn(username, "first password 1").status()).isEqualTo(401);
        assertThat(admin.get("/staff/plans").status()).isEqualTo(200);
        assertThat(admin.get("/staff/status").status()).isEqualTo(200);
    }

    @Test
    void staffSetAndClearTheMessagesStatusShowsAndOthersCannot() {
        TestData.User staff = data.staff("web_status");
        WebSession admin = signedIn(staff, TestData.PASSWORD);
        String message = "Database upgrade " + TestData.unique("m");
        WebSession.Page badTime = admin.post("/staff/status", Map.of("kind", "maintenance", "message", message, "start", "tonight", "end", ""),
                "/staff/status");
        assertThat(badTime.status()).isEqualTo(200);
        assertThat(badTime.body()).contains("must be an ISO-8601 timestamp");
        assertThat(http.get("/api/v1/status/").json().path("maintenance_message").asString("")).isNotEqualTo(message);

        assertThat(admin.post("/staff/status", Map.of("kind", "maintenance", "message", message, "start", "2026-12-24T20:00:00Z",
                "end", "2026-12-24T22:00:00Z"), "/staff/status").status()).isEqualTo(302);
        var status = http.get("/api/v1/status/").json();
        assertThat(status.get("maintenance_message").asString()).isEqualTo(message);
        assertThat(status.get("maintenance_end_timestamp_utc").asString()).isEqualTo("2026-12-24T22:00:00Z");
        assertThat(admin.get("/staff/status").body()).contains(message);

        WebSession plain = signedIn(data.person("web_status_plain"), TestData.PASSWORD);
        assertThat(plain.post("/staff/status/clear", Map.of("kind", "maintenance"), "/projects").status()).isEqualTo(403);
        assertThat(http.get("/api/v1/status/").json().get("maintenance_message").asString()).isEqualTo(message);

        assertThat(admin.post("/staff/status/clear", Map.of("kind", "maintenance"), "/staff/status").status()).isEqualTo(302);
        assertThat(http.get("/api/v1/status/").json().get("maintenance_message").isNull()).isTrue();
    }
}
