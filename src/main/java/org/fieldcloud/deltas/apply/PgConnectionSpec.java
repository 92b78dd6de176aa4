package org.fieldcloud.deltas.apply;

/** Where and as whom to connect; {@link #toString()} never shows the password. */
public record PgConnectionSpec(String host, int port, String dbname, String user, String password, String sslmode) {

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + dbname;
    }
}
