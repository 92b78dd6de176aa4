package org.fieldcloud.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Authentication as in reference-api-core §1 and the auth scenarios of §6.7. */
class AuthApiTest extends ApiTest {

    @Autowired
    private PasswordChecks passwordChecks;

    private static final String QFIELD = "qfield|3.5.0|android";
    private static final String QGIS = "Mozilla/5.0 QGIS/32400/Ubuntu 22.04";

    private Http.Response login(String userAgent, Map<String, String> body) {
        return http.header("User-Agent", userAgent).post("/api/v1/auth/login/", body);
    }

    private String token(String userAgent, String username) {
        Http.Response r = login(userAgent, Map.of("username", username, "password", TestData.PASSWORD));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("token").asString();
    }

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
        Http.Response r = login("sdk|py|1.0", Map.of("username", u.username().toUpperCase(), "password", TestData.PASSWORD));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("type").asString()).isEqualTo("1");
        assertThat(r.json().get("username").asString()).isEqualTo(u.username());
        assertThat(r.json().get("expires_at").asString()).isNotBlank();
        String token = r.json().get("token").asString();
        assertThat(token).hasSize(100).matches("[A-Za-z0-9]+");
        Http.Response me = http.as(token).get("/api/v1/auth/user/");
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.json().get("username").asString()).isEqualTo(u.username());
        assertThat(me.json().get("type").asInt()).isEqualTo(1);
        assertThat(me.json().get("email").asString()).isEqualTo(u.username() + "@example.org");
    }

    /** Token clients are stateless: neither logging in nor authenticated calls leave an HTTP session behind. */
    @Test
    void noRequestCreatesASessionCookie() {
        TestData.User u = data.person("stateless");
        Http.Response login = login("cli|1", Map.of("username", u.username(), "password", TestData.PASSWORD));
        Http.Response me = http.as(u).get("/api/v1/auth/user/");
        Http.Response created = http.as(u).post("/api/v1/projects/", Map.of("name", TestData.unique("stateless"), "owner", u.username()));
        Http.Response refused = http.as(u).delete("/api/v1/projects/" + java.util.UUID.randomUUID() + "/");
        for (Http.Response r : java.util.List.of(login, me, created, refused)) {
            assertThat(r.status()).as(r.toString()).isLessThan(500);
            assertThat(r.headers().allValues("Set-Cookie")).as("cookies of %s", r).isEmpty();
        }
        assertThat(me.status()).isEqualTo(200);
        assertThat(created.status()).isEqualTo(201);
    }

    @Test
    void loginByEmailAndTokenAliasAndFormBody() {
        TestData.User u = data.person("bob");
        assertThat(login("cli|1", Map.of("email", u.username().toUpperCase() + "@example.org", "password", TestData.PASSWORD)).status())
                .isEqualTo(200);
        Http.Response form = http.header("User-Agent", "cli|1")
                .form("POST", "/api/v1/auth/token/", Map.of("username", u.username(), "password", TestData.PASSWORD));
        assertThat(form.status()).as(form.toString()).isEqualTo(200);
        assertThat(form.json().get("token").asString()).hasSize(100);
    }

    @Test
    void wrongPasswordUnknownUserAndOrganizationLoginsFailWithoutToken() {
        TestData.User u = data.person("carol");
        Http.Response wrong = login("cli|1", Map.of("username", u.username(), "password", "nope"));
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("code").asString()).isEqualTo("authentication_failed");
        assertThat(wrong.json().has("token")).isFalse();
        assertThat(login("cli|1", Map.of("username", "nobody_here", "password", "x")).status()).isEqualTo(401);
        TestData.Org org = data.organization(u);
        Http.Response orgLogin = login("cli|1", Map.of("username", org.username(), "password", TestData.PASSWORD));
        assertThat(orgLogin.status()).isEqualTo(401);
        assertThat(orgLogin.json().get("code").asString()).isEqualTo("authentication_failed");
    }

    @Test
    void missingPasswordOrInvalidEmailIsBadRequest() {
        Http.Response noPassword = login("cli|1", Map.of("username", "someone"));
        assertThat(noPassword.status()).isEqualTo(400);
        assertThat(noPassword.json().get("message").asString()).contains("password");
        Http.Response badEmail = login("cli|1", Map.of("email", "not-an-email", "password", "x"));
        assertThat(badEmail.status()).isEqualTo(400);
        assertThat(badEmail.json().get("message").asString()).contains("email");
        Http.Response malformed = http.raw("POST", "/api/v1/auth/login/", "application/json", "{\"username\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().get("message").asString()).contains("Malformed JSON");
    }

    @Test
    void fifthFailureLocksThePairForCorrectPasswordToo() {
        TestData.User u = data.person("dave");
        for (int i = 1; i <= 4; i++) {
            assertThat(login("cli|1", Map.of("username", u.username(), "password", "bad")).json().get("code").asString())
                    .isEqualTo("authentication_failed");
        }
        Http.Response fifth = login("cli|1", Map.of("username", u.username(), "password", "bad"));
        assertThat(fifth.json().get("code").asString()).isEqualTo("too_many_failed_login_attempts");
        Http.Response correct = login("cli|1", Map.of("username", u.username(), "password", TestData.PASSWORD));
        assertThat(correct.status()).isEqualTo(401);
        assertThat(correct.json().get("code").asString()).isEqualTo("too_many_failed_login_attempts");
        data.jdbc().sql("UPDATE login_failures SET last_failure_at = now() - interval '31 minutes' WHERE username = lower(:u)")
                .param("u", u.username()).update();
        assertThat(login("cli|1", Map.of("username", u.username(), "password", TestData.PASSWORD)).status()).isEqualTo(200);
    }

    /**
     * D10.6 (security item 6a): the lock was checked before the slow hash and the failure written after it, so
     * parallel attempts all passed the check. Now exactly the limit's worth of attempts reach the hash.
     */
    @Test
    void fiftyParallelWrongPasswordsGetExactlyTheLimitOfHashChecksAndTheServerStaysResponsive() throws Exception {
        TestData.User u = data.person("storm");
        long before = passwordChecks.checked();
        List<Http.Response> answers;
        Http.Response status;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Http.Response>> storm = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                storm.add(pool.submit(() -> login("cli|1", Map.of("username", u.username(), "password", "wrong"))));
            }
            long start = System.nanoTime();
            status = http.get("/api/v1/status/");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("status answers during the storm").isLessThan(Duration.ofSeconds(5));
            answers = new ArrayList<>();
            for (Future<Http.Response> f : storm) {
                answers.add(f.get());
            }
        }
        assertThat(status.status()).isEqualTo(200);
        assertThat(passwordChecks.checked() - before).as("hash checks").isEqualTo(LoginThrottle.LIMIT);
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(401));
        Map<String, Long> codes = answers.stream().collect(Collectors.groupingBy(r -> r.json().get("code").asString(), Collectors.counting()));
        assertThat(codes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "authentication_failed", (long) LoginThrottle.LIMIT - 1, "too_many_failed_login_attempts", 50L - LoginThrottle.LIMIT + 1));

        Http.Response correct = login("cli|1", Map.of("username", u.username(), "password", TestData.PASSWORD));
        assertThat(correct.status()).isEqualTo(401);
        assertThat(correct.json().get("code").asString()).isEqualTo("too_many_failed_login_attempts");
        assertThat(passwordChecks.checked() - before).as("a locked login is refused without a hash check").isEqualTo(LoginThrottle.LIMIT);
    }

    /**
     * D10.6 (security item 6b): each Argon2 check holds 16 MiB and nothing bounded how many ran at once. Unknown
     * users cost a (dummy) check too, so that timing does not reveal accounts; the cap holds for them as well.
     */
    @Test
    void twoHundredParallelLoginsOfUnknownUsersStayWithinTheHashCheckCap() throws Exception {
        String prefix = TestData.unique("ghost");
        List<Http.Response> answers = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Http.Response>> storm = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String name = prefix + "_" + i;
                storm.add(pool.submit(() -> login("cli|1", Map.of("username", name, "password", "whatever"))));
            }
            for (Future<Http.Response> f : storm) {
                answers.add(f.get());
            }
        }
        assertThat(answers).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isIn(401, 429));
        List<Http.Response> busy = answers.stream().filter(r -> r.status() == 429).toList();
        assertThat(busy).as("saturated checks are refused, not queued without bound").isNotEmpty();
        assertThat(busy).allSatisfy(r -> {
            assertThat(r.header("Retry-After")).isEqualTo("1");
            assertThat(r.json().get("code").asString()).isEqualTo("too_many_requests");
            assertThat(r.json().get("message").asString()).contains("try again");
        });
        assertThat(passwordChecks.peak()).as("concurrent hash checks").isLessThanOrEqualTo(passwordChecks.capacity());
    }

    @Test
    void successResetsTheFailureCount() {
        TestData.User u = data.person("erin");
        for (int i = 0; i < 4; i++) login("cli|1", Map.of("username", u.username(), "password", "bad"));
        token("cli|1", u.username());
        for (int i = 0; i < 4; i++) {
            assertThat(login("cli|1", Map.of("username", u.username(), "password", "bad")).json().get("code").asString())
                    .isEqualTo("authentication_failed");
        }
    }

    @Test
    void singleTokenClientsKeepOnlyTheNewestTokenWhileSdkTokensAllStayValid() {
        TestData.User u = data.person("frank");
        String qfield1 = token(QFIELD, u.username());
        String qfield2 = token(QFIELD, u.username());
        assertThat(http.as(qfield1).get("/api/v1/auth/user/").json().get("code").asString()).isEqualTo("token_authentication_failed");
        assertThat(http.as(qfield2).get("/api/v1/auth/user/").status()).isEqualTo(200);

        String qgis1 = token(QGIS, u.username());
        String qgis2 = token(QGIS, u.username());
        assertThat(http.as(qgis1).get("/api/v1/auth/user/").status()).isEqualTo(401);
        assertThat(http.as(qgis2).get("/api/v1/auth/user/").status()).isEqualTo(200);
        assertThat(http.as(qfield2).get("/api/v1/auth/user/").status()).as("other client types unaffected").isEqualTo(200);

        String sdk1 = token("sdk|py|1", u.username());
        String sdk2 = token("sdk|py|1", u.username());
        assertThat(http.as(sdk1).get("/api/v1/auth/user/").status()).isEqualTo(200);
        assertThat(http.as(sdk2).get("/api/v1/auth/user/").status()).isEqualTo(200);
    }

    @Test
    void clientTypeIsDerivedFromTheUserAgent() {
        assertThat(ClientType.fromUserAgent("")).isEqualTo(ClientType.UNKNOWN);
        assertThat(ClientType.fromUserAgent("qfield|3.0")).isEqualTo(ClientType.QFIELD);
        assertThat(ClientType.fromUserAgent("sdk|py")).isEqualTo(ClientType.SDK);
        assertThat(ClientType.fromUserAgent("cli|py")).isEqualTo(ClientType.CLI);
        assertThat(ClientType.fromUserAgent("Mozilla/5.0 QGIS/32203")).isEqualTo(ClientType.QFIELDSYNC);
        assertThat(ClientType.fromUserAgent("Mozilla/5.0 QGIS/32400/Ubuntu 20.04.4 LTS")).isEqualTo(ClientType.QFIELDSYNC);
        assertThat(ClientType.fromUserAgent("Mozilla/5.0 QGIS/2220")).isEqualTo(ClientType.UNKNOWN);
        assertThat(ClientType.fromUserAgent("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120"))
                .isEqualTo(ClientType.BROWSER);
        assertThat(ClientType.fromUserAgent("Mozilla/5.0 (X11; rv:120.0) Gecko/20100101 Firefox/120.0")).isEqualTo(ClientType.BROWSER);
        assertThat(ClientType.fromUserAgent("curl/8.0")).isEqualTo(ClientType.UNKNOWN);
    }

    @Test
    void logoutExpiresEveryTokenOfTheUser() {
        TestData.User u = data.person("gina");
        String cli = token("cli|1", u.username());
        String sdk = token("sdk|1", u.username());
        Http.Response out = http.as(cli).post("/api/v1/auth/logout/", Map.of());
        assertThat(out.status()).isEqualTo(200);
        assertThat(out.json().get("detail").asString()).isEqualTo("Successfully logged out.");
        assertThat(http.as(cli).get("/api/v1/auth/user/").status()).isEqualTo(401);
        assertThat(http.as(sdk).get("/api/v1/auth/user/").status()).isEqualTo(401);
        assertThat(http.post("/api/v1/auth/logout/", Map.of()).status()).as("anonymous logout").isEqualTo(200);
    }

    @Test
    void lastUsedAtIsNullUntilFirstUseThenWrittenAtMostOnceAMinute() {
        TestData.User u = data.person("hank");
        String token = token("cli|1", u.username());
        String hash = Tokens.hash(token);
        assertThat(lastUsed(hash)).isNull();
        http.as(token).get("/api/v1/auth/user/");
        java.time.OffsetDateTime first = lastUsed(hash);
        assertThat(first).isNotNull();
        http.as(token).get("/api/v1/auth/user/");
        assertThat(lastUsed(hash)).as("a request within the minute writes nothing").isEqualTo(first);
    }

    @Test
    void badTokensAreRefusedEvenOnOpenEndpointsAndMalformedHeadersDiffer() {
        Http.Response bad = http.as("x".repeat(100)).get("/api/v1/status/");
        assertThat(bad.status()).isEqualTo(401);
        assertThat(bad.json().get("code").asString()).isEqualTo("token_authentication_failed");
        Http.Response malformed = http.header("Authorization", "Token a b").get("/api/v1/auth/user/");
        assertThat(malformed.json().get("code").asString()).isEqualTo("authentication_failed");
        Http.Response lowercase = http.header("Authorization", "token " + data.person("ivy").token()).get("/api/v1/auth/user/");
        assertThat(lowercase.status()).isEqualTo(200);
        Http.Response anonymous = http.get("/api/v1/auth/user/");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().get("code").asString()).isEqualTo("not_authenticated");
        Http.Response bearer = http.header("Authorization", "Bearer abc").get("/api/v1/auth/user/");
        assertThat(bearer.json().get("code").asString()).as("other schemes are ignored").isEqualTo("not_authenticated");
    }

    @Test
    void expiredTokenIsRefused() {
        TestData.User u = data.person("jack");
        data.jdbc().sql("UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE user_id = :u").param("u", u.id()).update();
        Http.Response r = http.as(u).get("/api/v1/auth/user/");
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("message").asString()).contains("expired");
    }

    @Test
    void providersAndServerInfoListPasswordLogin() {
        assertThat(http.get("/api/v1/auth/providers/").json().get(0).get("id").asString()).isEqualTo("credentials");
        assertThat(http.get("/api/v1/server/info/").json().get("auth_providers").get(0).get("type").asString()).isEqualTo("credentials");
    }

    @Test
    void passwordsAreStoredAsArgon2idHashesAndTokensOnlyAsHashes() {
        TestData.User u = data.person("kim");
        String hash = data.jdbc().sql("SELECT password_hash FROM users WHERE id = :id").param("id", u.id()).query(String.class).single();
        assertThat(hash).startsWith("$argon2id$").doesNotContain(TestData.PASSWORD);
        Integer plain = data.jdbc().sql("SELECT count(*) FROM auth_tokens WHERE key_hash = :k").param("k", u.token()).query(Integer.class).single();
        assertThat(plain).isZero();
    }

    private java.time.OffsetDateTime lastUsed(String hash) {
        return data.jdbc().sql("SELECT last_used_at FROM auth_tokens WHERE key_hash = :h").param("h", hash)
                .query((rs, n) -> java.util.Optional.ofNullable(rs.getObject(1, java.time.OffsetDateTime.class))).single().orElse(null);
    }
}
