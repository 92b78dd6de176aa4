package org.fieldcloud.web;

import org.fieldcloud.permissions.OrganizationAction;
import org.fieldcloud.permissions.Policy;

/** An organization page's subject and the person's relation to it, from the policy module. */
record OrganizationContext(Policy.OrganizationAccess access) {

    /** Whether the page may offer an action; the server asks the policy module again when it is taken. */
    public boolean may(String action) {
        return Policy.allows(access, OrganizationAction.valueOf(action));
    }

    public String name() {
        return access.username();
    }
}
