package org.fieldcloud.permissions;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

/** Project roles, highest first. Every permission grants a contiguous top slice of this list. */
public enum ProjectRole {
    ADMIN, MANAGER, EDITOR, REPORTER, READER;

    public static final Set<String> NAMES = Arrays.stream(values()).map(ProjectRole::wireName).collect(Collectors.toUnmodifiableSet());

    public String wireName() {
        return name().toLowerCase();
    }

    public static ProjectRole fromWire(String name) {
        return valueOf(name.toUpperCase());
    }

    /** True when this role is at least as strong as {@code other}. */
    public boolean atLeast(ProjectRole other) {
        return ordinal() <= other.ordinal();
    }
}
