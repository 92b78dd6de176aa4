package org.fieldcloud.secrets;

/** A job asked for the secrets of a person who has no role on the project (any more): they get none. */
public final class NoProjectRoleException extends RuntimeException {

    NoProjectRoleException(String message) {
        super(message);
    }
}
