package org.fieldcloud.jobs;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code FIELDCLOUD_WORKERS} workers in this process (0: none); {@code FIELDCLOUD_JOBS_TIMEOUT_SECONDS} per job;
 * heartbeats every {@code FIELDCLOUD_JOBS_HEARTBEAT_SECONDS}; a started job whose heartbeat is older than three
 * intervals belongs to a dead worker and is failed.
 */
@ConfigurationProperties("fieldcloud")
public record JobSettings(@DefaultValue("1") int workers, @DefaultValue Jobs jobs) {

    public record Jobs(@DefaultValue("600") long timeoutSeconds, @DefaultValue("5") long heartbeatSeconds) { }

    long staleAfterSeconds() {
        return 3 * jobs.heartbeatSeconds();
    }
}
