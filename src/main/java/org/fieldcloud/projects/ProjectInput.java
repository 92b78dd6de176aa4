package org.fieldcloud.projects;

import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.fieldcloud.api.ApiException;
import org.fieldcloud.api.RequestFields;

/**
 * The writable fields of a project (reference §2.5), each checked and named in its error. Absent fields are
 * empty so that PATCH changes only what it names. The legacy {@code private} wins over {@code is_public}
 * when both are given, as in the reference. Unknown fields (including {@code projectid}) are ignored: they
 * never select anything.
 */
record ProjectInput(Optional<String> name, Optional<String> owner, Optional<String> description, Optional<String> projectType,
                    Optional<Boolean> isPublic, Optional<Boolean> isFeatured, Optional<Boolean> attachmentsOnDemand,
                    Optional<Boolean> restrictedFiles, Optional<Boolean> overwriteConflicts) {

    static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9_.-]+$");
    static final int MAX_NAME = 255;
    private static final int MAX_DESCRIPTION = 100_000;

    static ProjectInput from(RequestFields body) {
        Optional<String> name = body.string("name");
        name.ifPresent(ProjectInput::checkName);
        Optional<String> description = body.string("description");
        description.ifPresent(d -> {
            if (d.length() > MAX_DESCRIPTION) {
                throw ApiException.badRequest("Field 'description' must be at most " + MAX_DESCRIPTION + " characters.");
            }
        });
        Optional<Boolean> isPublic = body.bool("private").map(p -> !p).or(() -> body.bool("is_public"));
        return new ProjectInput(name, body.string("owner"), description,
                body.choice("project_type", Set.of("regular", "template")), isPublic, body.bool("is_featured"),
                body.bool("is_attachment_download_on_demand"), body.bool("has_restricted_projectfiles"),
                body.bool("overwrite_conflicts"));
    }

    static void checkName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME) {
            throw ApiException.badRequest("Field 'name' must be 1 to " + MAX_NAME + " characters long, got " + name.length() + ".");
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.badRequest("Field 'name' may contain only letters, digits, '-', '_' and '.'.");
        }
    }

    /** A project named {@code shared_datasets} is always of that type (reference §2.5). */
    String typeFor(String finalName, String currentType) {
        if ("shared_datasets".equals(finalName)) {
            return "shared_datasets";
        }
        return projectType.orElse("shared_datasets".equals(currentType) ? "regular" : currentType);
    }
}
