package org.fieldcloud.accounts;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Bounds on password checks (D10.6): {@code FIELDCLOUD_LOGIN_MAX_CONCURRENT_HASH_CHECKS} (default: twice the
 * processors, at most 16; each Argon2 check holds 16 MiB, so the default costs at most 256 MiB of heap) and
 * {@code FIELDCLOUD_LOGIN_HASH_WAIT} (how long a login waits for a free slot before it is answered 429).
 */
@ConfigurationProperties("fieldcloud.login")
public record LoginSettings(Integer maxConcurrentHashChecks, @DefaultValue("1s") Duration hashWait) {

    public int concurrentHashChecks() {
        if (maxConcurrentHashChecks != null) {
            if (maxConcurrentHashChecks < 1) {
                throw new IllegalStateException("FIELDCLOUD_LOGIN_MAX_CONCURRENT_HASH_CHECKS must be at least 1, got " + maxConcurrentHashChecks + ".");
            }
            return maxConcurrentHashChecks;
        }
        return Math.min(16, 2 * Runtime.getRuntime().availableProcessors());
    }
}
