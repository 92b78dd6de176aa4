package org.fieldcloud.secrets;

/** The winning secret for one name, with the level it came from. */
public record ResolvedSecret(long id, String name, String type, String level, String value) {

    public static final String PROJECT_USER = "project_user";
    public static final String PROJECT = "project";
    public static final String ORGANIZATION_USER = "organization_user";
    public static final String ORGANIZATION = "organization";

    @Override
    public String toString() {
        return "ResolvedSecret[" + name + " from " + level + "]";
    }
}
