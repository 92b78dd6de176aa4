package org.fieldcloud.accounts;

import java.util.List;
import java.util.Map;
import org.fieldcloud.api.Actor;
import org.fieldcloud.api.RequestFields;

/**
 * What the users endpoints need to know about organizations, provided by the organizations feature
 * (accounts must not depend on it: organizations are built on accounts).
 */
public interface OrganizationDirectory {

    /** The Organization object of {@code GET /users/{org}/}; 404 for callers without an org role. */
    Map<String, Object> profile(Actor actor, Account organization);

    /** {@code PUT/PATCH /users/{org}/}: org admins update the organization's account fields. */
    Map<String, Object> updateProfile(Actor actor, Account organization, RequestFields fields);

    /** Organizations the person owns or belongs to, with the caller's membership annotations. */
    List<Map<String, Object>> organizationsOf(Actor actor);

    /** Names of the organizations owned by the person (they block deleting the account). */
    List<String> ownedBy(long personId);
}
