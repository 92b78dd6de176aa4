package org.fieldcloud.ops;

import java.util.Map;

/**
 * Where the metadata database is, for PostgreSQL's own tools ({@code pg_dump}, {@code pg_restore}), which take it
 * as libpq environment variables. {@link #toString()} never shows the password.
 */
public record DatabaseEndpoint(String host, int port, String database, String user, String password) {

    /** The libpq variables for a child process; the password goes through the environment, never the command line. */
    public Map<String, String> libpqEnvironment() {
        return Map.of("PGHOST", host, "PGPORT", Integer.toString(port), "PGDATABASE", database, "PGUSER", user,
                "PGPASSWORD", password == null ? "" : password);
    }

    /** The first host of a {@code jdbc:postgresql://host[:port][,…]/database?…} URL. */
    static DatabaseEndpoint fromJdbcUrl(String url, String user, String password) {
        String rest = url.substring("jdbc:postgresql://".length());
        int slash = rest.indexOf('/');
        String hosts = slash < 0 ? rest : rest.substring(0, slash);
        String database = slash < 0 ? "postgres" : rest.substring(slash + 1).split("\\?", 2)[0];
        String first = hosts.split(",")[0];
        int colon = first.lastIndexOf(':');
        boolean hasPort = colon > first.lastIndexOf(']');
        String host = hasPort ? first.substring(0, colon) : first;
        host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        return new DatabaseEndpoint(host.isEmpty() ? "localhost" : host, hasPort ? Integer.parseInt(first.substring(colon + 1)) : 5432,
                database.isEmpty() ? "postgres" : database, user, password);
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + database;
    }
}
