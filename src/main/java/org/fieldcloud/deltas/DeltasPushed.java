package org.fieldcloud.deltas;

import java.util.UUID;

/** Published when an apply of a project's pending deltas is asked for; {@link ApplyTrigger} queues a delta_apply job. Pushes queue theirs in their own transaction. */
public record DeltasPushed(UUID projectId, long userId) { }
