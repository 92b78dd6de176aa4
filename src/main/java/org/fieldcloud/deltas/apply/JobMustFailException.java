package org.fieldcloud.deltas.apply;

/**
 * The job cannot go on safely and must fail as a whole (DECISIONS D4, D10.7), e.g. {@code SET ROLE} to
 * {@code QFC_PG_EFFECTIVE_USER} failed: continuing would run edits as the service login instead of the person's
 * role. Unchecked so that it passes every per-delta and per-layer handler; {@link DeltaApplier} rethrows it, and
 * the job runner records its message as the job's failure. The message never holds a secret value (not even the
 * role name).
 */
public class JobMustFailException extends RuntimeException {
    public JobMustFailException(String message) {
        super(message);
    }
}
