package org.fieldcloud.web;

import java.util.Map;
import org.fieldcloud.permissions.Policy;
import org.fieldcloud.permissions.ProjectAction;

/** A project page's subject: the project as the API shows it, and the person's relation to it from the policy module. */
record ProjectContext(Map<String, Object> project, Policy.ProjectAccess access, boolean hasThumbnail) {

    /** Whether the page may offer an action; the server asks the policy module again when it is taken. */
    public boolean may(String action) {
        return ProjectAction.valueOf(action).allows(access.role());
    }

    public String id() {
        return access.projectId().toString();
    }

    public String name() {
        return access.name();
    }
}
