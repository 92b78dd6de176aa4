package org.fieldcloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;

/** The pages' filter chain: sessions, CSRF, fixation, the shared lock-out; and the API chain stays stateless. */
class WebSecurityTest extends ApiTest {

    private WebSession session() {
        return new WebSession("http://localhost:" + port);
    }

    @Test
    void signingInChangesTheSessionAndSetsALaxHttpOnlyCookie() {
        TestData.User person = data.person("web_sign_in");
        WebSession web = session();
        WebSession.Page signInPage = web.get("/");
        assertThat(signInPage.status()).isEqualTo(200);
        assertThat(signInPage.body()).doesNotContain("You are signed out");
        String cookie = signInPage.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(cookie).contains("HttpOnly").containsIgnoringCase("SameSite=Lax");
        String before = web.sessionId();

        WebSession.Page signedIn = web.signIn(person.username(), TestData.PASSWORD);

        assertThat(signedIn.status()).isEqualTo(302);
        assertThat(signedIn.headers().firstValue("Location").orElseThrow()).endsWith("/projects");
        assertThat(web.sessionId()).isNotNull().isNotEqualTo(before);
        assertThat(web.get("/projects").body()).contains("Projects");

        WebSession.Page signedOut = web.post("/sign-out", java.util.Map.of(), "/projects");
        assertThat(signedOut.headers().firstValue("Location").orElseThrow()).endsWith("/?signed-out");
        assertThat(web.get("/?signed-out").body()).contains("You are signed out");
        assertThat(web.get("/projects").status()).isEqualTo(302);
    }

    @Test
    void signInByEmailWorks() {
        TestData.User person = data.person("web_email");
        WebSession web = session();
        assertThat(web.signIn(person.username() + "@example.org", TestData.PASSWORD).status()).isEqualTo(302);
        assertThat(web.get("/projects").status()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordIsAFormErrorAndPagesNeedASignIn() {
        TestData.User person = data.person("web_wrong");
        WebSession web = session();
        WebSession.Page refused = web.signIn(person.username(), "not the password");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.body()).contains("unknown user or wrong password").doesNotContain("not the password");
        WebSession.Page projects = web.get("/projects");
        assertThat(projects.status()).isEqualTo(302);
    }

    @Test
    void formPostsWithoutTheCsrfTokenAreRefusedAndChangeNothing() {
        TestData.User person = data.person("web_csrf");
        WebSession web = session();
        web.get("/");
        assertThat(web.post("/sign-in", Map.of("login", person.username(), "password", TestData.PASSWORD), null).status()).isEqualTo(403);

        assertThat(web.signIn(person.username(), TestData.PASSWORD).status()).isEqualTo(302);
        String name = TestData.unique("csrf_project");
        assertThat(web.post("/projects/new", Map.of("name", name), null).status()).isEqualTo(403);
        assertThat(data.jdbc().sql("SELECT count(*) FROM projects WHERE name = :n").param("n", name).query(Long.class).single()).isZero();

        assertThat(web.post("/projects/new", Map.of("name", name), "/projects/new").status()).isEqualTo(302);
        assertThat(data.jdbc().sql("SELECT count(*) FROM projects WHERE name = :n").param("n", name).query(Long.class).single()).isOne();
    }

    @Test
    void theWebSignInSharesTheApiLockOut() {
        TestData.User person = data.person("web_lock");
        WebSession web = session();
        for (int i = 0; i < 5; i++) {
            web.signIn(person.username(), "wrong " + i);
        }
        WebSession.Page locked = web.signIn(person.username(), TestData.PASSWORD);
        assertThat(locked.status()).isEqualTo(401);
        assertThat(locked.body()).contains("Too many failed login attempts");
        Http.Response api = http.post("/api/v1/auth/login/", Map.of("username", person.username(), "password", TestData.PASSWORD));
        assertThat(api.status()).isEqualTo(401);
        assertThat(api.json().get("code").asString()).isEqualTo("too_many_failed_login_attempts");
    }

    @Test
    void theApiStillWorksWithTokensAndSetsNoCookie() {
        TestData.User person = data.person("web_api");
        Http.Response list = http.as(person).get("/api/v1/projects/");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.headers().firstValue("Set-Cookie")).isEmpty();
        Http.Response login = http.post("/api/v1/auth/login/", Map.of("username", person.username(), "password", TestData.PASSWORD));
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.headers().firstValue("Set-Cookie")).isEmpty();
        Http.Response anonymous = http.get("/api/v1/projects/");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void swaggerUiIsTheApiReferenceAndTheDescriptionStays() {
        Http.Response docs = http.get("/api/docs/");
        assertThat(docs.status()).isIn(200, 302);
        Http.Response spec = http.get("/api/openapi.json");
        assertThat(spec.status()).isEqualTo(200);
        assertThat(spec.text()).contains("\"token\"");
    }
}
