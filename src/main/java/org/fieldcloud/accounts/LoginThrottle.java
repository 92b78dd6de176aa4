package org.fieldcloud.accounts;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Brute-force lock-out: 5 failures per (username, client address) lock that pair for 30 minutes;
 * a success clears the count. Kept in the database so that every app node sees the same counts.
 */
@Component
public class LoginThrottle {

    static final int LIMIT = 5;
    static final String COOL_OFF = "30 minutes";

    private final JdbcClient jdbc;

    public LoginThrottle(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean locked(String username, String address) {
        return jdbc.sql("SELECT EXISTS (SELECT 1 FROM login_failures WHERE username = lower(:u) AND client_address = :a "
                        + "AND failures >= " + LIMIT + " AND last_failure_at > now() - interval '" + COOL_OFF + "')")
                .param("u", username).param("a", address).query(Boolean.class).single();
    }

    /** Records a failure and says whether this one reached the limit. */
    public boolean fail(String username, String address) {
        int failures = jdbc.sql("""
                INSERT INTO login_failures (username, client_address, failures, last_failure_at) VALUES (lower(:u), :a, 1, now())
                ON CONFLICT (username, client_address) DO UPDATE SET
                  failures = CASE WHEN login_failures.last_failure_at < now() - interval '30 minutes' THEN 1 ELSE login_failures.failures + 1 END,
                  last_failure_at = now()
                RETURNING failures""")
                .param("u", username).param("a", address).query(Integer.class).single();
        return failures >= LIMIT;
    }

    public void succeed(String username, String address) {
        jdbc.sql("DELETE FROM login_failures WHERE username = lower(:u) AND client_address = :a").param("u", username).param("a", address).update();
    }
}
