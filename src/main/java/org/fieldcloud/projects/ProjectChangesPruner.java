package org.fieldcloud.projects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps {@code project_changes} (migration V9_7) small: every few minutes the rows of transactions that every
 * running snapshot already sees are deleted, after the horizon has moved past them, so a cached list body read
 * before the horizon is recomputed instead of being checked against rows that are gone. The horizon never moves
 * back, whichever node prunes first. Rows from the future (a restored backup of another cluster) are deleted too:
 * they would make every body look out of date forever.
 */
@Component
class ProjectChangesPruner {

    static final String PRUNE = """
            WITH now_seen AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS oldest, pg_snapshot_xmax(pg_current_snapshot()) AS next),
                 moved AS (
                     UPDATE project_changes_horizon h
                        SET horizon = CASE WHEN h.horizon > n.next THEN n.oldest ELSE greatest(h.horizon, n.oldest) END
                       FROM now_seen n
                  RETURNING h.horizon)
            DELETE FROM project_changes c USING moved m, now_seen n
             WHERE c.xid < m.horizon OR c.xid >= n.next""";

    private static final Logger log = LoggerFactory.getLogger(ProjectChangesPruner.class);

    private final JdbcClient jdbc;

    ProjectChangesPruner(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Scheduled(initialDelayString = "PT1M", fixedDelayString = "${fieldcloud.projects.changes-prune-interval:PT5M}")
    void prune() {
        int deleted = jdbc.sql(PRUNE).update();
        log.debug("Pruned {} project change rows", deleted);
    }
}
