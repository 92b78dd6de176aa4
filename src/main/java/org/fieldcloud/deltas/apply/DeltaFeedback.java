package org.fieldcloud.deltas.apply;

import java.util.List;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/** The per-delta feedback item of the reference (reference-api-jobs §4.3 step 8). */
public record DeltaFeedback(UUID deltaId, String status, String msg, String eType, String layerId, int deltaIndex,
                            String featurePk, String modifiedPk, List<String> conflicts, String method) {

    public static final String APPLIED = "status_applied";
    public static final String CONFLICT = "status_conflict";
    public static final String FAILED = "status_apply_failed";
    public static final String UNKNOWN = "status_unknown_error";
    public static final String UNPERMITTED = "status_unpermitted";

    /** The delta's stored status for this outcome. */
    public String deltaStatus() {
        return switch (status) {
            case APPLIED -> "applied";
            case CONFLICT -> "conflict";
            case FAILED -> "not_applied";
            case UNPERMITTED -> "unpermitted";
            default -> "error";
        };
    }

    /** A delta that may not be applied at all, e.g. because no one's secrets may apply it. */
    public static DeltaFeedback unpermitted(JsonNode delta, int index, String reason) {
        String sourceLayer = delta.path("sourceLayerId").asString("");
        return new DeltaFeedback(UUID.fromString(delta.path("uuid").asString()), UNPERMITTED, reason, "ERROR",
                sourceLayer.isEmpty() ? delta.path("localLayerId").asString("") : sourceLayer, index, delta.path("sourcePk").asString(""),
                null, null, delta.path("method").asString(""));
    }

    /** The same outcome at another position of the job's list of deltas. */
    public DeltaFeedback atIndex(int index) {
        return new DeltaFeedback(deltaId, status, msg, eType, layerId, index, featurePk, modifiedPk, conflicts, method);
    }
}
