package org.fieldcloud.permissions;

import static org.fieldcloud.permissions.ProjectRole.ADMIN;
import static org.fieldcloud.permissions.ProjectRole.EDITOR;
import static org.fieldcloud.permissions.ProjectRole.MANAGER;
import static org.fieldcloud.permissions.ProjectRole.READER;
import static org.fieldcloud.permissions.ProjectRole.REPORTER;

/**
 * Everything one can do to a project, each with the weakest role that may do it
 * (rows of shared/spec/permissions.md). Template projects accept no deltas.
 */
public enum ProjectAction {
    READ_PROJECT(READER, "see this project"),
    UPDATE_PROJECT(MANAGER, "update this project's settings"),
    DELETE_PROJECT(MANAGER, "delete this project"),
    CHANGE_OWNER(ADMIN, "change this project's owner"),
    MANAGE_COLLABORATORS(MANAGER, "see or change this project's collaborators"),
    PUSH_DELTAS(REPORTER, "push deltas to this project"),
    READ_DELTAS(REPORTER, "see this project's deltas"),
    APPLY_DELTAS(MANAGER, "apply deltas or set delta status on this project"),
    READ_FILES(READER, "read this project's files"),
    UPLOAD_FILES(REPORTER, "upload files to this project"),
    MODIFY_RESTRICTED_FILES(MANAGER, "modify this project's QGIS project file or its restricted files"),
    DELETE_FILES(EDITOR, "delete this project's files"),
    DELETE_FILE_VERSIONS(ADMIN, "delete old file versions of this project"),
    PACKAGE(READER, "package this project or download its package"),
    READ_JOBS(REPORTER, "see this project's jobs, logs and feedback"),
    TRIGGER_PROCESSING(REPORTER, "start processing this project's QGIS file"),
    MANAGE_SECRETS(ADMIN, "manage this project's secrets");

    private final ProjectRole weakestRole;
    private final String description;

    ProjectAction(ProjectRole weakestRole, String description) {
        this.weakestRole = weakestRole;
        this.description = description;
    }

    public boolean allows(ProjectRole role) {
        return role != null && role.atLeast(weakestRole);
    }

    public ProjectRole weakestRole() {
        return weakestRole;
    }

    public String description() {
        return description;
    }
}
