package org.fieldcloud.deltas.apply;

import java.net.InetAddress;
import java.util.List;
import java.util.Locale;

/**
 * Where and as whom to connect; {@code address} is the address {@code policy} approved for {@code host} (null: check
 * when connecting), and every connection is checked against {@code policy} again. {@link #toString()} never shows the
 * password.
 */
public record PgConnectionSpec(String host, int port, String dbname, String user, String password, String sslmode, InetAddress address,
                               DatasourceHostPolicy policy) {

    /** libpq's sslmodes, weakest first. */
    public static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    /** Checked against the default rules only (no allow-list); the server's jobs use {@link #under}. */
    public PgConnectionSpec(String host, int port, String dbname, String user, String password, String sslmode) {
        this(host, port, dbname, user, password, sslmode, null, DatasourceHostPolicy.DEFAULT_RULES);
    }

    public PgConnectionSpec at(InetAddress checked) {
        return new PgConnectionSpec(host, port, dbname, user, password, sslmode, checked, policy);
    }

    public PgConnectionSpec under(DatasourceHostPolicy serverPolicy) {
        return new PgConnectionSpec(host, port, dbname, user, password, sslmode, address, serverPolicy);
    }

    /**
     * The sslmode to use when a secret sets {@code floor} and the layer asks for {@code requested} (DECISIONS D10.2):
     * the layer may only keep or raise its secret's mode. Null when both are unset; unknown modes are refused.
     */
    public static String atLeast(String floor, String requested) throws IllegalArgumentException {
        int f = rank(floor);
        int r = rank(requested);
        int chosen = Math.max(f, r);
        return chosen < 0 ? null : SSL_MODES.get(chosen);
    }

    private static int rank(String mode) {
        if (mode == null || mode.isBlank()) {
            return -1;
        }
        int i = SSL_MODES.indexOf(mode.trim().toLowerCase(Locale.ROOT));
        if (i < 0) {
            throw new IllegalArgumentException("sslmode must be one of " + String.join(", ", SSL_MODES));
        }
        return i;
    }

    @Override
    public String toString() {
        return user + "@" + host + ":" + port + "/" + dbname;
    }
}
