package org.fieldcloud.accounts;

import java.util.Set;
import java.util.regex.Pattern;
import org.fieldcloud.api.ApiException;

/** Username and e-mail rules of the reference (§1.8), with messages that say which rule failed. */
public final class AccountRules {

    private static final Pattern USERNAME = Pattern.compile("^[a-zA-Z][-a-zA-Z0-9_]*$");
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");
    private static final Set<String> RESERVED = Set.of("user", "users", "project", "projects", "owner", "push", "file",
            "files", "collaborator", "collaborators", "member", "members", "organization", "qfield", "qfieldcloud",
            "history", "version", "delta", "deltas", "deltafile", "auth", "qfield-files", "esri");

    private AccountRules() { }

    public static void checkUsername(String field, String username) {
        if (username.length() < 3 || username.length() > 150) {
            throw ApiException.badRequest("Field '" + field + "' must be 3 to 150 characters long, got " + username.length() + ".");
        }
        if (!USERNAME.matcher(username).matches()) {
            throw ApiException.badRequest("Field '" + field + "' must start with a letter and contain only letters, digits, '-' and '_'.");
        }
        if (RESERVED.contains(username.toLowerCase())) {
            throw ApiException.badRequest("Field '" + field + "': '" + username + "' is a reserved name; choose another.");
        }
    }

    public static void checkEmail(String field, String email) {
        if (email.length() > 254 || !EMAIL.matcher(email).matches()) {
            throw ApiException.badRequest("Field '" + field + "' must be a valid e-mail address.");
        }
    }

    public static void checkName(String field, String value) {
        if (value.length() > 150) {
            throw ApiException.badRequest("Field '" + field + "' must be at most 150 characters long.");
        }
    }
}
