package org.fieldcloud.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.SecondNode;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 13 §4: the pages' sessions are kept in PostgreSQL, so behind a load balancer without sticky sessions a person
 * signed in through one app node is served by another (its own JVM, same database), and signing out on either ends
 * the session on both.
 */
class WebSessionAcrossNodesTest extends ApiTest {

    @RegisterExtension
    static final SecondNode nodeB = new SecondNode("web-session-node-b.log", Map.of("FIELDCLOUD_WORKERS", "0"));

    @Test
    void aSessionStartedOnOneNodeIsServedAndEndedByTheOther() {
        TestData.User person = data.person("web_two_nodes");
        WebSession onA = new WebSession("http://localhost:" + port);
        assertThat(onA.signIn(person.username(), TestData.PASSWORD).status()).isEqualTo(302);
        WebSession onB = onA.at("http://localhost:" + nodeB.port());

        WebSession.Page projects = onB.get("/projects");
        assertThat(projects.status()).as("node B knows the session node A started").isEqualTo(200);
        assertThat(projects.body()).contains(person.username());
        assertThat(onB.post("/account/password", Map.of("currentPassword", "not it", "newPassword", "another password 1"), "/account")
                .status()).as("node B accepts the CSRF token of the shared session").isEqualTo(200);

        assertThat(onB.post("/sign-out", Map.of(), "/projects").status()).isEqualTo(302);
        assertThat(onA.get("/projects").status()).as("signed out on B, so on A too").isEqualTo(302);
        assertThat(new WebSession("http://localhost:" + nodeB.port()).get("/projects").status()).isEqualTo(302);
    }
}
