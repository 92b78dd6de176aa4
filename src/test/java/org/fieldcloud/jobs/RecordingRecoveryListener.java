package org.fieldcloud.jobs;

import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/** Records which jobs the workers reported as abandoned, so tests can assert the recovery hook ran. */
@Component
public class RecordingRecoveryListener implements JobRecoveryListener {

    static final Set<UUID> ABANDONED = ConcurrentHashMap.newKeySet();

    @Override
    public void jobAbandoned(UUID jobId, UUID projectId, String type) {
        ABANDONED.add(jobId);
    }
}
