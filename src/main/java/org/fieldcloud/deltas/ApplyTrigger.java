package org.fieldcloud.deltas;

import java.util.Map;
import org.fieldcloud.jobs.Job;
import org.fieldcloud.jobs.Jobs;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Queues a delta_apply job when someone asks for an apply of pending deltas (the deprecated apply endpoint, a delta
 * set back to pending). A push queues its job in its own statement ({@code Deltas#store}). A job that is still
 * waiting takes every pending delta when it starts, so it is reused instead of queueing another.
 */
@Component
class ApplyTrigger {

    private final Jobs jobs;

    ApplyTrigger(Jobs jobs) {
        this.jobs = jobs;
    }

    @EventListener
    void pushed(DeltasPushed event) {
        jobs.enqueue(event.projectId(), Job.DELTA_APPLY, event.userId(), Map.of(), true);
    }
}
