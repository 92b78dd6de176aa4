package org.fieldcloud.accounts;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code FIELDCLOUD_METRICS_TOKEN}: a bearer token that lets a Prometheus scraper read {@code /actuator/prometheus}
 * without a staff account. Unset: only staff tokens may.
 */
@ConfigurationProperties("fieldcloud.metrics")
public record MetricsSettings(String token) {

    public boolean tokenConfigured() {
        return token != null && !token.isBlank();
    }

    /** Never prints the token: settings objects end up in logs and failure messages. */
    @Override
    public String toString() {
        return "MetricsSettings[token=" + (tokenConfigured() ? "***" : "unset") + "]";
    }
}
