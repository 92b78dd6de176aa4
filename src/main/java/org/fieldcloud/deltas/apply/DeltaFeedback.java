package org.fieldcloud.deltas.apply;

import java.util.List;
import java.util.UUID;

/** The per-delta feedback item of the reference (reference-api-jobs §4.3 step 8). */
public record DeltaFeedback(UUID deltaId, String status, String msg, String eType, String layerId, int deltaIndex,
                            String featurePk, String modifiedPk, List<String> conflicts, String method) {

    public static final String APPLIED = "status_applied";
    public static final String CONFLICT = "status_conflict";
    public static final String FAILED = "status_apply_failed";
    public static final String UNKNOWN = "status_unknown_error";

    /** The delta's stored status for this outcome. */
    public String deltaStatus() {
        return switch (status) {
            case APPLIED -> "applied";
            case CONFLICT -> "conflict";
            case FAILED -> "not_applied";
            default -> "error";
        };
    }
}
