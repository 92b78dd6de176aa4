package org.fieldcloud.secrets;

import java.util.UUID;

/** Where a secret lives: an organization or a project. */
record SecretScope(Long organizationId, UUID projectId) {

    static SecretScope organization(long id) {
        return new SecretScope(id, null);
    }

    static SecretScope project(UUID id) {
        return new SecretScope(null, id);
    }

    boolean isProject() {
        return projectId != null;
    }

    /** The text bound into each ciphertext's associated data. */
    String binding() {
        return isProject() ? "project:" + projectId : "organization:" + organizationId;
    }

    String column() {
        return isProject() ? "project_id" : "organization_id";
    }

    Object key() {
        return isProject() ? projectId : organizationId;
    }
}
