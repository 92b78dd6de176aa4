package org.fieldcloud.deltas;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Delta statuses: the raw value in {@code last_status} and the legacy {@code STATUS_*} name of the API. */
public enum DeltaStatus {
    PENDING("STATUS_PENDING"), STARTED("STATUS_BUSY"), APPLIED("STATUS_APPLIED"), CONFLICT("STATUS_CONFLICT"),
    NOT_APPLIED("STATUS_NOT_APPLIED"), ERROR("STATUS_ERROR"), IGNORED("STATUS_IGNORED"), UNPERMITTED("STATUS_UNPERMITTED");

    /** What a manager may set by hand: back to pending (to retry), or ignored / unpermitted (to never apply). */
    static final Set<String> SETTABLE = Set.of("pending", "ignored", "unpermitted");

    private final String legacy;

    DeltaStatus(String legacy) {
        this.legacy = legacy;
    }

    public String raw() {
        return name().toLowerCase();
    }

    public String legacy() {
        return legacy;
    }

    static DeltaStatus fromRaw(String raw) {
        return valueOf(raw.toUpperCase());
    }

    static Set<String> rawNames() {
        return Arrays.stream(values()).map(DeltaStatus::raw).collect(Collectors.toSet());
    }
}
