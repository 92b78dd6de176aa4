package org.fieldcloud.deltas;

import java.util.Map;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.Jobs;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Queues a delta_apply job when pending deltas arrive. A job that is still waiting takes every pending
 * delta when it starts, so it is reused instead of queueing another.
 */
@Component
class ApplyTrigger {

    private final Jobs jobs;
    private final JdbcClient jdbc;

    ApplyTrigger(Jobs jobs, JdbcClient jdbc) {
        this.jobs = jobs;
        this.jdbc = jdbc;
    }

    @EventListener
    void pushed(DeltasPushed event) {
        boolean overwrite = jdbc.sql("SELECT overwrite_conflicts FROM projects WHERE id = :p").param("p", event.projectId())
                .query(Boolean.class).single();
        jobs.enqueue(event.projectId(), Job.DELTA_APPLY, event.userId(), Map.of("overwrite_conflicts", overwrite), true);
    }
}
