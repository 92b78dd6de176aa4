package org.fieldcloud.secrets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.fieldcloud.api.ApiException;

/**
 * A {@code pg_service.conf} text holding exactly one {@code [service]} section. Known keys are checked for sane
 * values; unknown keys are kept as they are (libpq knows many). {@code [DEFAULT]} does not count as a service.
 */
record PgServiceText(String service, Map<String, String> keys) {

    static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    static PgServiceText parse(String text) {
        String section = null;
        Map<String, String> keys = new LinkedHashMap<>();
        int sections = 0;
        String[] lines = text.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].trim();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (!line.endsWith("]") || line.length() < 3) {
                    throw invalid("line " + (i + 1) + " is not a valid section header like [myservice]");
                }
                String name = line.substring(1, line.length() - 1).trim();
                if (name.equalsIgnoreCase("DEFAULT")) {
                    section = "DEFAULT";
                    continue;
                }
                if (++sections > 1) {
                    throw tooMany();
                }
                section = name;
                continue;
            }
            int eq = line.indexOf('=');
            if (section == null || eq <= 0) {
                throw invalid("line " + (i + 1) + " must be 'key=value' inside a [service] section");
            }
            if ("DEFAULT".equals(section)) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            if (keys.containsKey(key)) {
                throw invalid("the key '" + key + "' appears twice");
            }
            keys.put(key, line.substring(eq + 1).trim());
        }
        if (sections == 0) {
            throw ApiException.badRequest("Field 'value': a pg_service secret must define exactly one service ([name] section), found 0.");
        }
        String service = null;
        for (String line : lines) {
            String t = line.trim();
            if (t.startsWith("[") && t.endsWith("]") && !t.substring(1, t.length() - 1).trim().equalsIgnoreCase("DEFAULT")) {
                service = t.substring(1, t.length() - 1).trim();
            }
        }
        check(keys);
        return new PgServiceText(service, keys);
    }

    private static void check(Map<String, String> keys) {
        String port = keys.get("port");
        if (port != null) {
            try {
                int p = Integer.parseInt(port);
                if (p < 1 || p > 65535) throw new NumberFormatException();
            } catch (NumberFormatException e) {
                throw invalid("port must be a number from 1 to 65535, got '" + port + "'");
            }
        }
        String sslmode = keys.get("sslmode");
        if (sslmode != null && !SSL_MODES.contains(sslmode)) {
            throw invalid("sslmode must be one of " + SSL_MODES.stream().sorted().toList() + ", got '" + sslmode + "'");
        }
        for (String key : Set.of("host", "dbname", "user")) {
            if (keys.containsKey(key) && keys.get(key).isEmpty()) {
                throw invalid(key + " must not be empty");
            }
        }
    }

    /** The stored secret name for a service: PG_SERVICE_ + the name upper-cased, other characters as '_'. */
    String secretName() {
        return "PG_SERVICE_" + service.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    private static ApiException tooMany() {
        return ApiException.badRequest("Field 'value': a pg_service secret must define exactly one service ([name] section), found more; "
                + "add one secret per service.");
    }

    private static ApiException invalid(String why) {
        return ApiException.badRequest("Field 'value': the pg_service text is not valid: " + why + ".");
    }
}
