package org.fieldcloud.accounts;

import java.time.OffsetDateTime;

/** A row of the accounts table: a person (type 1), organization (2) or team (3). */
public record Account(long id, String username, int type, String email, String firstName, String lastName,
                      boolean active, boolean staff, OffsetDateTime dateJoined) {

    public static final int PERSON = 1;
    public static final int ORGANIZATION = 2;
    public static final int TEAM = 3;

    public boolean person() {
        return type == PERSON;
    }

    public String fullName() {
        return (firstName + " " + lastName).trim();
    }
}
