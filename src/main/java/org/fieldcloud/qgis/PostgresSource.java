package org.fieldcloud.qgis;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A QGIS {@code postgres} datasource ({@code QgsDataSourceUri}): space-separated {@code key=value} pairs, values
 * optionally in single quotes with {@code \'} and {@code \\} escapes, {@code table="schema"."table" (geom)},
 * and {@code sql=} which runs to the end.
 */
public record PostgresSource(Map<String, String> keys, String schema, String table, String geometryColumn, String sql) {

    /** Keys that say where to connect and as whom. */
    public static final Set<String> CONNECTION_KEYS = Set.of("host", "hostaddr", "port", "dbname", "user", "password");

    public String get(String key) {
        return keys.get(key);
    }

    public String service() {
        return keys.get("service");
    }

    public static PostgresSource parse(String uri) {
        Map<String, String> keys = new LinkedHashMap<>();
        String schema = "public";
        String table = null;
        String geometry = null;
        String sql = null;
        int i = 0;
        int n = uri.length();
        while (i < n) {
            while (i < n && uri.charAt(i) == ' ') i++;
            int eq = uri.indexOf('=', i);
            if (eq < 0) break;
            String key = uri.substring(i, eq).trim();
            i = eq + 1;
            if (key.equals("sql")) {
                sql = uri.substring(i);
                break;
            }
            if (key.equals("table")) {
                StringBuilder first = new StringBuilder();
                i = readIdentifier(uri, i, first);
                if (i < n && uri.charAt(i) == '.') {
                    StringBuilder second = new StringBuilder();
                    i = readIdentifier(uri, i + 1, second);
                    schema = first.toString();
                    table = second.toString();
                } else {
                    table = first.toString();
                }
                while (i < n && uri.charAt(i) == ' ') i++;
                if (i < n && uri.charAt(i) == '(') {
                    int close = uri.indexOf(')', i);
                    geometry = uri.substring(i + 1, close < 0 ? n : close);
                    i = close < 0 ? n : close + 1;
                }
                continue;
            }
            StringBuilder value = new StringBuilder();
            if (i < n && uri.charAt(i) == '\'') {
                i++;
                while (i < n && uri.charAt(i) != '\'') {
                    if (uri.charAt(i) == '\\' && i + 1 < n) i++;
                    value.append(uri.charAt(i++));
                }
                i++;
            } else {
                while (i < n && uri.charAt(i) != ' ') value.append(uri.charAt(i++));
            }
            keys.put(key, value.toString());
        }
        return new PostgresSource(Map.copyOf(keys), schema, table, geometry, sql);
    }

    private static int readIdentifier(String s, int i, StringBuilder out) {
        if (i < s.length() && s.charAt(i) == '"') {
            i++;
            while (i < s.length()) {
                if (s.charAt(i) == '"') {
                    if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        out.append('"');
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                out.append(s.charAt(i++));
            }
            return i;
        }
        while (i < s.length() && s.charAt(i) != '.' && s.charAt(i) != ' ' && s.charAt(i) != '(') out.append(s.charAt(i++));
        return i;
    }

    /** The datasource with any password replaced, for logs and project details. */
    public static String masked(String uri) {
        return uri.replaceAll("password='(?:[^'\\\\]|\\\\.)*'", "password='***'").replaceAll("password=[^' ]+", "password=***");
    }
}
