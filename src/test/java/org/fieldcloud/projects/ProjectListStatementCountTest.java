package org.fieldcloud.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code GET /api/v1/projects/} costs the same number of SQL statements for 10 projects as for 200 (issue 12 §1):
 * one when the person's cached list is current, two when it must be computed, three when a change made it out of
 * date. The token is cached by then (its lookup happened in an uncounted request).
 */
class ProjectListStatementCountTest extends ApiTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "?limit=5", "?include_public=1&ordering=-created_at", "?limit=50&offset=3&search=project",
            "?limit=20&offset=180"})
    void statementCountDoesNotGrowWithTheNumberOfProjects(String query) {
        for (int n : new int[] {10, 200}) {
            TestData.User user = userWithProjects(n);
            assertThat(http.as(user).get("/api/v1/auth/user/").status()).as("caches the token").isEqualTo(200);
            assertThat(statements(user, query, n)).as(n + " projects, list computed: list + page").isEqualTo(2);
            assertThat(statements(user, query, n)).as(n + " projects, cached list: the page alone").isEqualTo(1);
            assertThat(statements(user, query, n)).as(n + " projects, again").isEqualTo(1);
            data.project(data.person("bystander"));
            assertThat(statements(user, query, n)).as(n + " projects after a change elsewhere: stale page, list, page").isEqualTo(3);
            assertThat(statements(user, query, n)).as(n + " projects, cached again").isEqualTo(1);
        }
    }

    /** A third of the projects owned, a third through an organization, a third as a direct collaborator. */
    private TestData.User userWithProjects(int n) {
        TestData.User user = data.person("lister");
        TestData.User other = data.person("other");
        TestData.Org org = data.organization(other);
        data.member(org, user, "admin");
        for (int i = 0; i < n; i++) {
            switch (i % 3) {
                case 0 -> data.project(user);
                case 1 -> data.project(org);
                default -> data.collaborator(data.project(other), user, "reader");
            }
        }
        return user;
    }

    private int statements(TestData.User user, String query, int expectedProjects) {
        String key = UUID.randomUUID().toString();
        Http.Response r = http.as(user).header(SqlStatementCounter.HEADER, key).get("/api/v1/projects/" + query);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        if (query.isEmpty()) {
            assertThat(r.json().size()).isEqualTo(expectedProjects);
        }
        return SqlStatementCounter.count(key);
    }
}
