package org.fieldcloud.permissions;

/** What one can do to an organization and who may (rows 5-9, 27, 30-31, 34-36 of permissions.md). */
public enum OrganizationAction {
    /** Any authenticated person, member or not. */
    LIST_MEMBERS(Level.ANY_PERSON, "see this organization's members"),
    READ_PROFILE(Level.MEMBER, "see this organization's profile"),
    LIST_TEAMS(Level.MEMBER, "see this organization's teams"),
    CREATE_PROJECT(Level.CREATOR, "create projects for this organization"),
    MANAGE_MEMBERS(Level.ADMIN, "change this organization's members"),
    MANAGE_TEAMS(Level.ADMIN, "change this organization's teams"),
    UPDATE_PROFILE(Level.ADMIN, "update this organization's profile"),
    MANAGE_SECRETS(Level.ADMIN, "manage this organization's secrets"),
    OWNER_ONLY(Level.OWNER, "delete this organization, transfer its ownership or change its plan");

    enum Level { ANY_PERSON, MEMBER, CREATOR, ADMIN, OWNER }

    private final Level level;
    private final String description;

    OrganizationAction(Level level, String description) {
        this.level = level;
        this.description = description;
    }

    Level level() {
        return level;
    }

    public String description() {
        return description;
    }
}
