package org.fieldcloud.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /api/v1/projects/} costs the same number of SQL statements for 10 projects as for 200. */
class ProjectListStatementCountTest extends ApiTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "?limit=5", "?include_public=1&ordering=-created_at", "?limit=50&offset=3&search=project"})
    void statementCountDoesNotGrowWithTheNumberOfProjects(String query) {
        TestData.User few = userWithProjects(10);
        TestData.User many = userWithProjects(200);
        int forFew = statements(few, query, 10);
        int forMany = statements(many, query, 200);
        assertThat(forFew).as("the counter sees the listing's statements").isPositive();
        assertThat(forMany).isEqualTo(forFew);
        assertThat(forMany).as("rows + count + authentication").isLessThanOrEqualTo(5);
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
