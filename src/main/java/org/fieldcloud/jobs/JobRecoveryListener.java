package org.fieldcloud.jobs;

import java.util.UUID;

/**
 * Told when a job ends without its handler finishing normally: it failed, timed out, or its worker died
 * (stale heartbeat). Lets features undo their "in progress" marks, e.g. deltas back to pending.
 */
public interface JobRecoveryListener {
    void jobAbandoned(UUID jobId, UUID projectId, String type);
}
