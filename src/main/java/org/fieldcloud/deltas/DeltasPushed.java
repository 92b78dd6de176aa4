package org.fieldcloud.deltas;

import java.util.UUID;

/** Published after a push stored at least one pending delta; the jobs side queues a delta_apply job. */
public record DeltasPushed(UUID projectId, long userId) { }
