package org.fieldcloud.ops;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Operator messages shown by {@code /api/v1/status/}, from {@code FIELDCLOUD_STATUS_*} variables. */
@ConfigurationProperties("fieldcloud.status")
public record StatusMessages(String statusPageUrl, String incidentMessage, String incidentTimestampUtc,
                             String maintenanceMessage, String maintenanceStartTimestampUtc, String maintenanceEndTimestampUtc) { }
