package org.fieldcloud.ops;

import java.util.ArrayList;
import java.util.List;
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

    /** One host of a JDBC URL. */
    public record HostPort(String host, int port) { }

    /**
     * The hosts of {@code jdbc:postgresql://h1[:p1][,h2[:p2]…]/database?…}: IPv6 hosts in brackets, port 5432 by
     * default, an empty host meaning localhost.
     */
    public static List<HostPort> hosts(String url) {
        String prefix = "jdbc:postgresql://";
        if (!url.startsWith(prefix)) {
            throw new IllegalStateException("FIELDCLOUD_DATABASE_URL must start with " + prefix);
        }
        String rest = url.substring(prefix.length());
        int slash = rest.indexOf('/');
        List<HostPort> out = new ArrayList<>();
        for (String hostPort : (slash < 0 ? rest : rest.substring(0, slash)).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            boolean hasPort = colon > hostPort.lastIndexOf(']');
            String host = hasPort ? hostPort.substring(0, colon) : hostPort;
            host = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
            out.add(new HostPort(host.isEmpty() ? "localhost" : host, hasPort ? Integer.parseInt(hostPort.substring(colon + 1)) : 5432));
        }
        return out;
    }

    /** The first host of the URL and its database, for PostgreSQL's tools. */
    static DatabaseEndpoint fromJdbcUrl(String url, String user, String password) {
        String rest = url.substring("jdbc:postgresql://".length());
        int slash = rest.indexOf('/');
        String database = slash < 0 ? "postgres" : rest.substring(slash + 1).split("\\?", 2)[0];
        HostPort first = hosts(url).getFirst();
        return new DatabaseEndpoint(first.host(), first.port(), database.isEmpty() ? "postgres" : database, user, password);
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + database;
    }
}
