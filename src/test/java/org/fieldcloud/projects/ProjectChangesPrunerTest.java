package org.fieldcloud.projects;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import org.fieldcloud.support.ApiTest;
import org.fieldcloud.support.Await;
import org.fieldcloud.support.Http;
import org.fieldcloud.support.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.ObjectMapper;

/**
 * Pruning {@code project_changes} (migration V9_7) never makes a cached whole-list body look current when it is not:
 * a body read before the horizon is recomputed, even though the row of the change it missed is gone. A backup of
 * another cluster can bring rows and a horizon from the future; pruning drops them, and bodies are cached again.
 */
class ProjectChangesPrunerTest extends ApiTest {

    @Autowired
    ProjectChangesPruner pruner;

    @Autowired
    ObjectMapper mapper;

    @Test
    void aBodyReadBeforeTheHorizonIsRecomputedAfterItsChangeRowWasPruned() throws InterruptedException {
        TestData.User viewer = data.person("viewer");
        TestData.Project project = data.project(viewer);
        assertThat(wholeList(viewer)).isEqualTo(expected(viewer)).doesNotContain("after the body was cached");
        String changedBy = data.jdbc().sql("UPDATE projects SET description = 'after the body was cached' WHERE id = :p"
                + " RETURNING CAST(pg_current_xact_id() AS text)").param("p", project.id()).query(String.class).single();

        Await.until(() -> {
            pruner.prune();
            return data.jdbc().sql("SELECT horizon > CAST(:x AS xid8) FROM project_changes_horizon").param("x", changedBy)
                    .query(Boolean.class).single();
        }, Duration.ofSeconds(10));
        assertThat(data.jdbc().sql("SELECT count(*) FROM project_changes WHERE xid = CAST(:x AS xid8)").param("x", changedBy)
                .query(Long.class).single()).as("the change's row is pruned").isZero();

        assertThat(wholeList(viewer)).isEqualTo(expected(viewer)).contains("after the body was cached");
    }

    @Test
    void rowsAndAHorizonFromAnotherClusterAreDroppedAndBodiesAreCachedAgain() {
        TestData.User viewer = data.person("viewer");
        data.project(viewer);
        String future = "4000000000000";
        data.jdbc().sql("INSERT INTO project_changes (xid) VALUES (CAST(:x AS xid8))").param("x", future).update();
        data.jdbc().sql("UPDATE project_changes_horizon SET horizon = CAST(:x AS xid8)").param("x", future).update();

        pruner.prune();

        assertThat(data.jdbc().sql("SELECT count(*) FROM project_changes WHERE xid >= CAST(:x AS xid8)").param("x", future)
                .query(Long.class).single()).isZero();
        assertThat(data.jdbc().sql("SELECT horizon < CAST(:x AS xid8) FROM project_changes_horizon").param("x", future)
                .query(Boolean.class).single()).as("the horizon is back in this cluster").isTrue();
        wholeList(viewer);
        assertThat(statements(viewer)).as("a cached body is checked in one statement").isEqualTo(1);
    }

    private String wholeList(TestData.User viewer) {
        Http.Response r = http.as(viewer).get("/api/v1/projects/");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.text();
    }

    private int statements(TestData.User viewer) {
        String key = UUID.randomUUID().toString();
        assertThat(http.as(viewer).header(SqlStatementCounter.HEADER, key).get("/api/v1/projects/").status()).isEqualTo(200);
        return SqlStatementCounter.count(key);
    }

    private String expected(TestData.User viewer) {
        return LegacyProjectList.wholeListBody(data.jdbc(), mapper, viewer.id());
    }
}
