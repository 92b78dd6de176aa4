package org.fieldcloud.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.SecondNode;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 12 §2: a second app node (its own JVM, same database) caches token lookups for ten minutes here, so only the
 * database's notifications can explain a refusal within seconds. A token revoked through node A, or whose person
 * is deactivated by any SQL at all, is refused by node B within one second.
 */
class TokenRevocationAcrossNodesTest extends ApiTest {

    @RegisterExtension
    static final SecondNode nodeB = new SecondNode("token-node-b.log",
            Map.of("FIELDCLOUD_WORKERS", "0", "FIELDCLOUD_TOKEN_CACHE_SECONDS", "600"));

    @Test
    void aLogoutOnOneNodeIsRefusedByTheOtherWithinASecondAlthoughItCachedTheToken() throws Exception {
        TestData.User person = data.person("twonodes");
        assertThat(nodeB.http().as(person).get("/api/v1/auth/user/").status()).isEqualTo(200);
        assertNodeBServesFromItsCache(person);

        assertThat(http.as(person).post("/api/v1/auth/logout/", Map.of()).status()).isEqualTo(200);
        assertThat(refusedByNodeBWithin(person, Duration.ofSeconds(1))).as("node B refuses the logged-out token within 1 s").isTrue();
    }

    @Test
    void deactivatingThePersonByAnySqlIsHeardByTheOtherNode() throws Exception {
        TestData.User person = data.person("deactivated");
        assertThat(nodeB.http().as(person).get("/api/v1/auth/user/").status()).isEqualTo(200);
        assertNodeBServesFromItsCache(person);

        data.jdbc().sql("UPDATE users SET is_active = false WHERE id = :u").param("u", person.id()).update();
        assertThat(refusedByNodeBWithin(person, Duration.ofSeconds(1))).as("node B refuses the deactivated person's token within 1 s").isTrue();
    }

    @Test
    void useIsRecordedAtMostOnceAMinutePerToken() {
        TestData.User person = data.person("lastused");
        assertThat(nodeB.http().as(person).get("/api/v1/auth/user/").status()).isEqualTo(200);
        OffsetDateTime first = lastUsed(person);
        assertThat(first).as("the first use is recorded").isNotNull();
        for (int i = 0; i < 5; i++) {
            assertThat(nodeB.http().as(person).get("/api/v1/auth/user/").status()).isEqualTo(200);
            assertThat(http.as(person).get("/api/v1/auth/user/").status()).isEqualTo(200);
        }
        assertThat(lastUsed(person)).as("no write within the minute, on either node").isEqualTo(first);
    }

    /**
     * Changes the token's stored hash behind node B's back (that change notifies no one): node B still answers from
     * its cache while the database no longer knows the key. The hash is put back afterwards.
     */
    private void assertNodeBServesFromItsCache(TestData.User person) {
        String hash = Tokens.hash(person.token());
        data.jdbc().sql("UPDATE auth_tokens SET key_hash = 'hidden-' || key_hash WHERE key_hash = :h").param("h", hash).update();
        try {
            assertThat(http.as(person).get("/api/v1/auth/user/").status()).as("the database no longer knows the key").isEqualTo(401);
            assertThat(nodeB.http().as(person).get("/api/v1/auth/user/").status()).as("node B answers from its cache").isEqualTo(200);
        } finally {
            data.jdbc().sql("UPDATE auth_tokens SET key_hash = :h WHERE key_hash = 'hidden-' || :h").param("h", hash).update();
        }
    }

    private static boolean refusedByNodeBWithin(TestData.User person, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (Instant.now().isBefore(deadline)) {
            if (nodeB.http().as(person).get("/api/v1/auth/user/").status() == 401) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private OffsetDateTime lastUsed(TestData.User person) {
        return data.jdbc().sql("SELECT last_used_at FROM auth_tokens WHERE key_hash = :h").param("h", Tokens.hash(person.token()))
                .query(OffsetDateTime.class).single();
    }
}
