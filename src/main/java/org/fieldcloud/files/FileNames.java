package org.fieldcloud.files;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.fieldcloud.api.ApiException;

/**
 * The reference's rules for project file names (relative paths with {@code /}) and the name-derived facts:
 * QGIS project files, admin-restricted sidecars and attachment directories.
 */
final class FileNames {

    private static final Pattern FORBIDDEN = Pattern.compile("[<>:\"/\\\\|?*\\x00-\\x1F\\x7F]");
    private static final Set<String> RESERVED = reserved();
    /** The reference's default attachment directories; projects do not configure their own yet. */
    static final Set<String> ATTACHMENT_DIRS = Set.of("DCIM");

    private FileNames() { }

    /** Rejects a name the reference rejects, with a message saying which rule it breaks. */
    static String validate(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid("The file name must not be empty.");
        }
        if (!name.strip().equals(name)) {
            throw invalid("The file name must not start or end with white space.");
        }
        if (name.length() > 255) {
            throw invalid("The file name must not be longer than 255 characters, got " + name.length() + ".");
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > 1024) {
            throw invalid("The file name must not be longer than 1024 bytes in UTF-8.");
        }
        for (String part : name.split("/", -1)) {
            validateComponent(name, part);
        }
        return name;
    }

    private static void validateComponent(String name, String part) {
        if (part.isEmpty()) {
            throw invalid("The file name '" + printable(name) + "' has an empty path component (leading, trailing or double '/').");
        }
        if (part.length() > 255) {
            throw invalid("Each path component of a file name must be at most 255 characters.");
        }
        if (part.contains("\\") || FORBIDDEN.matcher(part).find()) {
            throw invalid("The file name '" + printable(name) + "' contains a character that is not allowed: "
                    + "none of < > : \" \\ | ? * or control characters.");
        }
        if (RESERVED.contains(part)) {
            throw invalid("The file name '" + printable(name) + "' uses the reserved name '" + part + "'.");
        }
        if (part.endsWith(".") || Character.isWhitespace(part.charAt(part.length() - 1))) {
            throw invalid("The path component '" + printable(part) + "' must not end with '.' or white space "
                    + "(so '.' and '..' are not allowed).");
        }
    }

    static boolean isQgisFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".qgs") || lower.endsWith(".qgz");
    }

    static boolean isQgz(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".qgz");
    }

    /**
     * Attachments are files inside an attachment directory. Unlike the reference's plain prefix test,
     * {@code DCIM2.txt} is not an attachment: only the directory counts.
     */
    static boolean isAttachment(String name) {
        return ATTACHMENT_DIRS.stream().anyMatch(dir -> name.startsWith(dir + "/"));
    }

    static String basename(String name) {
        return name.substring(name.lastIndexOf('/') + 1);
    }

    static String stem(String name) {
        String base = basename(name);
        int dot = base.lastIndexOf('.');
        return dot > 0 ? base.substring(0, dot) : base;
    }

    /** Any QGIS project file, or a sidecar of the project's QGIS file: {@code <stem>_attachments.zip, .qgd, .qml}. */
    static boolean isRestricted(String name, String qgisFileName) {
        if (isQgisFile(name)) {
            return true;
        }
        if (qgisFileName == null) {
            return false;
        }
        String stem = stem(qgisFileName);
        String base = basename(name);
        return base.equals(stem + "_attachments.zip") || base.equals(stem + ".qgd") || base.equals(stem + ".qml");
    }

    private static ApiException invalid(String message) {
        return ApiException.validation(message);
    }

    private static String printable(String s) {
        return FORBIDDEN.matcher(s).replaceAll("?");
    }

    private static Set<String> reserved() {
        var names = new java.util.HashSet<String>();
        for (String n : new String[] {"CON", "PRN", "AUX", "NUL"}) {
            names.add(n);
            names.add(n.toLowerCase(Locale.ROOT));
        }
        for (int i = 0; i <= 9; i++) {
            for (String n : new String[] {"COM", "LPT"}) {
                names.add(n + i);
                names.add(n.toLowerCase(Locale.ROOT) + i);
            }
        }
        return Set.copyOf(names);
    }
}
