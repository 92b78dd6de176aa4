package org.fieldcloud.api;

/**
 * Who is calling: an authenticated person or the anonymous caller. Resolved once per request from the
 * token or session; the policy module decides what the actor may do.
 */
public record Actor(Long userId, String username, boolean staff, String clientType) implements java.io.Serializable {

    public static final Actor ANONYMOUS = new Actor(null, null, false, "unknown");

    public boolean anonymous() {
        return userId == null;
    }

    /** The id of an authenticated actor; anonymous callers get 401 here. */
    public long requireUserId() {
        if (userId == null) {
            throw ApiException.notAuthenticated();
        }
        return userId;
    }
}
