package org.fieldcloud.jobs;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/** A row of the jobs table. */
public record Job(UUID id, UUID projectId, String type, String status, Long createdBy, String createdByUsername,
                  OffsetDateTime createdAt, OffsetDateTime updatedAt, OffsetDateTime startedAt, OffsetDateTime finishedAt,
                  Map<String, Object> options, String output, String feedback) {

    public static final String PROCESS_PROJECTFILE = "process_projectfile";
    public static final String PACKAGE = "package";
    public static final String DELTA_APPLY = "delta_apply";
}
